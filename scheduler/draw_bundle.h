#ifndef SCHEDULER_DRAW_BUNDLE_H_
#define SCHEDULER_DRAW_BUNDLE_H_

// The public draw bundle (docs/draw-spec.md §9): everything needed to check a draw
// round, as one canonical JSON document whose SHA-256 is the bundle digest.
//
//   std::string json = WriteBundleJson(bundle);          // canonical bytes
//   absl::StatusOr<DrawBundle> parsed = ParseBundleJson(json);
//
// Canonical form: the keys in the order the spec lists (the order of the fields below),
// no whitespace, strings escaped as json.h says, integers in decimal; tickets, digests
// and hex as strings. The bundle never carries an enterprise's risk class: only per-class
// aggregates (population, selected, cutoff) and the class population digests.
//
// ParseBundleJson is strict: it rejects anything WriteBundleJson would not write (unknown,
// missing or reordered keys, wrong types, malformed fields, non-canonical plan order,
// whitespace included), so a parsed bundle re-written gives the same bytes.
//
// Thread safety: value types and stateless functions.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/plan_spec.h"
#include "scheduler/risk_class.h"
#include "scheduler/round_commitment.h"
#include "scheduler/team_assignment.h"

namespace regulation::scheduler {

inline constexpr char kDrawSpecVersion[] = "regulation.draw.v2";

struct BundleDigests {
  std::string plan;
  std::string population;
  // Class A ... D.
  std::array<std::string, kRiskClassCount> population_classes;
  // The roster the round staffs from (a re-staffing round's own).
  std::string roster;
};

// Present exactly in rounds >= 1.
struct BundleReplacement {
  // Digest of the previous round's bundle.
  std::string previous_bundle_digest;
  // The targets the round's announcement names: replaced ("replace") or staffed again
  // ("restaff"). Sorted (byte order), no repeats.
  std::vector<std::string> named;
  // Replacements wanted per class (A ... D); all 0 in a re-staffing round.
  std::array<int64_t, kRiskClassCount> counts{};
  // Credit codes that may not be drawn: every earlier round's targets and any others
  // excluded. Sorted (byte order), no repeats.
  std::vector<std::string> excluded;
  // Assignments per inspector before this round; sorted by id, counts > 0.
  std::vector<std::pair<std::string, int64_t>> prior_workload;
};

struct BundleClass {
  // Enterprises of the class that took part in this round (round 0: the class size;
  // replacement rounds: the class size less the excluded; re-staffing rounds, which
  // select nobody: 0).
  int64_t population = 0;
  int64_t selected = 0;
  // The largest selected ticket; empty when selected == 0.
  std::string cutoff;
};

struct BundleTarget {
  std::string credit_code;
  // The enterprise's region code (public registry data), or empty.
  std::string region_code;
  std::string ticket;
  // Position in the team order, from 1.
  int64_t rank = 0;
};

struct DrawBundle {
  std::string spec = kDrawSpecVersion;
  // Canonical (CanonicalPlanSpec).
  PlanSpec plan;
  BundleDigests digests;
  // The round's commitment: its digest, kind, nonce commitment, time, minimum entropy
  // delay and sources with their public key material.
  RoundCommitment commitment;
  std::string nonce;
  // One per committed source, in the commitment's order, verbatim.
  std::vector<EntropyStatement> statements;
  int64_t round = 0;
  std::optional<BundleReplacement> replacement;
  std::string seed;
  // Class A ... D.
  std::array<BundleClass, kRiskClassCount> classes;
  // In team order.
  std::vector<BundleTarget> targets;
  // One per target, same order.
  std::vector<TeamResult> teams;
};

// What the round's commitment digest covers besides the commitment itself.
CommitmentScope ScopeOf(const DrawBundle& bundle);

// The canonical JSON. REQUIRES: the strings are valid UTF-8.
std::string WriteBundleJson(const DrawBundle& bundle);

// WriteBundleJson in three parts, for writers that split the work (bundle_writer.h): their
// concatenation, in this order, is WriteBundleJson's bytes.
//   head:    everything before the first target, "targets":[ included;
//   targets: targets [begin, end) (each preceded by a comma unless it is the first);
//   teams:   teams [begin, end); begin == 0 also writes the "],"teams":[" between the
//            arrays and end == teams.size() the closing "]}", so a bundle without teams
//            still needs one call with begin == end == 0.
void AppendBundleHeadJson(std::string* out, const DrawBundle& bundle);
void AppendBundleTargetsJson(std::string* out, const DrawBundle& bundle, size_t begin, size_t end);
void AppendBundleTeamsJson(std::string* out, const DrawBundle& bundle, size_t begin, size_t end);

// DATA_LOSS "bundle: <where>: <what>" for anything that is not a well-formed bundle in
// canonical form. It checks form only; VerifyDraw checks content.
absl::StatusOr<DrawBundle> ParseBundleJson(absl::string_view json);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_DRAW_BUNDLE_H_
