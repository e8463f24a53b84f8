#include "scheduler/seed.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/utf8.h"
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

absl::Status ValidateEntropyValue(absl::string_view field, absl::string_view entropy_value) {
  if (entropy_value.empty() || entropy_value.size() > 1024 || !IsValidUtf8(entropy_value)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be 1-1024 bytes of UTF-8"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SeedRecordBytes(const SeedInputs& inputs) {
  REG_RETURN_IF_ERROR(CheckDigestHex("commitment.digest", inputs.commitment_digest));
  REG_RETURN_IF_ERROR(ValidateNonceHex(inputs.nonce_hex));
  if (inputs.entropy.empty() || inputs.entropy.size() > 16) {
    return absl::InvalidArgumentError("entropy: the seed mixes 1-16 values");
  }
  for (size_t i = 0; i < inputs.entropy.size(); ++i) {
    const std::string field = absl::StrFormat("entropy[%d]", i);
    REG_RETURN_IF_ERROR(CheckInspectorId(absl::StrCat(field, ".source_id"),
                                         inputs.entropy[i].source_id));
    REG_RETURN_IF_ERROR(ValidateEntropyValue(absl::StrCat(field, ".value"),
                                             inputs.entropy[i].value));
  }
  if (inputs.round < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("round: must not be negative, got %d", inputs.round));
  }
  CanonicalRecord record;
  record.Add("domain", "regulation.draw.v2");
  record.Add("commitment_digest", inputs.commitment_digest);
  record.Add("nonce", inputs.nonce_hex);
  record.Add("entropy_values", static_cast<int64_t>(inputs.entropy.size()));
  for (const EntropyValue& e : inputs.entropy) {
    record.Add("entropy.source_id", e.source_id);
    record.Add("entropy.value", e.value);
  }
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
