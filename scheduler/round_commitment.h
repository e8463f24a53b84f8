#ifndef SCHEDULER_ROUND_COMMITMENT_H_
#define SCHEDULER_ROUND_COMMITMENT_H_

// What a draw round commits to before its outside randomness exists, and the digest
// every entropy statement of the round binds to (docs/draw-spec.md §4.2).
//
// Round 0's commitment is made by CommitPlan, a replacement or re-staffing round's by
// its announcement. Each names its nonce commitment, its time, the server's minimum
// entropy delay, and the registered sources (entropy.proto) whose statements the round
// will take, with the public key material each statement is checked against. The digest
// also covers the round's scope: the plan id, the round, the plan, population and roster
// digests, and for rounds >= 1 the previous bundle and the targets the round names.
//
//   RoundCommitment c = ...;  CommitmentScope scope = ...;
//   absl::StatusOr<std::string> digest = CommitmentDigest(scope, c);
//   std::string json = WriteCommitmentJson(c);   // the bundle's "commitment" member
//
// Thread safety: value types and stateless functions.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/json.h"
#include "scheduler/risk_class.h"

namespace regulation::scheduler {

enum class SourceKind { kWitness, kBeacon, kUnchecked };
// "WITNESS", "BEACON", "UNCHECKED".
absl::string_view SourceKindName(SourceKind kind);
std::optional<SourceKind> ParseSourceKind(absl::string_view name);

// The algorithms a source may name (RegisteredEntropySource.algorithm).
inline constexpr char kEd25519[] = "ed25519";
inline constexpr char kSm2Sm3[] = "sm2-sm3";
inline constexpr char kRsaPkcs1Sha512[] = "rsa-pkcs1-sha512";

enum class RoundKind { kDraw, kReplace, kRestaff };
// "draw" (round 0), "replace", "restaff".
absl::string_view RoundKindName(RoundKind kind);
std::optional<RoundKind> ParseRoundKind(absl::string_view name);

// Most sources one round may name.
inline constexpr int kMaxSourcesPerRound = 16;
// Most targets one round may name (replace or re-staff).
inline constexpr int kMaxNamedPerRound = 5000;
// Largest minimum entropy delay: one week.
inline constexpr int64_t kMaxEntropyDelaySeconds = 7 * 24 * 3600;

// A registered source as a commitment names it: its public registration (what its
// statements are checked against) and, for a beacon, the pulse the round will use.
struct CommittedSource {
  // 1-64 characters from [A-Za-z0-9._-].
  std::string source_id;
  SourceKind kind = SourceKind::kWitness;
  // The organisation it belongs to (required for a WITNESS): 1-128 bytes of text, or "".
  std::string department;
  // WITNESS: kEd25519 or kSm2Sm3; BEACON: kRsaPkcs1Sha512; UNCHECKED: "".
  std::string algorithm;
  // WITNESS: the raw public key, lowercase hex (Ed25519 32 bytes, SM2 65 bytes 04||x||y).
  std::string public_key;
  // BEACON: the pinned certificate (PEM) as registered, and its RSA modulus and
  // exponent, lowercase hex bytes without leading zero bytes (for readers without an
  // X.509 parser; statement_check.h checks that they are the certificate's).
  std::string certificate_pem;
  std::string rsa_modulus;
  std::string rsa_exponent;
  // BEACON: the pulse's time (canonical_time.h); otherwise "".
  std::string pulse_time;
};

struct RoundCommitment {
  // Lowercase hex SHA-256 of the commitment record, as published. CommitmentDigest
  // recomputes it; it is not an input of the record.
  std::string digest;
  RoundKind kind = RoundKind::kDraw;
  // Lowercase hex SHA-256 of the round's nonce bytes.
  std::string nonce_commitment;
  // When the commitment (or announcement) was made, canonical_time.h.
  std::string committed_at;
  // Statements signed (pulses emitted) before committed_at + this are refused.
  int64_t min_entropy_delay_seconds = 0;
  // In the order the seed mixes their values.
  std::vector<CommittedSource> sources;
};

// The rest of what the digest covers, taken from the round's bundle or the server's plan.
struct CommitmentScope {
  std::string plan_id;
  // The plan's departments: a WITNESS of one of them is refused.
  std::vector<std::string> departments;
  int64_t round = 0;
  std::string plan_digest;
  std::string population_digest;
  std::array<std::string, kRiskClassCount> population_classes;
  // The roster the round staffs from (a re-staffing round's own).
  std::string roster_digest;
  // Rounds >= 1: the previous round's bundle digest; round 0: "".
  std::string previous_bundle_digest;
  // Rounds >= 1: the targets replaced or re-staffed, any order; round 0: none.
  std::vector<std::string> named;
};

// OK, or INVALID_ARGUMENT naming the field ("commitment.sources[1].pulse_time: ...").
// Checks shapes and the rules every round obeys: 1-16 sources with distinct ids; at least
// one WITNESS or BEACON; an UNCHECKED source only with a WITNESS (to attest its value); no
// WITNESS of one of the plan's departments; a BEACON pulse strictly after committed_at +
// the delay; round 0 is a "draw" naming nothing, rounds >= 1 "replace" or "restaff" naming
// 1-5000 distinct credit codes after a previous bundle digest. Not the digest itself.
absl::Status ValidateRoundCommitment(const CommitmentScope& scope, const RoundCommitment& c);

// The canonical record (canonical_record.h) of §4.2, after ValidateRoundCommitment.
absl::StatusOr<std::string> CommitmentRecordBytes(const CommitmentScope& scope,
                                                  const RoundCommitment& c);
// Lowercase hex SHA-256 of CommitmentRecordBytes.
absl::StatusOr<std::string> CommitmentDigest(const CommitmentScope& scope,
                                             const RoundCommitment& c);

// The bundle's "commitment" object (§9.2), canonical. REQUIRES: valid UTF-8 strings.
void AppendCommitmentJson(std::string* out, const RoundCommitment& c);
std::string WriteCommitmentJson(const RoundCommitment& c);

// Reads what AppendCommitmentJson writes: the exact members in order, the right types,
// well-formed fields. DATA_LOSS "<where>...: <what>". Rules between fields are left to
// ValidateRoundCommitment.
absl::Status ReadCommitmentJson(const JsonValue& value, absl::string_view where,
                                RoundCommitment* c);
// The same from text; DATA_LOSS "commitment: ...", also for non-canonical bytes.
absl::StatusOr<RoundCommitment> ParseCommitmentJson(absl::string_view json);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_ROUND_COMMITMENT_H_
