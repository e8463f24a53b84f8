#ifndef SCHEDULER_TARGET_SELECTION_H_
#define SCHEDULER_TARGET_SELECTION_H_

// Target selection (docs/draw-spec.md §7): within each risk class, the enterprises with
// the n smallest tickets under the seed; then all of them ordered by ticket, the "team
// order" in which teams are staffed.
//
// One streaming pass over the population, keeping per class only the n smallest tickets
// so far (a buffer cut back to n whenever it reaches 2n: memory O(total n), not
// O(population)). With options.threads = T > 1 the calling thread batches the rows it
// reads and T - 1 worker threads (and the caller, when they fall behind) hash the
// batches, each into buffers of its own, merged at the end. The result is exact and does
// not depend on T, on the batching or on the order the source yields rows in: selection
// is by ticket.
//
//   absl::StatusOr<TargetSelection> selection =
//       SelectTargets(source, seed, {n_a, n_b, n_c, n_d}, /*excluded=*/{});
//
// Thread safety: SelectTargets may run on any thread; it starts and joins its own workers.
// `source` is called on the calling thread only.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/population.h"
#include "scheduler/quota.h"
#include "scheduler/risk_class.h"
#include "scheduler/ticket.h"

namespace regulation::scheduler {

struct SelectedTarget {
  std::string credit_code;
  int risk_class = 0;
  std::string region_code;
  Ticket ticket;
};

struct ClassSelection {
  // Rows of the class in the stream.
  int64_t class_size = 0;
  // Of those, the ones not excluded: the class's population in this round.
  int64_t population = 0;
  // min(requested count, population).
  int64_t selected = 0;
  // The largest selected ticket; empty when nothing is selected.
  std::string cutoff;
};

struct TargetSelection {
  // classes[0] for class A ... classes[3] for class D.
  std::array<ClassSelection, kRiskClassCount> classes;
  // Every selected enterprise, by ticket ascending (ties, impossible for distinct codes,
  // by credit code): the team order.
  std::vector<SelectedTarget> targets;
};

struct SelectionOptions {
  // Threads hashing tickets, the caller included; 1 hashes on the calling thread only.
  // Default 2.
  int threads = 2;
};

// A source that selects near its data (a population split in shards, each shard selecting
// among its own rows): SelectTargets asks it for the selection instead of streaming its
// rows. Select must return what SelectTargets would over ForEach's rows.
class SelectingPopulationSource : public PopulationSource {
 public:
  virtual absl::StatusOr<TargetSelection> Select(
      absl::string_view seed, const std::array<int64_t, kRiskClassCount>& counts,
      const absl::flat_hash_set<std::string>& excluded, const SelectionOptions& options) = 0;
};

// Selects up to counts[c] enterprises of class c + 1 (the rest of the class is read but
// not kept), skipping every credit code in `excluded`. A SelectingPopulationSource selects
// itself.
// Errors: INVALID_ARGUMENT naming the first malformed row (by position in the stream) or
// a credit code seen twice among the selected; any status `population` returns.
// REQUIRES: counts[c] >= 0.
absl::StatusOr<TargetSelection> SelectTargets(PopulationSource& population, absl::string_view seed,
                                              const std::array<int64_t, kRiskClassCount>& counts,
                                              const absl::flat_hash_set<std::string>& excluded,
                                              const SelectionOptions& options = {});

// The selection over the union of disjoint parts of a population, from each part's own
// selection under the same seed, counts and exclusions: exact, because the n smallest
// tickets of a union are among the n smallest of each part. Sizes add up; per class the
// smallest counts[c] of the parts' targets are kept; the cutoff and the team order follow.
// Errors: INVALID_ARGUMENT when one credit code is selected by two parts (the parts were
// not disjoint).
absl::StatusOr<TargetSelection> MergeSelections(std::vector<TargetSelection> parts,
                                                const std::array<int64_t, kRiskClassCount>& counts);

// Round 0 of a plan that excludes enterprises (no repeated visits): the quota applies to
// the class's population in the round (those not excluded), which is known only after
// the stream. SelectTargets ran with the quota of the whole class, an upper bound; this
// keeps, per class, the QuotaCount(quotas[c], population) smallest tickets (a prefix, by
// consistent sampling) and resets `selected` and `cutoff`.
void TrimToQuotasOfPopulation(const std::array<ClassQuota, kRiskClassCount>& quotas,
                              TargetSelection* selection);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_TARGET_SELECTION_H_
