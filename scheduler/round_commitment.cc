#include "scheduler/round_commitment.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "scheduler/canonical_record.h"
#include "scheduler/canonical_time.h"
#include "scheduler/field_checks.h"
#include "scheduler/json_fields.h"

namespace regulation::scheduler {
namespace {

constexpr char kCommitmentDomain[] = "regulation.commitment.v1";

bool IsLowerHex(absl::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// Lowercase hex of big-endian bytes without leading zero bytes, `min_bytes` to 1024.
bool IsUnsignedHex(absl::string_view s, size_t min_bytes) {
  return s.size() % 2 == 0 && s.size() >= 2 * min_bytes && s.size() <= 2048 && IsLowerHex(s) &&
         s.substr(0, 2) != "00";
}

absl::Status ValidateSource(absl::string_view where, const CommittedSource& s) {
  REG_RETURN_IF_ERROR(CheckInspectorId(absl::StrCat(where, ".source_id"), s.source_id));
  if (!s.department.empty()) {
    REG_RETURN_IF_ERROR(CheckText(absl::StrCat(where, ".department"), s.department, 128));
  }
  const bool witness = s.kind == SourceKind::kWitness;
  const bool beacon = s.kind == SourceKind::kBeacon;
  if (witness) {
    if (s.department.empty()) {
      return Invalid(absl::StrCat(where, ".department"), "a WITNESS names its department");
    }
    if (s.algorithm == kEd25519) {
      if (s.public_key.size() != 64 || !IsLowerHex(s.public_key)) {
        return Invalid(absl::StrCat(where, ".public_key"),
                       "an Ed25519 key is 32 bytes, 64 lowercase hex characters");
      }
    } else if (s.algorithm == kSm2Sm3) {
      if (s.public_key.size() != 130 || !IsLowerHex(s.public_key) ||
          s.public_key.substr(0, 2) != "04") {
        return Invalid(absl::StrCat(where, ".public_key"),
                       "an SM2 key is 65 bytes 04||x||y, 130 lowercase hex characters");
      }
    } else {
      return Invalid(absl::StrCat(where, ".algorithm"),
                     absl::StrFormat("a WITNESS signs with %s or %s, got \"%s\"", kEd25519, kSm2Sm3,
                                     s.algorithm));
    }
  } else if (!s.public_key.empty()) {
    return Invalid(absl::StrCat(where, ".public_key"), "only a WITNESS has one");
  }
  if (beacon) {
    if (s.algorithm != kRsaPkcs1Sha512) {
      return Invalid(
          absl::StrCat(where, ".algorithm"),
          absl::StrFormat("a BEACON signs with %s, got \"%s\"", kRsaPkcs1Sha512, s.algorithm));
    }
    if (s.certificate_pem.empty() || s.certificate_pem.size() > 16384 ||
        !IsValidUtf8(s.certificate_pem) ||
        s.certificate_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return Invalid(absl::StrCat(where, ".certificate_pem"),
                     "must be the pinned PEM certificate, at most 16 KiB");
    }
    if (!IsUnsignedHex(s.rsa_modulus, 256)) {
      return Invalid(absl::StrCat(where, ".rsa_modulus"),
                     "must be the RSA modulus (2048-8192 bits), lowercase hex bytes without "
                     "leading zero bytes");
    }
    if (!IsUnsignedHex(s.rsa_exponent, 1) || s.rsa_exponent.size() > 16) {
      return Invalid(absl::StrCat(where, ".rsa_exponent"),
                     "must be the RSA exponent, 1-8 lowercase hex bytes without leading zeros");
    }
    REG_RETURN_IF_ERROR(
        ParseCanonicalTime(absl::StrCat(where, ".pulse_time"), s.pulse_time).status());
  } else {
    if (!s.certificate_pem.empty() || !s.rsa_modulus.empty() || !s.rsa_exponent.empty()) {
      return Invalid(absl::StrCat(where, ".rsa_modulus"), "only a BEACON has an RSA key");
    }
    if (!s.pulse_time.empty()) {
      return Invalid(absl::StrCat(where, ".pulse_time"), "only a BEACON names a pulse");
    }
  }
  if (s.kind == SourceKind::kUnchecked && !s.algorithm.empty()) {
    return Invalid(absl::StrCat(where, ".algorithm"), "an UNCHECKED source has none");
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kWitness:
      return "WITNESS";
    case SourceKind::kBeacon:
      return "BEACON";
    case SourceKind::kUnchecked:
      return "UNCHECKED";
  }
  return "";
}

std::optional<SourceKind> ParseSourceKind(absl::string_view name) {
  for (SourceKind kind : {SourceKind::kWitness, SourceKind::kBeacon, SourceKind::kUnchecked}) {
    if (SourceKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

absl::string_view RoundKindName(RoundKind kind) {
  switch (kind) {
    case RoundKind::kDraw:
      return "draw";
    case RoundKind::kReplace:
      return "replace";
    case RoundKind::kRestaff:
      return "restaff";
  }
  return "";
}

std::optional<RoundKind> ParseRoundKind(absl::string_view name) {
  for (RoundKind kind : {RoundKind::kDraw, RoundKind::kReplace, RoundKind::kRestaff}) {
    if (RoundKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

absl::Status ValidateRoundCommitment(const CommitmentScope& scope, const RoundCommitment& c) {
  REG_RETURN_IF_ERROR(CheckText("plan.plan_id", scope.plan_id, 128));
  if (scope.round < 0) return Invalid("round", "must not be negative");
  REG_RETURN_IF_ERROR(CheckDigestHex("digests.plan", scope.plan_digest));
  REG_RETURN_IF_ERROR(CheckDigestHex("digests.population", scope.population_digest));
  for (int k = 0; k < kRiskClassCount; ++k) {
    REG_RETURN_IF_ERROR(CheckDigestHex(absl::StrCat("digests.population_", std::string(1, 'a' + k)),
                                       scope.population_classes[k]));
  }
  REG_RETURN_IF_ERROR(CheckDigestHex("digests.roster", scope.roster_digest));
  if (scope.round == 0) {
    if (c.kind != RoundKind::kDraw) return Invalid("commitment.kind", "round 0 is a \"draw\"");
    if (!scope.previous_bundle_digest.empty() || !scope.named.empty()) {
      return Invalid("commitment", "round 0 follows no bundle and names no targets");
    }
  } else {
    if (c.kind == RoundKind::kDraw) {
      return Invalid("commitment.kind", "rounds >= 1 are \"replace\" or \"restaff\"");
    }
    REG_RETURN_IF_ERROR(
        CheckDigestHex("replacement.previous_bundle_digest", scope.previous_bundle_digest));
    if (scope.named.empty() || scope.named.size() > static_cast<size_t>(kMaxNamedPerRound)) {
      return Invalid("replacement.named",
                     absl::StrCat("a round names 1-", kMaxNamedPerRound, " targets"));
    }
    std::set<std::string> named;
    for (size_t i = 0; i < scope.named.size(); ++i) {
      const std::string field = absl::StrFormat("replacement.named[%d]", i);
      REG_RETURN_IF_ERROR(CheckCreditCode(field, scope.named[i]));
      if (!named.insert(scope.named[i]).second) return Invalid(field, "appears twice");
    }
  }
  REG_RETURN_IF_ERROR(CheckDigestHex("commitment.nonce_commitment", c.nonce_commitment));
  REG_ASSIGN_OR_RETURN(const absl::Time committed_at,
                       ParseCanonicalTime("commitment.committed_at", c.committed_at));
  if (c.min_entropy_delay_seconds < 0 || c.min_entropy_delay_seconds > kMaxEntropyDelaySeconds) {
    return Invalid("commitment.min_entropy_delay_seconds",
                   absl::StrCat("must be 0-", kMaxEntropyDelaySeconds));
  }
  if (c.sources.empty() || c.sources.size() > static_cast<size_t>(kMaxSourcesPerRound)) {
    return Invalid("commitment.sources",
                   absl::StrCat("a round names 1-", kMaxSourcesPerRound, " sources"));
  }
  const absl::Time earliest = committed_at + absl::Seconds(c.min_entropy_delay_seconds);
  std::set<std::string> ids;
  bool checked = false, witness = false, unchecked = false;
  for (size_t i = 0; i < c.sources.size(); ++i) {
    const CommittedSource& s = c.sources[i];
    const std::string where = absl::StrFormat("commitment.sources[%d]", i);
    REG_RETURN_IF_ERROR(ValidateSource(where, s));
    if (!ids.insert(s.source_id).second) {
      return Invalid(where, absl::StrCat("source ", s.source_id, " is named twice"));
    }
    checked = checked || s.kind != SourceKind::kUnchecked;
    witness = witness || s.kind == SourceKind::kWitness;
    unchecked = unchecked || s.kind == SourceKind::kUnchecked;
    if (s.kind == SourceKind::kWitness &&
        std::find(scope.departments.begin(), scope.departments.end(), s.department) !=
            scope.departments.end()) {
      return Invalid(where, absl::StrFormat("witness %s belongs to %s, a department of the plan; "
                                            "the party that holds the nonce may not also "
                                            "supply the checked entropy",
                                            s.source_id, s.department));
    }
    if (s.kind == SourceKind::kBeacon) {
      const absl::Time pulse = *ParseCanonicalTime("pulse_time", s.pulse_time);
      if (pulse <= earliest) {
        return Invalid(absl::StrCat(where, ".pulse_time"),
                       absl::StrFormat("pulse %s is not after the commitment time plus the "
                                       "minimum delay (%s)",
                                       s.pulse_time, CanonicalTime(earliest)));
      }
    }
  }
  if (!checked) {
    return Invalid("commitment.sources",
                   "at least one WITNESS or BEACON: an UNCHECKED source is named only in addition");
  }
  if (unchecked && !witness) {
    return Invalid("commitment.sources",
                   "an UNCHECKED source needs a WITNESS in the same round to attest its value");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CommitmentRecordBytes(const CommitmentScope& scope,
                                                  const RoundCommitment& c) {
  REG_RETURN_IF_ERROR(ValidateRoundCommitment(scope, c));
  std::vector<std::string> named = scope.named;
  std::sort(named.begin(), named.end());
  CanonicalRecord record;
  record.Add("domain", kCommitmentDomain);
  record.Add("plan_id", scope.plan_id);
  record.Add("round", scope.round);
  record.Add("kind", RoundKindName(c.kind));
  record.Add("plan_digest", scope.plan_digest);
  record.Add("population_digest", scope.population_digest);
  for (int k = 0; k < kRiskClassCount; ++k) {
    record.Add(absl::StrCat("population_digest_", std::string(1, 'a' + k)),
               scope.population_classes[k]);
  }
  record.Add("roster_digest", scope.roster_digest);
  record.Add("previous_bundle_digest", scope.previous_bundle_digest);
  record.Add("named", static_cast<int64_t>(named.size()));
  for (const std::string& code : named) record.Add("named.credit_code", code);
  record.Add("nonce_commitment", c.nonce_commitment);
  record.Add("committed_at", c.committed_at);
  record.Add("min_entropy_delay_seconds", c.min_entropy_delay_seconds);
  record.Add("sources", static_cast<int64_t>(c.sources.size()));
  for (const CommittedSource& s : c.sources) {
    record.Add("source.id", s.source_id);
    record.Add("source.kind", SourceKindName(s.kind));
    record.Add("source.department", s.department);
    record.Add("source.algorithm", s.algorithm);
    record.Add("source.public_key", s.public_key);
    record.Add("source.certificate_pem", s.certificate_pem);
    record.Add("source.rsa_modulus", s.rsa_modulus);
    record.Add("source.rsa_exponent", s.rsa_exponent);
    record.Add("source.pulse_time", s.pulse_time);
  }
  return record.bytes();
}

absl::StatusOr<std::string> CommitmentDigest(const CommitmentScope& scope,
                                             const RoundCommitment& c) {
  REG_ASSIGN_OR_RETURN(const std::string bytes, CommitmentRecordBytes(scope, c));
  return Sha256Hex(bytes);
}

void AppendCommitmentJson(std::string* out, const RoundCommitment& c) {
  out->push_back('{');
  StringMember(out, "digest", c.digest);
  out->push_back(',');
  StringMember(out, "kind", RoundKindName(c.kind));
  out->push_back(',');
  StringMember(out, "nonce_commitment", c.nonce_commitment);
  out->push_back(',');
  StringMember(out, "committed_at", c.committed_at);
  out->push_back(',');
  IntMember(out, "min_entropy_delay_seconds", c.min_entropy_delay_seconds);
  out->push_back(',');
  Key(out, "sources");
  out->push_back('[');
  for (size_t i = 0; i < c.sources.size(); ++i) {
    const CommittedSource& s = c.sources[i];
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "source_id", s.source_id);
    out->push_back(',');
    StringMember(out, "kind", SourceKindName(s.kind));
    out->push_back(',');
    StringMember(out, "department", s.department);
    out->push_back(',');
    StringMember(out, "algorithm", s.algorithm);
    out->push_back(',');
    StringMember(out, "public_key", s.public_key);
    out->push_back(',');
    StringMember(out, "certificate_pem", s.certificate_pem);
    out->push_back(',');
    StringMember(out, "rsa_modulus", s.rsa_modulus);
    out->push_back(',');
    StringMember(out, "rsa_exponent", s.rsa_exponent);
    out->push_back(',');
    StringMember(out, "pulse_time", s.pulse_time);
    out->push_back('}');
  }
  out->append("]}");
}

std::string WriteCommitmentJson(const RoundCommitment& c) {
  std::string out;
  AppendCommitmentJson(&out, c);
  return out;
}

absl::Status ReadCommitmentJson(const JsonValue& v, absl::string_view where, RoundCommitment* c) {
  REG_RETURN_IF_ERROR(ExpectObject(v, where,
                                   {"digest", "kind", "nonce_commitment", "committed_at",
                                    "min_entropy_delay_seconds", "sources"}));
  REG_RETURN_IF_ERROR(GetString(v, where, "digest", &c->digest));
  REG_RETURN_IF_ERROR(Recode(Path(where, "digest"), CheckDigestHex("digest", c->digest)));
  std::string kind;
  REG_RETURN_IF_ERROR(GetString(v, where, "kind", &kind));
  std::optional<RoundKind> round_kind = ParseRoundKind(kind);
  if (!round_kind.has_value()) {
    return Bad(Path(where, "kind"),
               absl::StrFormat("must be draw, replace or restaff, got \"%s\"", kind));
  }
  c->kind = *round_kind;
  REG_RETURN_IF_ERROR(GetString(v, where, "nonce_commitment", &c->nonce_commitment));
  REG_RETURN_IF_ERROR(
      Recode(Path(where, "nonce_commitment"), CheckDigestHex("digest", c->nonce_commitment)));
  REG_RETURN_IF_ERROR(GetString(v, where, "committed_at", &c->committed_at));
  REG_RETURN_IF_ERROR(Recode(where, ParseCanonicalTime("committed_at", c->committed_at).status()));
  REG_RETURN_IF_ERROR(
      GetInt(v, where, "min_entropy_delay_seconds", 0, &c->min_entropy_delay_seconds));
  const std::vector<JsonValue>* sources;
  REG_RETURN_IF_ERROR(GetArray(v, where, "sources", &sources));
  c->sources.clear();
  for (size_t i = 0; i < sources->size(); ++i) {
    const std::string at = absl::StrFormat("%s.sources[%d]", where, i);
    const JsonValue& s = (*sources)[i];
    REG_RETURN_IF_ERROR(
        ExpectObject(s, at,
                     {"source_id", "kind", "department", "algorithm", "public_key",
                      "certificate_pem", "rsa_modulus", "rsa_exponent", "pulse_time"}));
    CommittedSource& out = c->sources.emplace_back();
    REG_RETURN_IF_ERROR(GetString(s, at, "source_id", &out.source_id));
    std::string source_kind;
    REG_RETURN_IF_ERROR(GetString(s, at, "kind", &source_kind));
    std::optional<SourceKind> parsed = ParseSourceKind(source_kind);
    if (!parsed.has_value()) {
      return Bad(Path(at, "kind"),
                 absl::StrFormat("must be WITNESS, BEACON or UNCHECKED, got \"%s\"", source_kind));
    }
    out.kind = *parsed;
    REG_RETURN_IF_ERROR(GetString(s, at, "department", &out.department));
    REG_RETURN_IF_ERROR(GetString(s, at, "algorithm", &out.algorithm));
    REG_RETURN_IF_ERROR(GetString(s, at, "public_key", &out.public_key));
    REG_RETURN_IF_ERROR(GetString(s, at, "certificate_pem", &out.certificate_pem));
    REG_RETURN_IF_ERROR(GetString(s, at, "rsa_modulus", &out.rsa_modulus));
    REG_RETURN_IF_ERROR(GetString(s, at, "rsa_exponent", &out.rsa_exponent));
    REG_RETURN_IF_ERROR(GetString(s, at, "pulse_time", &out.pulse_time));
    REG_RETURN_IF_ERROR(Recode(at, ValidateSource("source", out)));
  }
  return absl::OkStatus();
}

absl::StatusOr<RoundCommitment> ParseCommitmentJson(absl::string_view json) {
  absl::StatusOr<JsonValue> root = ParseJson(json);
  if (!root.ok()) return absl::DataLossError(absl::StrCat("commitment: ", root.status().message()));
  RoundCommitment c;
  absl::Status read = ReadCommitmentJson(*root, "commitment", &c);
  if (!read.ok()) return read;
  if (WriteCommitmentJson(c) != json) {
    return absl::DataLossError("commitment: not in canonical form");
  }
  return c;
}

}  // namespace regulation::scheduler
