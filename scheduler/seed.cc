#include "scheduler/seed.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/canonical_record.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler {

absl::Status ValidateNonceHex(absl::string_view nonce_hex) {
  bool ok = nonce_hex.size() >= 32 && nonce_hex.size() <= 128 && nonce_hex.size() % 2 == 0;
  for (char c : nonce_hex) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) {
    return absl::InvalidArgumentError(
        "nonce: must be 32-128 lowercase hexadecimal characters (16-64 bytes)");
  }
  return absl::OkStatus();
}

absl::Status ValidateEntropyValue(absl::string_view entropy_value) {
  if (entropy_value.empty() || entropy_value.size() > 1024 || !IsValidUtf8(entropy_value)) {
    return absl::InvalidArgumentError("entropy: must be 1-1024 bytes of UTF-8");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SeedRecordBytes(const SeedInputs& inputs) {
  REG_RETURN_IF_ERROR(CheckDigestHex("digests.plan", inputs.plan_digest));
  REG_RETURN_IF_ERROR(CheckDigestHex("digests.population", inputs.population_digest));
  for (int c = 0; c < kRiskClassCount; ++c) {
    REG_RETURN_IF_ERROR(CheckDigestHex(absl::StrCat("digests.population_", std::string(1, 'a' + c)),
                                       inputs.class_population_digests[c]));
  }
  REG_RETURN_IF_ERROR(CheckDigestHex("digests.roster", inputs.roster_digest));
  REG_RETURN_IF_ERROR(ValidateNonceHex(inputs.nonce_hex));
  REG_RETURN_IF_ERROR(ValidateEntropyValue(inputs.entropy_value));
  if (inputs.round < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("round: must not be negative, got %d", inputs.round));
  }
  CanonicalRecord record;
  record.Add("domain", "regulation.draw.v1");
  record.Add("plan_digest", inputs.plan_digest);
  record.Add("population_digest", inputs.population_digest);
  for (int c = 0; c < kRiskClassCount; ++c) {
    record.Add(absl::StrCat("population_digest_", std::string(1, 'a' + c)),
               inputs.class_population_digests[c]);
  }
  record.Add("roster_digest", inputs.roster_digest);
  record.Add("nonce", inputs.nonce_hex);
  record.Add("entropy", inputs.entropy_value);
  record.Add("round", inputs.round);
  return record.bytes();
}

absl::StatusOr<std::string> DeriveSeed(const SeedInputs& inputs) {
  REG_ASSIGN_OR_RETURN(std::string bytes, SeedRecordBytes(inputs));
  return Sha256Hex(bytes);
}

absl::StatusOr<std::string> NonceCommitment(absl::string_view nonce_hex) {
  REG_RETURN_IF_ERROR(ValidateNonceHex(nonce_hex));
  return Sha256Hex(absl::HexStringToBytes(nonce_hex));
}

}  // namespace regulation::scheduler
