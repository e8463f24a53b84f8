#include "scheduler/entropy_statement.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/field_checks.h"
#include "scheduler/json_fields.h"

namespace regulation::scheduler {

absl::string_view EvidenceName(EntropyStatement::Evidence evidence) {
  switch (evidence) {
    case EntropyStatement::Evidence::kWitness:
      return "witness";
    case EntropyStatement::Evidence::kBeaconPulse:
      return "beacon_pulse";
    case EntropyStatement::Evidence::kUncheckedValue:
      return "unchecked_value";
  }
  return "";
}

void AppendStatementsJson(std::string* out, const std::vector<EntropyStatement>& statements) {
  out->push_back('[');
  for (size_t i = 0; i < statements.size(); ++i) {
    const EntropyStatement& s = statements[i];
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "source_id", s.source_id);
    out->push_back(',');
    if (s.evidence == EntropyStatement::Evidence::kWitness) {
      Key(out, "witness");
      out->push_back('{');
      StringMember(out, "statement", s.text);
      out->push_back(',');
      StringMember(out, "signature", s.signature_hex);
      out->push_back('}');
    } else {
      StringMember(out, EvidenceName(s.evidence), s.text);
    }
    out->push_back('}');
  }
  out->push_back(']');
}

absl::Status ReadStatementsJson(const JsonValue& value, absl::string_view where,
                                std::vector<EntropyStatement>* statements) {
  if (!value.is_array())
    return Bad(where, absl::StrCat("must be an array, not ", value.TypeName()));
  statements->clear();
  for (size_t i = 0; i < value.array().size(); ++i) {
    const std::string at = absl::StrFormat("%s[%d]", where, i);
    const JsonValue& v = value.array()[i];
    const bool shaped = v.is_object() && v.members().size() == 2;
    const absl::string_view second = shaped ? absl::string_view(v.members()[1].first) : "";
    EntropyStatement& s = statements->emplace_back();
    if (second == "beacon_pulse") {
      s.evidence = EntropyStatement::Evidence::kBeaconPulse;
    } else if (second == "unchecked_value") {
      s.evidence = EntropyStatement::Evidence::kUncheckedValue;
    }
    REG_RETURN_IF_ERROR(ExpectObject(v, at, {"source_id", EvidenceName(s.evidence)}));
    REG_RETURN_IF_ERROR(GetString(v, at, "source_id", &s.source_id));
    REG_RETURN_IF_ERROR(Recode(at, CheckInspectorId("source_id", s.source_id)));
    if (s.evidence == EntropyStatement::Evidence::kWitness) {
      const JsonValue& w = *v.Find("witness");
      const std::string wat = absl::StrCat(at, ".witness");
      REG_RETURN_IF_ERROR(ExpectObject(w, wat, {"statement", "signature"}));
      REG_RETURN_IF_ERROR(GetString(w, wat, "statement", &s.text));
      REG_RETURN_IF_ERROR(GetString(w, wat, "signature", &s.signature_hex));
      bool hex = !s.signature_hex.empty() && s.signature_hex.size() % 2 == 0 &&
                 s.signature_hex.size() <= 1024;
      for (char c : s.signature_hex)
        hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      if (!hex) return Bad(absl::StrCat(wat, ".signature"), "must be lowercase hex bytes");
    } else {
      REG_RETURN_IF_ERROR(GetString(v, at, EvidenceName(s.evidence), &s.text));
    }
    if (s.text.empty() || s.text.size() > kMaxStatementBytes) {
      return Bad(at, absl::StrFormat("the evidence must be 1-%d bytes", kMaxStatementBytes));
    }
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
