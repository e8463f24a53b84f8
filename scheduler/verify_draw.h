#ifndef SCHEDULER_VERIFY_DRAW_H_
#define SCHEDULER_VERIFY_DRAW_H_

// Independent verification of a published draw bundle (docs/draw-spec.md §11).
//
// With the bundle alone, VerifyDraw checks: the canonical form; the plan digest against
// the plan; the round's commitment against its digest (draw-spec §4.2); the nonce against
// its commitment; every entropy statement against its committed source, plan, round,
// commitment and time (statement_check.h); the seed against its inputs; each class's
// selected count against its quota (or replacement count) and population; every listed
// target's ticket (recomputed), the ticket order and the ranks; that each target's
// ticket is at most the largest cutoff and each cutoff is a listed ticket admitting at
// least its class's selected count; the teams' shape (one per target, team_size
// inspectors or a reason) and the workload cap.
// With the frozen population (the auditor's file) it also checks the population digests,
// each target's class cutoff and region code, and re-runs the whole selection. With the
// frozen roster it checks the roster digest and re-runs the teams. With the published
// source registry it checks that every committed source is registered with the same key
// material, before the commitment and not retired by then. With the previous round's
// bundle it checks the chain: the digest link, a fresh nonce and fresh statements, the
// exclusions and the carried workload.
//
// Thread safety: stateless functions; they start and join their own workers.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "scheduler/population.h"
#include "scheduler/published_source.h"
#include "scheduler/roster.h"

namespace regulation::scheduler {

// What VerifyDraw may check the bundle against besides the frozen files.
struct VerifyContext {
  // The registry as published: checks the bundle's sources against it.
  std::optional<std::vector<PublishedSource>> sources;
  // The previous round's bundle, byte for byte: checks the chain (rounds >= 1 only).
  std::optional<std::string> previous_bundle;
  // The bundles of other plans' rounds published before this plan's commit, byte for
  // byte: checks the plan's no-repeat rule (repeat_visit_check.h).
  std::optional<std::vector<std::string>> earlier_bundles;
};

// What a successful verification covered.
struct VerifySummary {
  std::string plan_id;
  int64_t round = 0;
  // "draw", "replace" or "restaff".
  std::string round_kind;
  std::string commitment_digest;
  std::string seed;
  // Statements checked, by kind of source.
  int64_t witness_statements = 0;
  int64_t beacon_pulses = 0;
  int64_t unchecked_values = 0;
  std::string bundle_digest;
  int64_t targets = 0;
  int64_t staffed = 0;
  int64_t unstaffed = 0;
  // The selection was re-run from the population / the teams from the roster.
  bool population_checked = false;
  bool roster_checked = false;
  // The sources were found in the registry given; the chain to the previous bundle held.
  bool sources_checked = false;
  bool chain_checked = false;
  // The no-repeat rule was re-checked from the earlier bundles given.
  bool repeat_checked = false;
  int64_t repeat_excluded = 0;
  int64_t recusals = 0;
  // Sizes of the files checked against (0 when not given).
  int64_t population_size = 0;
  int64_t roster_size = 0;
};

// OK when everything checked holds. Otherwise the first discrepancy:
//   DATA_LOSS            the bundle is malformed or wrong ("seed does not match its
//                        inputs", "statements: statement of source notary-hz: signature:
//                        does not verify ...", "target 3: 9133...: ticket 0.7... is above
//                        the class cutoff 0.05...", "team 4 (9133...): ...", "chain: round
//                        1 reuses round 0's nonce commitment", "sources: notary-hz: the
//                        bundle's key is not the registered one");
//   FAILED_PRECONDITION  the population or roster given is not the one the bundle
//                        committed to (its digest differs);
//   INVALID_ARGUMENT     a previous bundle given for round 0, or one that is not a bundle.
// `summary` (optional) is filled on success.
absl::Status VerifyDraw(absl::string_view bundle_json,
                        const std::optional<FrozenPopulation>& population,
                        const std::optional<FrozenRoster>& roster,
                        VerifySummary* summary = nullptr,
                        const VerifyContext& context = VerifyContext());

// One enterprise's own check, without the population: is it selected, and is that what
// its ticket and its class's cutoff say?
struct OwnTicketCheck {
  // The enterprise's ticket under the bundle's seed.
  std::string ticket;
  // The bundle lists it as a target (at `rank`).
  bool listed = false;
  int64_t rank = 0;
  // Its class's cutoff ("" when the class selected nobody or the class is unknown).
  std::string cutoff;
  // Whether the ticket and the cutoff say it should be selected; unknown when the class
  // is not given and the ticket lies between the smallest and the largest cutoff.
  enum class Expectation { kSelected, kNotSelected, kUnknown };
  Expectation expected = Expectation::kUnknown;
  // listed agrees with `expected` (and a listed ticket is the recomputed one); true when
  // expected is kUnknown.
  bool consistent = true;
  // One sentence, e.g. "ticket 0.0123... is at or below the class cutoff 0.0456...:
  // selected, listed at rank 3 (consistent)".
  std::string explanation;
};

// `risk_class`: 1-4 (A-D) as in the frozen population, or 0 when unknown. The bundle is
// first verified as VerifyDraw does without files; its error is returned if any.
// INVALID_ARGUMENT for a malformed credit code or class.
absl::StatusOr<OwnTicketCheck> VerifyOwnTicket(absl::string_view bundle_json,
                                               absl::string_view credit_code, int risk_class);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_VERIFY_DRAW_H_
