#ifndef SCHEDULER_DRAW_H_
#define SCHEDULER_DRAW_H_

// One draw round, end to end (docs/draw-spec.md): checks the inputs against what was
// committed (the plan and roster digests, the nonce, the round's commitment digest),
// checks the entropy statements (statement_check.h), derives the seed, selects the
// targets per class in one streaming pass over the population, staffs the teams, and
// writes the public bundle.
//
//   DrawInputs inputs = ...;           // frozen and committed before the entropy existed
//   inputs.statements = statements;    // then the sources' signed statements
//   absl::StatusOr<DrawResult> result = RunDraw(inputs, population_source, roster);
//   store(result->bundle_json, result->bundle_digest);
//
// Round 0 draws quotas[c] of each class. A replacement round (round >= 1, commitment kind
// "replace") uses the same committed inputs, its own nonce and statements and its round
// number: for class c it draws replacement->counts[c] enterprises not in
// replacement->excluded (which must hold every earlier round's targets), and continues the
// earlier rounds' workload counts. A re-staffing round (kind "restaff") selects nobody: its
// targets are replacement->restaffed, ordered by their tickets under the round's seed and
// staffed from the roster given (frozen at its announcement). A targeted plan's round 0
// selects nobody either: its targets are the plan's listed ones (the frozen population holds
// exactly those), ordered by their tickets and staffed like any other; it has re-staffing
// rounds but no replacement rounds (INVALID_ARGUMENT).
//
// Thread safety: RunDraw may run on any thread; it starts and joins its own workers.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/risk_class.h"
#include "scheduler/roster.h"
#include "scheduler/round_commitment.h"
#include "scheduler/team_assignment.h"

namespace regulation::scheduler {

struct ReplacementRound {
  // Digest of the previous round's bundle (64 lowercase hex).
  std::string previous_bundle_digest;
  // The targets the announcement named (replaced, or re-staffed). Any order.
  std::vector<std::string> named;
  // Re-staffing rounds: the named targets with their region codes (same codes as named).
  std::vector<TeamTarget> restaffed;
  // Replacements wanted per class, A ... D (>= 0; 0 in a re-staffing round).
  std::array<int64_t, kRiskClassCount> counts{};
  // Credit codes that may not be drawn: every earlier round's targets (required) and any
  // others excluded. Any order; repeats ignored.
  std::vector<std::string> excluded;
  // Assignments per inspector after the previous round.
  WorkloadCounts prior_workload;
};

struct DrawInputs {
  PlanSpec plan;
  // As committed. The plan digest and the roster digest are recomputed and must match;
  // the population digests cannot be recomputed from a stream in arbitrary order, so
  // only the class sizes are checked (VerifyDraw with the population file checks all).
  std::string plan_digest;
  PopulationDigests population;
  // The roster the round staffs from (a re-staffing round's own).
  std::string roster_digest;
  // The round's commitment, its digest included (recomputed and compared).
  RoundCommitment commitment;
  // The revealed nonce (32-128 lowercase hex), matching commitment.nonce_commitment.
  std::string nonce_hex;
  // One per committed source, any order (the bundle lists them in the commitment's).
  std::vector<EntropyStatement> statements;
  int round = 0;
  // Required when round >= 1, absent when round == 0.
  std::optional<ReplacementRound> replacement;
};

// Wall seconds of RunDraw's phases, for benchmarks (tools/bench/draw_bench.cc). Read
// from a monotonic clock and never used in the draw itself.
struct DrawPhaseSeconds {
  // The committed inputs, the commitment and statements, the seed and the selection
  // (with more than one thread the roster digest runs beside them: roster_wait is the
  // time spent waiting for it after the selection).
  double select = 0;
  double roster_wait = 0;
  // AssignTeams: the conflict and rotation index, the candidate orders and the walk.
  double teams = 0;
  // The bundle: decimal tickets, its JSON and digest.
  double bundle = 0;
};

struct DrawOptions {
  // Threads hashing tickets (targets and teams), checking the roster digest and writing
  // the bundle, the caller included. Default 2. The result does not depend on it.
  int threads = 2;
  // When set, receives the phases' wall times.
  DrawPhaseSeconds* phase_seconds = nullptr;
};

struct DrawResult {
  // What the bundle says, structured.
  DrawBundle bundle;
  // Internal, never to be published: the risk class (1-4) of bundle.targets[i].
  std::vector<int> target_classes;
  // Assignments per inspector after this round (pass on to the next round).
  WorkloadCounts workload;
  // The canonical public bundle and its lowercase hex SHA-256.
  std::string bundle_json;
  std::string bundle_digest;
};

// What the round's commitment digest covers (round_commitment.h), from `inputs`' plan,
// digests, round and replacement section.
CommitmentScope ScopeOf(const DrawInputs& inputs);

// Errors:
//   INVALID_ARGUMENT     a malformed input (naming it), a replacement section missing in a
//                        round >= 1 or present in round 0, a malformed population row or
//                        statement;
//   FAILED_PRECONDITION  the nonce does not match its commitment, the plan or the roster
//                        does not match its committed digest, the commitment does not hash
//                        to its digest, a statement does not check (statement_check.h), or
//                        the population streamed does not have the committed class sizes;
//   any status `population` returns.
absl::StatusOr<DrawResult> RunDraw(const DrawInputs& inputs, PopulationSource& population,
                                   const FrozenRoster& roster, const DrawOptions& options = {});

}  // namespace regulation::scheduler

#endif  // SCHEDULER_DRAW_H_
