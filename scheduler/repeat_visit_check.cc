#include "scheduler/repeat_visit_check.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "scheduler/canonical_time.h"

namespace regulation::scheduler {
namespace {

absl::Status Wrong(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("no_repeat: ", what));
}

bool SharesDepartment(const PlanSpec& a, const PlanSpec& b) {
  for (const std::string& d : a.departments) {
    if (std::find(b.departments.begin(), b.departments.end(), d) != b.departments.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::Status CheckRepeatExclusion(const DrawBundle& bundle,
                                  const std::vector<PublishedRound>& earlier) {
  if (!bundle.plan.no_repeat.has_value()) {
    return absl::InvalidArgumentError(
        "earlier bundles: this plan has no no-repeat rule (plan.no_repeat) to check");
  }
  const NoRepeatRule& rule = *bundle.plan.no_repeat;
  REG_ASSIGN_OR_RETURN(const absl::Time committed,
                       ParseCanonicalTime("commitment.committed_at", bundle.commitment.committed_at));
  const absl::Time window_start = committed - absl::Hours(24) * rule.window_days;
  // Why a round of another plan counts, or "" when it does.
  auto out_of_rule = [&](const DrawBundle& b) -> std::string {
    if (b.plan.plan_id == bundle.plan.plan_id) return "it is a round of this plan";
    absl::StatusOr<absl::Time> at = ParseCanonicalTime("committed_at", b.commitment.committed_at);
    if (!at.ok() || *at < window_start || *at >= committed) {
      return absl::StrFormat("its commitment (%s) is not within the %d days before %s",
                             b.commitment.committed_at, rule.window_days,
                             bundle.commitment.committed_at);
    }
    if (rule.scope == RepeatScope::kDepartment && !SharesDepartment(b.plan, bundle.plan)) {
      return "it shares no department with this plan (scope \"department\")";
    }
    return "";
  };
  std::map<std::string, const PublishedRound*> by_digest;
  for (const PublishedRound& r : earlier) by_digest[r.digest] = &r;

  // Each considered round: given, as described, in the window and scope.
  std::map<std::string, std::string> expected;  // credit code -> first considered digest
  for (const EarlierRound& c : rule.considered) {  // in bundle-digest order
    auto found = by_digest.find(c.bundle_digest);
    if (found == by_digest.end()) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "no_repeat: the considered round %d of plan %s (bundle %s) is not among the earlier "
          "bundles given",
          c.round, c.plan_id, c.bundle_digest));
    }
    const DrawBundle& b = found->second->bundle;
    if (b.plan.plan_id != c.plan_id || b.round != c.round ||
        b.commitment.committed_at != c.committed_at) {
      return Wrong(absl::StrFormat(
          "bundle %s is round %d of plan %s committed at %s; the rule says round %d of plan %s "
          "committed at %s",
          c.bundle_digest, b.round, b.plan.plan_id, b.commitment.committed_at, c.round, c.plan_id,
          c.committed_at));
    }
    const std::string why = out_of_rule(b);
    if (!why.empty()) {
      return Wrong(absl::StrFormat("the considered round %d of plan %s does not count: %s",
                                   c.round, c.plan_id, why));
    }
    for (const BundleTarget& t : b.targets) expected.emplace(t.credit_code, c.bundle_digest);
  }
  // Every round given that counts was considered.
  for (const PublishedRound& r : earlier) {
    const bool considered =
        std::any_of(rule.considered.begin(), rule.considered.end(),
                    [&](const EarlierRound& c) { return c.bundle_digest == r.digest; });
    if (!considered && out_of_rule(r.bundle).empty()) {
      return Wrong(absl::StrFormat(
          "round %d of plan %s (bundle %s), committed at %s, is within the window and scope "
          "but was not considered",
          r.bundle.round, r.bundle.plan.plan_id, r.digest, r.bundle.commitment.committed_at));
    }
  }
  // The excluded set is exactly what the considered rounds drew.
  auto e = rule.excluded.begin();
  for (const auto& [code, digest] : expected) {
    if (e == rule.excluded.end() || e->credit_code > code) {
      return Wrong(absl::StrFormat("%s was drawn by bundle %s but is not excluded", code, digest));
    }
    if (e->credit_code < code) {
      return Wrong(absl::StrFormat("%s is excluded but no considered round drew it",
                                   e->credit_code));
    }
    if (e->bundle_digest != digest) {
      return Wrong(absl::StrFormat("%s: the reason given is bundle %s; the first considered "
                                   "round that drew it is bundle %s",
                                   code, e->bundle_digest, digest));
    }
    ++e;
  }
  if (e != rule.excluded.end()) {
    return Wrong(
        absl::StrFormat("%s is excluded but no considered round drew it", e->credit_code));
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
