#ifndef SERVICES_INSPECTION_TARGETED_PLAN_H_
#define SERVICES_INSPECTION_TARGETED_PLAN_H_

// Targeted plans (docs/draw-spec.md §3.3, docs/api.md "Targeted inspections"): a plan of
// kind TARGETED lists the enterprises it inspects, each with a reason category and the
// reference of the case behind it, instead of drawing them by quota. Its teams are drawn
// at random like any plan's.
//
// Only the category enters the draw (scheduler::ListedTarget) and anything published; the
// reference stays in the agency's plan record, since a complaint id can lead to the
// complainant.
//
// Thread safety: stateless functions; `population` is only read.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regulation/v1/inspection.pb.h"
#include "scheduler/plan_spec.h"
#include "services/seams/population_feed.h"

namespace regulation::services {

// At most this many targets per plan: a targeted plan is a list of cases, not a census, and
// its public commitment lists them beside the items (one log record holds at most 64 KiB;
// the items take up to 48,000 bytes, 200 targets about 11,000).
inline constexpr int kMaxTargetedEnterprises = 200;

bool IsTargeted(const v1::Plan& plan);

// Checks a plan's kind and, for a TARGETED plan, its list against the directory and the
// plan's (already validated) population.region_prefix: INVALID_ARGUMENT naming the field
// ("plan.targets[2].credit_code: ...") for a malformed or repeated credit code, a missing
// reason or reference, an enterprise outside the region, quotas or industry/status
// filters on a targeted plan, or targets on a random one; NOT_FOUND naming the field for
// an enterprise not in the directory; the feed's statuses (UNAVAILABLE naming the portrait
// service when it cannot be reached).
absl::Status ValidateTargets(const v1::Plan& plan, PopulationFeed* population);

// The category the draw and the public see. REQUIRES: a reason ValidateTargets accepted.
scheduler::TargetReason TargetReasonOf(v1::TargetReason reason);
v1::TargetReason ProtoTargetReason(scheduler::TargetReason reason);

// The published name of a reason: "COMPLAINT", "ALERT", "REFERRAL", "MONITORING"; "" for
// UNSPECIFIED (a random plan's target).
std::string PublicTargetReason(v1::TargetReason reason);

// The plan's targets as the draw sees them (credit code and category).
std::vector<scheduler::ListedTarget> ListedTargetsOf(const v1::Plan& plan);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_TARGETED_PLAN_H_
