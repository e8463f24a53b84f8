#include "scheduler/team_assignment.h"

#include <algorithm>
#include <array>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/huge_pages.h"
#include "common/status_macros.h"
#include "scheduler/ticket.h"

namespace regulation::scheduler {
namespace {

// The rules in the order an inspector is checked against them; an excluded inspector is
// counted under the first rule it fails (docs/draw-spec.md §8.3).
enum Rule {
  kNotActive,
  kNoCertificate,
  kOtherDepartment,
  kUnqualified,
  kOutsideJurisdiction,
  kInConflict,
  kRotatedOut,
  kAtWorkloadCap,
  kHeldBack,
  kRuleCount,
};

constexpr std::array<const char*, kRuleCount> kRulePhrases = {
    "not active",
    "without a certificate valid through the due date",
    "of other departments",
    "without the required qualifications",
    "outside jurisdiction",
    "in conflict",
    "rotated out",
    "at the workload cap",
    "held back to cover other departments",
};

// The first rule that does not depend on the target (§8.1 rules 1-4) `inspector` fails,
// or -1.
int StaticRule(const InspectorRecord& inspector, const PlanSpec& plan, bool in_plan_department) {
  if (inspector.status != InspectorStatus::kActive) return kNotActive;
  // An empty date sorts before every date.
  if (inspector.certificate_valid_until < plan.due_date) return kNoCertificate;
  if (!in_plan_department) return kOtherDepartment;
  for (const PlanItem& item : plan.items) {
    if (item.department != inspector.department || item.required_qualification.empty()) {
      continue;
    }
    if (std::find(inspector.qualifications.begin(), inspector.qualifications.end(),
                  item.required_qualification) == inspector.qualifications.end()) {
      return kUnqualified;
    }
  }
  return -1;
}

// Inspectors per credit code (declared conflicts, or last inspection teams): entries
// sorted by code over the roster's own strings, and a hash index from each code to its
// run of entries (lookups only: its order never reaches the output).
class CodeIndex {
 public:
  using Entry = std::pair<absl::string_view, int>;
  using Range = std::pair<const Entry*, const Entry*>;

  void Add(absl::string_view code, int inspector) { entries_.emplace_back(code, inspector); }
  void Finish() {
    if (!std::is_sorted(entries_.begin(), entries_.end())) {
      std::sort(entries_.begin(), entries_.end());
    }
    runs_.reserve(entries_.size());
    for (size_t i = 0; i < entries_.size();) {
      size_t j = i + 1;
      while (j < entries_.size() && entries_[j].first == entries_[i].first) ++j;
      runs_[entries_[i].first] = {static_cast<uint32_t>(i), static_cast<uint32_t>(j)};
      i = j;
    }
  }
  Range Find(absl::string_view code) const {
    auto it = runs_.find(code);
    if (it == runs_.end()) return {nullptr, nullptr};
    return {entries_.data() + it->second.first, entries_.data() + it->second.second};
  }
  static bool Contains(const Range& range, int inspector) {
    for (const Entry* e = range.first; e != range.second; ++e) {
      if (e->second == inspector) return true;
    }
    return false;
  }

 private:
  std::vector<Entry> entries_;
  absl::flat_hash_map<absl::string_view, std::pair<uint32_t, uint32_t>> runs_;
};

class TeamAssigner {
 public:
  // REQUIRES: `roster` and `plan` valid; `roster` outlives this unless canonicalized here.
  TeamAssigner(const FrozenRoster& roster, PlanSpec plan, absl::string_view seed)
      : plan_(CanonicalPlanSpec(std::move(plan))), seed_(seed) {
    if (IsCanonicalRoster(roster)) {
      roster_ = &roster;
    } else {
      owned_ = CanonicalRoster(roster);
      roster_ = &owned_;
    }
    const size_t n = roster_->inspectors.size();
    for (size_t i = 0; i < n; ++i)
      index_[roster_->inspectors[i].inspector_id] = static_cast<int>(i);
    department_.resize(n, -1);
    static_rule_.resize(n, -1);
    prefix_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const InspectorRecord& inspector = roster_->inspectors[i];
      prefix_[i] = JurisdictionPrefix(inspector.region_code);
      auto d = std::lower_bound(plan_.departments.begin(), plan_.departments.end(),
                                inspector.department);
      if (d != plan_.departments.end() && *d == inspector.department) {
        department_[i] = static_cast<int>(d - plan_.departments.begin());
      }
      static_rule_[i] = StaticRule(inspector, plan_, department_[i] >= 0);
      if (static_rule_[i] < 0) buckets_[prefix_[i]].push_back(static_cast<int>(i));
    }
  }

  std::vector<TeamResult> Assign(const std::vector<TeamTarget>& targets, WorkloadCounts* workload,
                                 int threads) {
    IndexConflictsAndRotation(targets, threads);
    workload_.assign(roster_->inspectors.size(), 0);
    for (size_t i = 0; i < roster_->inspectors.size(); ++i) {
      auto it = workload->find(roster_->inspectors[i].inspector_id);
      if (it != workload->end()) workload_[i] = it->second;
    }
    // The candidate orders depend on nothing that changes during the walk: they are
    // computed in parallel, each thread over a contiguous part of the targets. The calling
    // thread computes part 0 and walks it while the others finish theirs.
    const size_t parts =
        std::max<size_t>(1, std::min<size_t>(std::max(threads, 1), targets.size()));
    std::vector<Orders> orders(parts);
    for (size_t p = 0; p < parts; ++p) {
      orders[p].begin = targets.size() * p / parts;
      orders[p].end = targets.size() * (p + 1) / parts;
    }
    std::vector<std::thread> pool;
    for (size_t p = 1; p < parts; ++p) {
      pool.emplace_back([this, &targets, &orders, p] { ComputeOrders(targets, &orders[p]); });
    }
    ComputeOrders(targets, &orders[0]);
    std::vector<TeamResult> results;
    results.reserve(targets.size());
    for (size_t p = 0; p < parts; ++p) {
      if (p > 0) pool[p - 1].join();
      const Orders& part = orders[p];
      for (size_t t = part.begin; t < part.end; ++t) {
        const size_t k = t - part.begin;
        results.push_back(Walk(targets[t], part.inspectors.data() + part.offsets[k],
                               part.inspectors.data() + part.offsets[k + 1]));
      }
      orders[p] = Orders();  // free it
    }
    for (size_t i = 0; i < roster_->inspectors.size(); ++i) {
      const std::string& id = roster_->inspectors[i].inspector_id;
      if (workload_[i] != 0 || workload->count(id) != 0) (*workload)[id] = workload_[i];
    }
    return results;
  }

 private:
  // Conflicts and last inspections of the targets only: a roster can hold millions of last
  // inspections, of which a draw's targets touch a few. The roster is scanned in
  // `threads` contiguous parts, joined in roster order (the index is the same for any
  // number of threads).
  void IndexConflictsAndRotation(const std::vector<TeamTarget>& targets, int threads) {
    absl::flat_hash_set<absl::string_view> codes;
    codes.reserve(targets.size());
    for (const TeamTarget& t : targets) codes.insert(t.credit_code);
    conflicts_ = CodeIndex();
    last_ = CodeIndex();
    IndexRecords(roster_->conflicts, codes, threads, &conflicts_);
    // A granted recusal (回避申请) is a conflict the enterprise raised: rule 6 (draw-spec §8.1).
    IndexRecords(plan_.recusals, codes, /*threads=*/1, &conflicts_);
    conflicts_.Finish();
    IndexRecords(roster_->last_inspections, codes, threads, &last_);
    last_.Finish();
  }

  // Adds to `index` each of `records` (conflicts or last inspections) whose credit code is
  // in `codes` and whose inspector is on the roster, in the order of `records`. The caller
  // calls index->Finish() after the last records.
  template <typename Record>
  void IndexRecords(const std::vector<Record>& records,
                    const absl::flat_hash_set<absl::string_view>& codes, int threads,
                    CodeIndex* index) const {
    const size_t parts = std::max<size_t>(
        1, std::min<size_t>(std::max(threads, 1), records.size() / kRecordsPerThread));
    std::vector<std::vector<CodeIndex::Entry>> found(parts);
    auto scan = [&](size_t p) {
      for (size_t i = records.size() * p / parts; i < records.size() * (p + 1) / parts; ++i) {
        const Record& r = records[i];
        if (!codes.contains(r.credit_code)) continue;
        auto it = index_.find(r.inspector_id);
        if (it != index_.end()) found[p].emplace_back(r.credit_code, it->second);
      }
    };
    std::vector<std::thread> pool;
    for (size_t p = 1; p < parts; ++p) pool.emplace_back(scan, p);
    scan(0);
    for (std::thread& thread : pool) thread.join();
    for (const std::vector<CodeIndex::Entry>& part : found) {
      for (const CodeIndex::Entry& e : part) index->Add(e.first, e.second);
    }
  }

  // Targets whose candidates estimate the size of a part's candidate orders.
  static constexpr size_t kTargetsToEstimate = 256;

  // Below this many records per thread, one thread scans them all.
  static constexpr size_t kRecordsPerThread = 1 << 14;

  // Candidate orders of targets [begin, end): inspectors[offsets[k], offsets[k + 1]) for
  // target begin + k.
  struct Orders {
    size_t begin = 0;
    size_t end = 0;
    std::vector<uint32_t> offsets;
    std::vector<int> inspectors;
  };

  struct Keyed {
    uint64_t key;
    int inspector;
  };

  void ComputeOrders(const std::vector<TeamTarget>& targets, Orders* part) const {
    part->offsets.reserve(part->end - part->begin + 1);
    part->offsets.push_back(0);
    std::vector<Keyed> scratch;
    const size_t count = part->end - part->begin;
    for (size_t t = part->begin; t < part->end; ++t) {
      AppendCandidateOrder(targets[t], &scratch, &part->inspectors);
      part->offsets.push_back(static_cast<uint32_t>(part->inspectors.size()));
      // Ten million enterprises' orders hold millions of candidates: sized once from the
      // first targets (with a margin), they are not copied as they grow.
      if (t - part->begin + 1 == kTargetsToEstimate && count > 2 * kTargetsToEstimate) {
        const size_t estimate = part->inspectors.size() * (count / kTargetsToEstimate + 1);
        part->inspectors.reserve(estimate + estimate / 8);
        AdviseHugePages(part->inspectors.data(), part->inspectors.capacity() * sizeof(int));
      }
    }
  }

  // Appends to `out` the inspectors that pass every rule fixed for this target, by
  // ascending team ticket.
  void AppendCandidateOrder(const TeamTarget& target, std::vector<Keyed>* keyed,
                            std::vector<int>* out) const {
    const CodeIndex::Range conflicts = conflicts_.Find(target.credit_code);
    const CodeIndex::Range last = last_.Find(target.credit_code);
    const absl::string_view region = target.region_code;
    keyed->clear();
    for (size_t len = 2; len <= region.size(); len += 2) {
      auto it = buckets_.find(region.substr(0, len));
      if (it == buckets_.end()) continue;
      for (int i : it->second) {
        if (!CodeIndex::Contains(conflicts, i) && !CodeIndex::Contains(last, i)) {
          keyed->push_back({0, i});
        }
      }
    }
    if (keyed->size() > 1) {
      const TicketHasher hasher(absl::StrCat(seed_, ":team:", target.credit_code));
      for (Keyed& k : *keyed) {
        k.key = hasher.Compute(roster_->inspectors[k.inspector].inspector_id).key;
      }
      // By key; a tie (about one in 10^19 per pair) is settled by the full tickets, then by
      // inspector id (the roster order).
      std::sort(keyed->begin(), keyed->end(), [&](const Keyed& a, const Keyed& b) {
        if (a.key != b.key) return a.key < b.key;
        const int c = CompareTickets(hasher.Compute(roster_->inspectors[a.inspector].inspector_id),
                                     hasher.Compute(roster_->inspectors[b.inspector].inspector_id));
        return c != 0 ? c < 0 : a.inspector < b.inspector;
      });
    }
    for (const Keyed& k : *keyed) out->push_back(k.inspector);
  }

  TeamResult Walk(const TeamTarget& target, const int* order_begin, const int* order_end) {
    const int size = plan_.team_size;
    const int64_t cap = plan_.workload_cap;
    std::vector<bool> covered(plan_.departments.size(), false);
    int missing = static_cast<int>(plan_.departments.size());
    std::vector<int> team;
    for (const int* it = order_begin; it != order_end; ++it) {
      const int i = *it;
      if (workload_[i] >= cap) continue;
      const int d = department_[i];
      const int missing_after = missing - (covered[d] ? 0 : 1);
      if (missing_after > size - static_cast<int>(team.size()) - 1) continue;
      team.push_back(i);
      if (!covered[d]) {
        covered[d] = true;
        --missing;
      }
      if (static_cast<int>(team.size()) == size) break;
    }
    TeamResult result;
    result.credit_code = target.credit_code;
    if (static_cast<int>(team.size()) == size) {
      result.status = StaffingStatus::kStaffed;
      for (int i : team) {
        ++workload_[i];
        result.inspector_ids.push_back(roster_->inspectors[i].inspector_id);
      }
      return result;
    }
    result.status = StaffingStatus::kUnstaffed;
    result.reason = UnstaffedReason(target, team, covered);
    return result;
  }

  std::string UnstaffedReason(const TeamTarget& target, const std::vector<int>& team,
                              const std::vector<bool>& covered) const {
    std::array<int64_t, kRuleCount> counts{};
    int64_t eligible = 0;
    const CodeIndex::Range conflicts = conflicts_.Find(target.credit_code);
    const CodeIndex::Range last = last_.Find(target.credit_code);
    for (size_t k = 0; k < roster_->inspectors.size(); ++k) {
      const int i = static_cast<int>(k);
      int rule = static_rule_[i];
      if (rule < 0) {
        if (!absl::StartsWith(target.region_code, prefix_[i])) {
          rule = kOutsideJurisdiction;
        } else if (CodeIndex::Contains(conflicts, i)) {
          rule = kInConflict;
        } else if (CodeIndex::Contains(last, i)) {
          rule = kRotatedOut;
        } else if (workload_[i] >= plan_.workload_cap) {
          rule = kAtWorkloadCap;
        }
      }
      if (rule < 0) {
        ++eligible;
      } else {
        ++counts[rule];
      }
    }
    // The walk saw every eligible inspector: those not on the team were held back.
    counts[kHeldBack] = eligible - static_cast<int64_t>(team.size());
    std::vector<std::string> parts;
    for (int rule = 0; rule < kRuleCount; ++rule) {
      if (counts[rule] > 0) parts.push_back(absl::StrCat(counts[rule], " ", kRulePhrases[rule]));
    }
    std::string reason =
        absl::StrFormat("%d of %d inspectors found; excluded: %s", team.size(), plan_.team_size,
                        parts.empty() ? "none" : absl::StrJoin(parts, ", "));
    if (plan_.departments.size() > 1) {
      std::vector<std::string> missing;
      for (size_t d = 0; d < plan_.departments.size(); ++d) {
        if (!covered[d]) missing.push_back(plan_.departments[d]);
      }
      if (!missing.empty()) {
        absl::StrAppend(&reason, "; departments not covered: ", absl::StrJoin(missing, ", "));
      }
    }
    return reason;
  }

  const PlanSpec plan_;
  const std::string seed_;
  // The canonical roster: the caller's, or owned_ when the caller's was not canonical.
  const FrozenRoster* roster_ = nullptr;
  FrozenRoster owned_;
  // Per inspector (roster order): index into plan_.departments or -1; the first rule that
  // excludes it whatever the target (or -1); its jurisdiction prefix; its workload.
  std::vector<int> department_;
  std::vector<int> static_rule_;
  std::vector<std::string> prefix_;
  std::vector<int64_t> workload_;
  // Jurisdiction prefix -> inspectors passing the static rules.
  absl::flat_hash_map<std::string, std::vector<int>> buckets_;
  absl::flat_hash_map<absl::string_view, int> index_;
  // Per target credit code: inspectors in conflict with it / on its last inspection team.
  CodeIndex conflicts_;
  CodeIndex last_;
};

}  // namespace

bool PassesStaticRules(const InspectorRecord& inspector, const PlanSpec& plan) {
  const bool in_department = std::find(plan.departments.begin(), plan.departments.end(),
                                       inspector.department) != plan.departments.end();
  return StaticRule(inspector, plan, in_department) < 0;
}

absl::string_view StaffingStatusName(StaffingStatus status) {
  return status == StaffingStatus::kStaffed ? "STAFFED" : "UNSTAFFED";
}

absl::StatusOr<std::vector<TeamResult>> AssignTeams(absl::string_view seed,
                                                    const std::vector<TeamTarget>& targets,
                                                    const FrozenRoster& roster,
                                                    const PlanSpec& plan, WorkloadCounts* workload,
                                                    const TeamOptions& options) {
  if (!options.inputs_validated) {
    REG_RETURN_IF_ERROR(ValidatePlanSpec(plan));
    REG_RETURN_IF_ERROR(ValidateRoster(roster));
  }
  TeamAssigner assigner(roster, plan, seed);
  return assigner.Assign(targets, workload, options.threads);
}

}  // namespace regulation::scheduler
