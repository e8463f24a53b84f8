#include "scheduler/dishonest_selection.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/ticket.h"

namespace regulation::scheduler {

absl::StatusOr<TargetSelection> SelectWithDishonest(
    PopulationSource& population, absl::string_view seed, const PlanSpec& plan,
    const std::array<int64_t, kRiskClassCount>& class_sizes, const SelectionOptions& options) {
  constexpr int kD = kRiskClassCount - 1;
  const std::vector<std::string>& listed = plan.credit.dishonest;
  const int64_t n_listed = static_cast<int64_t>(listed.size());
  if (class_sizes[kD] < n_listed) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "plan.credit.dishonest: %d enterprises are listed, but class D has only %d", n_listed,
        class_sizes[kD]));
  }
  std::array<int64_t, kRiskClassCount> counts;
  for (int c = 0; c < kRiskClassCount; ++c) {
    counts[c] = QuotaCount(plan.quotas[c], class_sizes[c] - (c == kD ? n_listed : 0));
  }
  const absl::flat_hash_set<std::string> excluded(listed.begin(), listed.end());
  REG_ASSIGN_OR_RETURN(TargetSelection selection,
                       SelectTargets(population, seed, counts, excluded, options));

  std::set<std::string> missing(listed.begin(), listed.end());
  const TicketHasher hasher(seed);
  REG_RETURN_IF_ERROR(population.ForEach(
      [&](absl::string_view code, int risk_class, absl::string_view region) -> absl::Status {
        if (!excluded.contains(code)) return absl::OkStatus();
        if (risk_class != kD + 1) {
          return absl::FailedPreconditionError(
              absl::StrCat("plan.credit.dishonest: ", code, " is frozen in class ",
                           std::string(1, RiskClassLetter(risk_class)), ", not D"));
        }
        SelectedTarget& t = selection.targets.emplace_back();
        t.credit_code = std::string(code);
        t.risk_class = risk_class;
        t.region_code = std::string(region);
        t.ticket = hasher.Compute(code);
        missing.erase(t.credit_code);
        return absl::OkStatus();
      }));
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan.credit.dishonest: ", *missing.begin(), " is not in the frozen population"));
  }
  std::sort(selection.targets.begin(), selection.targets.end(),
            [](const SelectedTarget& a, const SelectedTarget& b) {
              const int cmp = CompareTickets(a.ticket, b.ticket);
              return cmp != 0 ? cmp < 0 : a.credit_code < b.credit_code;
            });
  return selection;
}

}  // namespace regulation::scheduler
