#ifndef SCHEDULER_STATEMENT_CHECK_H_
#define SCHEDULER_STATEMENT_CHECK_H_

// Checks a round's entropy statements against its commitment (docs/draw-spec.md §4.3):
// the one place that decides whether an outside value may enter a seed. The server calls
// it before a draw (with its clock), the draw itself and every verifier call it again
// (without a clock).
//
// For each source the commitment names, in order, exactly one statement, which must:
//   WITNESS    verify under the committed key (witness_statement.h) and be bound to this
//              plan, this round and this round's commitment digest, signed no earlier
//              than committed_at + the minimum delay; its value is the witness's value;
//   BEACON     be a pulse signed with the committed certificate (beacon_pulse.h) whose
//              timeStamp is the committed pulse time; its value is the pulse's
//              outputValue (128 lowercase hex);
//   UNCHECKED  carry a value that a WITNESS statement of the round attests (the same
//              source id and value); its value is that value.
//
//   absl::StatusOr<CheckedStatements> checked = CheckStatements(scope, commitment, given);
//   seed_inputs.entropy = checked->values;
//
// Thread safety: stateless functions.

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/round_commitment.h"
#include "scheduler/seed.h"

namespace regulation::scheduler {

struct StatementCheckOptions {
  // The server's clock: statements dated (pulses stamped) after now + max_skew are
  // refused. Default: not checked (a verifier reading a bundle later).
  std::optional<absl::Time> now;
  // Default 2 minutes.
  absl::Duration max_skew = absl::Minutes(2);
};

struct CheckedStatements {
  // The statements in the commitment's source order, verbatim.
  std::vector<EntropyStatement> statements;
  // Their values, same order: what the seed mixes.
  std::vector<EntropyValue> values;
};

// `given` in any order. Errors name the source and the reason, e.g.
//   FAILED_PRECONDITION "statement of source notary-hz: signature: does not verify ..."
//   FAILED_PRECONDITION "statement of source notary-hz: statement.plan_id: signed for plan
//                        \"P-1\", not \"P-2\""
//   FAILED_PRECONDITION "statement of source nist: pulse time 2026-... differs from the
//                        committed pulse time 2026-..."
//   FAILED_PRECONDITION "statement of source lottery: its value is attested by no witness
//                        statement of this round"
//   FAILED_PRECONDITION "statement of source x: x is not named by round 0's commitment"
//   FAILED_PRECONDITION "source notary-hz: no statement" / "...: more than one statement"
//   INVALID_ARGUMENT    a malformed statement (not canonical, bad hex) or commitment.
// The commitment's digest is taken as given (the callers recompute it first).
absl::StatusOr<CheckedStatements> CheckStatements(const CommitmentScope& scope,
                                                  const RoundCommitment& commitment,
                                                  const std::vector<EntropyStatement>& given,
                                                  const StatementCheckOptions& options = {});

}  // namespace regulation::scheduler

#endif  // SCHEDULER_STATEMENT_CHECK_H_
