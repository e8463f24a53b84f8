#include "scheduler/staffing_forecast.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scheduler/quota.h"
#include "scheduler/team_assignment.h"

namespace regulation::scheduler {
namespace {

constexpr size_t kMaxRegionsNamed = 20;

std::string Millis(int64_t millis) {
  return absl::StrFormat("%d.%03d", millis / 1000, millis % 1000);
}

}  // namespace

StaffingForecast ForecastStaffing(const PlanSpec& plan_in, const FrozenRoster& roster,
                                  const RegionClassCounts& population) {
  const PlanSpec plan = CanonicalPlanSpec(plan_in);
  StaffingForecast f;
  std::array<int64_t, kRiskClassCount> class_sizes{};
  for (const auto& [region, counts] : population) {
    for (int c = 0; c < kRiskClassCount; ++c) class_sizes[c] += counts[c];
  }
  std::array<int64_t, kRiskClassCount> expected{};
  for (int c = 0; c < kRiskClassCount; ++c) {
    expected[c] = QuotaCount(plan.quotas[c], class_sizes[c]);
    f.expected_targets += expected[c];
  }
  f.seats_needed = f.expected_targets * plan.team_size;

  // Eligible inspectors by jurisdiction prefix, and by department.
  std::map<std::string, std::map<std::string, int64_t>> by_prefix;  // prefix -> dept -> n
  std::map<std::string, int64_t> by_department;
  for (const InspectorRecord& inspector : roster.inspectors) {
    if (!PassesStaticRules(inspector, plan)) continue;
    ++f.eligible_inspectors;
    ++by_department[inspector.department];
    ++by_prefix[JurisdictionPrefix(inspector.region_code)][inspector.department];
  }
  f.capacity = f.eligible_inspectors * plan.workload_cap;
  if (plan.departments.size() > 1) {
    for (const std::string& d : plan.departments) {
      const int64_t capacity = by_department[d] * plan.workload_cap;
      if (capacity < f.expected_targets) f.short_departments.emplace_back(d, capacity);
    }
  }

  std::vector<std::pair<double, std::string>> unstaffable;
  double unstaffable_expected = 0;
  for (const auto& [region, counts] : population) {
    std::map<std::string, int64_t> covering;  // dept -> eligible inspectors with jurisdiction
    for (size_t len = 2; len <= region.size(); len += 2) {
      auto it = by_prefix.find(region.substr(0, len));
      if (it == by_prefix.end()) continue;
      for (const auto& [d, n] : it->second) covering[d] += n;
    }
    int64_t total = 0;
    bool every_department = true;
    for (const std::string& d : plan.departments) {
      total += covering[d];
      every_department = every_department && covering[d] > 0;
    }
    if (total >= plan.team_size && every_department) continue;
    double here = 0;
    for (int c = 0; c < kRiskClassCount; ++c) {
      if (class_sizes[c] > 0) {
        here += static_cast<double>(expected[c]) * static_cast<double>(counts[c]) /
                static_cast<double>(class_sizes[c]);
      }
    }
    if (here <= 0) continue;
    unstaffable_expected += here;
    unstaffable.emplace_back(here, region);
  }
  f.unstaffable_expected_millis = static_cast<int64_t>(unstaffable_expected * 1000 + 0.5);
  if (f.unstaffable_expected_millis == 0 && !unstaffable.empty()) {
    f.unstaffable_expected_millis = 1;  // never round a real risk away
  }
  std::sort(unstaffable.begin(), unstaffable.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t i = 0; i < unstaffable.size() && i < kMaxRegionsNamed; ++i) {
    f.unstaffable_regions.push_back(unstaffable[i].second);
  }
  return f;
}

std::string StaffingForecast::Describe(const PlanSpec& plan) const {
  std::vector<std::string> parts;
  parts.push_back(absl::StrFormat(
      "the quotas select %d targets, %d seats at %d per team; %d inspectors pass the static "
      "rules (active, certificate valid through %s, of the plan's departments, qualified) and "
      "can take %d at the workload cap of %d",
      expected_targets, seats_needed, plan.team_size, eligible_inspectors, plan.due_date, capacity,
      plan.workload_cap));
  if (unstaffable_expected_millis > 0) {
    std::vector<std::string> named;
    for (const std::string& r : unstaffable_regions) named.push_back(r.empty() ? "(none)" : r);
    parts.push_back(absl::StrFormat(
        "%s expected targets are in regions where fewer than %d eligible inspectors have "
        "jurisdiction%s (%s)",
        Millis(unstaffable_expected_millis), plan.team_size,
        plan.departments.size() > 1 ? " or a department has none" : "",
        absl::StrJoin(named, ", ")));
  }
  for (const auto& [department, capacity] : short_departments) {
    parts.push_back(absl::StrFormat(
        "department %s's eligible inspectors can take %d of the %d targets, each of which "
        "needs one of them",
        department, capacity, expected_targets));
  }
  return absl::StrCat("the roster cannot staff the plan's expected targets: ",
                      absl::StrJoin(parts, "; "));
}

}  // namespace regulation::scheduler
