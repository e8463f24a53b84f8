#ifndef SCHEDULER_SEED_H_
#define SCHEDULER_SEED_H_

// The draw seed and the nonce commitment (docs/draw-spec.md §4-5).
//
// The seed is the lowercase hex SHA-256 of a canonical record (canonical_record.h) of, in
// this order: domain "regulation.draw.v1", the plan digest, the overall population digest,
// the four class population digests (A-D), the roster digest, the revealed nonce (hex),
// the external entropy value, and the round number. Everything but the entropy is
// committed before the entropy exists, so nobody can choose the seed.
//
// The nonce is 16-64 random bytes written as 32-128 lowercase hex characters; its
// commitment is the lowercase hex SHA-256 of those bytes (hex-decoded).
//
// Thread safety: value types and stateless functions.

#include <array>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/risk_class.h"

namespace regulation::scheduler {

struct SeedInputs {
  // Lowercase hex SHA-256 digests (64 characters each).
  std::string plan_digest;
  std::string population_digest;
  std::array<std::string, kRiskClassCount> class_population_digests;
  std::string roster_digest;
  // The revealed nonce, 32-128 lowercase hex characters.
  std::string nonce_hex;
  // The outside randomness as entered: 1-1024 bytes of UTF-8.
  std::string entropy_value;
  // 0 for the original draw, 1, 2, ... for replacement rounds.
  int round = 0;
};

// OK, or INVALID_ARGUMENT: the nonce must be 32-128 lowercase hex characters (even).
absl::Status ValidateNonceHex(absl::string_view nonce_hex);

// OK, or INVALID_ARGUMENT: 1-1024 bytes of valid UTF-8.
absl::Status ValidateEntropyValue(absl::string_view entropy_value);

// The canonical record the seed hashes. INVALID_ARGUMENT naming the bad input.
absl::StatusOr<std::string> SeedRecordBytes(const SeedInputs& inputs);

// Lowercase hex SHA-256 of SeedRecordBytes(inputs). INVALID_ARGUMENT as SeedRecordBytes.
absl::StatusOr<std::string> DeriveSeed(const SeedInputs& inputs);

// Lowercase hex SHA-256 of the nonce's bytes. INVALID_ARGUMENT as ValidateNonceHex.
absl::StatusOr<std::string> NonceCommitment(absl::string_view nonce_hex);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_SEED_H_
