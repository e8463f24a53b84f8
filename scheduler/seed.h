#ifndef SCHEDULER_SEED_H_
#define SCHEDULER_SEED_H_

// The draw seed and the nonce commitment (docs/draw-spec.md §4-5).
//
// The seed is the lowercase hex SHA-256 of a canonical record (canonical_record.h) of, in
// this order: domain "regulation.draw.v2", the round's commitment digest (which covers
// the plan, population and roster digests, the nonce commitment and the sources), the
// revealed nonce (hex), the number of entropy values, each source id and its checked
// value in the commitment's source order, and the round number. Everything but the values
// is committed before they exist, and each value is checked against its registered
// source, so nobody can choose the seed.
//
// The nonce is 16-64 random bytes written as 32-128 lowercase hex characters; its
// commitment is the lowercase hex SHA-256 of those bytes (hex-decoded).
//
// Thread safety: value types and stateless functions.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler {

// One source's checked value (statement_check.h): a witness's value, a beacon pulse's
// outputValue, an unchecked source's attested value.
struct EntropyValue {
  std::string source_id;
  // 1-1024 bytes of UTF-8.
  std::string value;
};

struct SeedInputs {
  // The round's commitment digest, 64 lowercase hex (round_commitment.h).
  std::string commitment_digest;
  // The revealed nonce, 32-128 lowercase hex characters.
  std::string nonce_hex;
  // One per committed source, in the commitment's order (1-16).
  std::vector<EntropyValue> entropy;
  // 0 for the original draw, 1, 2, ... for later rounds.
  int round = 0;
};

// OK, or INVALID_ARGUMENT: the nonce must be 32-128 lowercase hex characters (even).
absl::Status ValidateNonceHex(absl::string_view nonce_hex);

// OK, or INVALID_ARGUMENT "<field>: ...": 1-1024 bytes of valid UTF-8.
absl::Status ValidateEntropyValue(absl::string_view field, absl::string_view entropy_value);

// The canonical record the seed hashes. INVALID_ARGUMENT naming the bad input.
absl::StatusOr<std::string> SeedRecordBytes(const SeedInputs& inputs);

// Lowercase hex SHA-256 of SeedRecordBytes(inputs). INVALID_ARGUMENT as SeedRecordBytes.
absl::StatusOr<std::string> DeriveSeed(const SeedInputs& inputs);

// Lowercase hex SHA-256 of the nonce's bytes. INVALID_ARGUMENT as ValidateNonceHex.
absl::StatusOr<std::string> NonceCommitment(absl::string_view nonce_hex);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_SEED_H_
