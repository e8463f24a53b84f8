#include "scheduler/entropy/witness_statement.h"

#include <openssl/rand.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "scheduler/canonical_record.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/openssl_util.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler::entropy {
namespace {

constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%SZ";
constexpr int kMaxPlanIdBytes = 128;

absl::Status InvalidField(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("statement.", field, ": ", reason));
}

absl::Status CheckSourceId(absl::string_view field, absl::string_view id) {
  if (!IsInspectorId(id)) {  // The same alphabet and length as a source id.
    return InvalidField(field, absl::StrCat("must be 1-64 characters from [A-Za-z0-9._-], got \"",
                                            absl::CHexEscape(id), "\""));
  }
  return absl::OkStatus();
}

absl::Status CheckValueHex(absl::string_view value) {
  bool ok = value.size() == 2 * kWitnessValueBytes;
  for (char c : value) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) return InvalidField("value", "must be 64 lowercase hex characters (32 bytes)");
  return absl::OkStatus();
}

absl::Status CheckSignedAt(absl::Time time) {
  const absl::Time earliest = absl::FromCivil(absl::CivilSecond(2000, 1, 1), absl::UTCTimeZone());
  const absl::Time latest =
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone());
  if (time < earliest || time > latest) {
    return InvalidField("signed_at", "must be in years 2000-9999");
  }
  if (absl::FromUnixSeconds(absl::ToUnixSeconds(time)) != time) {
    return InvalidField("signed_at", "must be whole seconds");
  }
  return absl::OkStatus();
}

// Reads the canonical fields of a text one by one, each name expected in turn.
class FieldReader {
 public:
  explicit FieldReader(absl::string_view text) : rest_(text) {}

  // The value of the next field, which must be named `name`.
  absl::StatusOr<absl::string_view> Next(absl::string_view name) {
    const absl::string_view at = rest_;
    const size_t equals = rest_.find('=');
    if (equals == absl::string_view::npos || rest_.substr(0, equals) != name) {
      return NotCanonical(absl::StrCat("expected the field \"", name, "\" at byte ", offset(),
                                       ", found \"",
                                       absl::CHexEscape(at.substr(0, std::min<size_t>(
                                                                          equals, 40))),
                                       "\""));
    }
    rest_.remove_prefix(equals + 1);
    const size_t colon = rest_.find(':');
    const absl::string_view digits = rest_.substr(0, colon);
    uint64_t length = 0;
    if (colon == absl::string_view::npos || digits.empty() || digits.size() > 9 ||
        (digits.size() > 1 && digits[0] == '0') ||
        !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(digits, &length)) {
      return NotCanonical(absl::StrCat("field \"", name, "\": malformed length"));
    }
    rest_.remove_prefix(colon + 1);
    if (length + 1 > rest_.size() || rest_[length] != '\n') {
      return NotCanonical(absl::StrCat("field \"", name, "\": its length ", length,
                                       " does not end at a newline"));
    }
    const absl::string_view value = rest_.substr(0, length);
    rest_.remove_prefix(length + 1);
    return value;
  }

  absl::Status ExpectEnd() const {
    if (!rest_.empty()) {
      return NotCanonical(absl::StrCat(rest_.size(), " bytes after the last field"));
    }
    return absl::OkStatus();
  }

 private:
  static absl::Status NotCanonical(absl::string_view reason) {
    return absl::InvalidArgumentError(absl::StrCat("statement: not canonical: ", reason));
  }
  size_t offset() const { return static_cast<size_t>(rest_.data() - start_); }

  absl::string_view rest_;
  const char* start_ = rest_.data();
};

// A non-negative decimal without leading zeros.
std::optional<int64_t> ParseCount(absl::string_view digits) {
  int64_t n = 0;
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0') ||
      !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(digits, &n)) {
    return std::nullopt;
  }
  return n;
}

}  // namespace

std::string FormatStatementTime(absl::Time time) {
  return absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone());
}

absl::Status ValidateWitnessStatement(const WitnessStatement& statement) {
  REG_RETURN_IF_ERROR(CheckSourceId("source_id", statement.source_id));
  REG_RETURN_IF_ERROR(CheckText("statement.plan_id", statement.plan_id, kMaxPlanIdBytes));
  if (statement.round < 0) return InvalidField("round", "must not be negative");
  REG_RETURN_IF_ERROR(CheckDigestHex("statement.commitment", statement.commitment));
  REG_RETURN_IF_ERROR(CheckValueHex(statement.value));
  REG_RETURN_IF_ERROR(CheckSignedAt(statement.signed_at));
  if (statement.attested.size() > static_cast<size_t>(kMaxAttestedValues)) {
    return InvalidField("attested", absl::StrCat("at most ", kMaxAttestedValues, " values, got ",
                                                 statement.attested.size()));
  }
  for (size_t i = 0; i < statement.attested.size(); ++i) {
    const AttestedValue& a = statement.attested[i];
    REG_RETURN_IF_ERROR(CheckSourceId("attested.source_id", a.source_id));
    if (a.source_id == statement.source_id) {
      return InvalidField("attested.source_id",
                          "a witness attests other sources' values, not its own");
    }
    if (i > 0 && !(statement.attested[i - 1].source_id < a.source_id)) {
      return InvalidField("attested.source_id",
                          absl::StrCat("must be strictly increasing; \"", a.source_id,
                                       "\" follows \"", statement.attested[i - 1].source_id,
                                       "\""));
    }
    REG_RETURN_IF_ERROR(CheckText("statement.attested.value", a.value, kMaxAttestedValueBytes));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CanonicalWitnessStatementText(const WitnessStatement& statement) {
  REG_RETURN_IF_ERROR(ValidateWitnessStatement(statement));
  CanonicalRecord record;
  record.Add("domain", kWitnessStatementDomain);
  record.Add("source_id", statement.source_id);
  record.Add("plan_id", statement.plan_id);
  record.Add("round", statement.round);
  record.Add("commitment", statement.commitment);
  record.Add("value", statement.value);
  record.Add("signed_at", FormatStatementTime(statement.signed_at));
  record.Add("attested", static_cast<int64_t>(statement.attested.size()));
  for (const AttestedValue& a : statement.attested) {
    record.Add("attested.source_id", a.source_id);
    record.Add("attested.value", a.value);
  }
  return record.bytes();
}

absl::StatusOr<WitnessStatement> ParseWitnessStatementText(absl::string_view text) {
  FieldReader reader(text);
  REG_ASSIGN_OR_RETURN(absl::string_view domain, reader.Next("domain"));
  if (domain != kWitnessStatementDomain) {
    return absl::InvalidArgumentError(absl::StrCat("statement: the domain is \"",
                                                   absl::CHexEscape(domain), "\", not \"",
                                                   kWitnessStatementDomain, "\""));
  }
  WitnessStatement statement;
  REG_ASSIGN_OR_RETURN(absl::string_view source_id, reader.Next("source_id"));
  REG_ASSIGN_OR_RETURN(absl::string_view plan_id, reader.Next("plan_id"));
  REG_ASSIGN_OR_RETURN(absl::string_view round, reader.Next("round"));
  REG_ASSIGN_OR_RETURN(absl::string_view commitment, reader.Next("commitment"));
  REG_ASSIGN_OR_RETURN(absl::string_view value, reader.Next("value"));
  REG_ASSIGN_OR_RETURN(absl::string_view signed_at, reader.Next("signed_at"));
  REG_ASSIGN_OR_RETURN(absl::string_view attested, reader.Next("attested"));
  statement.source_id = std::string(source_id);
  statement.plan_id = std::string(plan_id);
  statement.commitment = std::string(commitment);
  statement.value = std::string(value);
  const std::optional<int64_t> round_number = ParseCount(round);
  if (!round_number.has_value()) {
    return InvalidField("round", "must be a decimal number without leading zeros");
  }
  statement.round = *round_number;
  std::string error;
  if (!absl::ParseTime(kTimeFormat, signed_at, absl::UTCTimeZone(), &statement.signed_at,
                       &error) ||
      FormatStatementTime(statement.signed_at) != signed_at) {
    return InvalidField("signed_at", absl::StrCat("must be RFC 3339 UTC to the second, e.g. "
                                                  "2026-12-06T08:00:00Z, got \"",
                                                  absl::CHexEscape(signed_at), "\""));
  }
  const std::optional<int64_t> count = ParseCount(attested);
  if (!count.has_value() || *count > kMaxAttestedValues) {
    return InvalidField("attested", absl::StrCat("must be a count from 0 to ", kMaxAttestedValues));
  }
  for (int64_t i = 0; i < *count; ++i) {
    REG_ASSIGN_OR_RETURN(absl::string_view attested_id, reader.Next("attested.source_id"));
    REG_ASSIGN_OR_RETURN(absl::string_view attested_value, reader.Next("attested.value"));
    statement.attested.push_back({std::string(attested_id), std::string(attested_value)});
  }
  REG_RETURN_IF_ERROR(reader.ExpectEnd());
  // Every field in range, and the text exactly what those fields encode to.
  REG_ASSIGN_OR_RETURN(std::string canonical, CanonicalWitnessStatementText(statement));
  if (canonical != text) {
    return absl::InvalidArgumentError("statement: not canonical: it does not re-encode to itself");
  }
  return statement;
}

absl::StatusOr<std::string> FreshWitnessValue() {
  unsigned char bytes[kWitnessValueBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return OpenSslError("RAND_bytes");
  return EncodeHex(absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

absl::StatusOr<SignedWitnessStatement> SignWitnessStatement(const WitnessKey& key,
                                                            const WitnessStatement& statement) {
  SignedWitnessStatement out;
  REG_ASSIGN_OR_RETURN(out.text, CanonicalWitnessStatementText(statement));
  REG_ASSIGN_OR_RETURN(std::string signature, key.Sign(out.text));
  out.signature_hex = EncodeHex(signature);
  return out;
}

absl::StatusOr<WitnessStatement> VerifyWitnessStatement(const WitnessPublicKey& key,
                                                        absl::string_view text,
                                                        absl::string_view signature_hex) {
  REG_ASSIGN_OR_RETURN(std::string signature,
                       DecodeHex("signature_hex", signature_hex, kWitnessSignatureSize));
  REG_ASSIGN_OR_RETURN(WitnessStatement statement, ParseWitnessStatementText(text));
  REG_RETURN_IF_ERROR(key.Verify(text, signature));
  return statement;
}

absl::StatusOr<WitnessStatement> VerifyWitnessStatement(const RegisteredWitness& witness,
                                                        absl::string_view text,
                                                        absl::string_view signature_hex) {
  REG_ASSIGN_OR_RETURN(WitnessAlgorithm algorithm,
                       ParseWitnessAlgorithm("algorithm", witness.algorithm));
  REG_ASSIGN_OR_RETURN(WitnessPublicKey key, WitnessPublicKey::FromHex(
                                                 algorithm, "public_key_hex",
                                                 witness.public_key_hex));
  REG_ASSIGN_OR_RETURN(WitnessStatement statement,
                       VerifyWitnessStatement(key, text, signature_hex));
  if (statement.source_id != witness.source_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "statement.source_id: signed as source \"", statement.source_id, "\", not \"",
        witness.source_id, "\""));
  }
  return statement;
}

absl::Status CheckStatementBinding(const WitnessStatement& statement,
                                   const StatementBinding& binding) {
  if (statement.plan_id != binding.plan_id) {
    return absl::FailedPreconditionError(absl::StrCat("statement.plan_id: signed for plan \"",
                                                      statement.plan_id, "\", not \"",
                                                      binding.plan_id, "\""));
  }
  if (statement.round != binding.round) {
    return absl::FailedPreconditionError(absl::StrCat("statement.round: signed for round ",
                                                      statement.round, ", not ", binding.round));
  }
  if (statement.commitment != binding.commitment) {
    return absl::FailedPreconditionError(
        absl::StrCat("statement.commitment: signed for commitment ", statement.commitment,
                     ", not this round's ", binding.commitment));
  }
  if (statement.signed_at < binding.not_before) {
    return absl::FailedPreconditionError(absl::StrCat(
        "statement.signed_at: ", FormatStatementTime(statement.signed_at), " is before ",
        absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", binding.not_before, absl::UTCTimeZone()),
        ", the earliest allowed"));
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler::entropy
