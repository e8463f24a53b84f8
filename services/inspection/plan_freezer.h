#ifndef SERVICES_INSPECTION_PLAN_FREEZER_H_
#define SERVICES_INSPECTION_PLAN_FREEZER_H_

// What CommitPlan freezes before any randomness exists (docs/draw-spec.md §3): the plan's
// draw-relevant fields, the eligible population with each enterprise's risk class as of
// this moment, and the roster its teams will be staffed from. The draw later reads only
// these frozen inputs, so a change to the directory, a score or the roster after the
// commit cannot change its result.
//
// Population rule: the plan's region prefix, industry prefixes (none: all) and statuses
// (none: OPERATING only). An enterprise's class is its latest batch score's; an
// enterprise never scored (registered since the last ScoreAll) counts as class B, the
// "general" class, so that no enterprise is exempt from the draw.
//
// A random plan's credit policy (docs/draw-spec.md §3.4) then decides the class frozen:
// `credit_class_source` MODEL (default) keeps the model's class, OFFICIAL takes the
// official class in force at the commit when one was imported, STRICTER the riskier of
// the two; `dishonest_list_policy` HIGHEST_RATIO freezes every enterprise on the serious
// illegal and dishonest list at the commit (listed, not repaired) in the class whose
// quota has the plan's highest ratio, ALWAYS in class D and includes it whatever its
// ticket. The listed enterprises' codes become part of the plan's record (its digest).
//
// A targeted plan's population is exactly its listed targets (each must still be in the
// directory and the plan's region), every one frozen in class B whatever its score: a
// targeted plan selects nobody by class, and a class digest over a handful of named
// enterprises would let anyone test which class each one is in (classes are never
// public).
//
// Roster rule: every inspector of the plan's departments (the draw itself applies
// status, certificate, qualification, jurisdiction, conflict, rotation and workload),
// their declared conflicts, and the last inspection team of each eligible enterprise.
//
// Thread safety: safe for concurrent use, but two freezes of the same plan at once would
// interleave their rows: the caller serialises commits of a plan.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/keep_going.h"
#include "regulation/v1/inspection.pb.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/staffing_forecast.h"
#include "services/seams/population_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

struct FrozenPlan {
  scheduler::PlanSpec spec;
  std::string plan_digest;
  // The plan's items as they read at commit.
  std::vector<v1::InspectionItem> items;
  scheduler::PopulationDigests population;
  // Eligible enterprises per region and class (for the staffing forecast).
  scheduler::RegionClassCounts region_counts;
  scheduler::FrozenRoster roster;  // canonical
  std::string roster_json;
  std::string roster_digest;
};

// A roster frozen for a re-staffing round.
struct FrozenRosterFiles {
  scheduler::FrozenRoster roster;  // canonical
  std::string roster_json;
  std::string roster_digest;
};

// The draw's view of a plan and its items. INVALID_ARGUMENT naming the field.
absl::StatusOr<scheduler::PlanSpec> PlanSpecOf(const v1::Plan& plan,
                                               const std::vector<v1::InspectionItem>& items);

class PlanFreezer {
 public:
  // `keep_going` is asked every kKeepGoingEvery enterprises while the population is
  // frozen; its error (the caller went away, or its deadline passed) stops the freeze with
  // the plan unchanged (the rows written so far are replaced by the next attempt).
  // `store` is inspection's own (items, roster, history, frozen rows); the population
  // comes from `population` (services/seams/population_feed.h). Both must outlive the
  // freezer.
  PlanFreezer(storage::KvStore* store, PopulationFeed* population, KeepGoing keep_going = nullptr)
      : store_(store), population_(population), keep_going_(std::move(keep_going)) {}

  static constexpr int64_t kKeepGoingEvery = 1000;

  // Freezes `plan` as described above, reading one snapshot of inspection's store and
  // one pass of the population feed. Writes the
  // population rows under the plan id (replacing rows an interrupted commit left) in
  // bounded batches without fsync: the caller's commit record, written with sync after
  // them, makes them durable too (RocksDB's write-ahead log is sequential).
  // The feed's statuses (UNAVAILABLE naming a peer that is down);
  // FAILED_PRECONDITION when no enterprise is eligible; NOT_FOUND for an item that
  // disappeared; INVALID_ARGUMENT as PlanSpecOf.
  // `as_of` is the commit's moment: official classes and list entries in force then count.
  absl::StatusOr<FrozenPlan> Freeze(const v1::Plan& plan, absl::Time as_of);

  // The current roster of `spec`'s departments with their conflicts, and the last
  // inspection teams of `credit_codes` (a re-staffing round's targets), from one
  // snapshot. DATA_LOSS for a stored record that is corrupt or cannot be frozen.
  absl::StatusOr<FrozenRosterFiles> FreezeRoster(const scheduler::PlanSpec& spec,
                                                 const std::vector<std::string>& credit_codes);

 private:
  storage::KvStore* const store_;
  PopulationFeed* const population_;
  const KeepGoing keep_going_;
};

// The population rows frozen for a plan, streamed once in credit-code order. `keep_going`
// is asked every PlanFreezer::kKeepGoingEvery rows, and its error ends the stream (and
// so the draw, before anything is written).
class StoredPopulationSource : public scheduler::PopulationSource {
 public:
  StoredPopulationSource(storage::KvStore* store, std::string plan_id,
                         KeepGoing keep_going = nullptr)
      : store_(store), plan_id_(std::move(plan_id)), keep_going_(std::move(keep_going)) {}
  absl::Status ForEach(const Visitor& visit) override;

 private:
  storage::KvStore* const store_;
  const std::string plan_id_;
  const KeepGoing keep_going_;
};

// The class (1-4) and region code of `credit_code` in the plan's frozen population;
// NOT_FOUND when it was not eligible.
absl::StatusOr<std::pair<int, std::string>> FrozenPopulationRow(storage::KvStore* store,
                                                                absl::string_view plan_id,
                                                                absl::string_view credit_code);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_PLAN_FREEZER_H_
