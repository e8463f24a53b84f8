#ifndef DISCLOSURE_SITE_PLAN_PAGE_H_
#define DISCLOSURE_SITE_PLAN_PAGE_H_

// The page of one inspection plan (PlanPagePath): the plan as committed (items with
// their legal basis, population filters, quotas, class sizes and digests, the nonce
// commitment and the entropy source), then every draw round (seed, nonce, entropy,
// per-class cutoffs, targets with tickets and teams, a link to the bundle file, and
// what a replacement round replaced). Inside #plan-content only: assets/plan.js checks
// every line of it against the plan's records, verified in the log, and the draw
// bundles, verified against their records' digests; the panel (#verification) names the
// records (data-records).
//
// Thread safety: pure function.

#include <string>
#include <vector>

#include "disclosure/site/site_record.h"

namespace regulation::disclosure::site {

struct PlanRecord {
  SiteRecord record;
  // For a DRAW: its bundle (empty when the site has none).
  std::string bundle;
};

// `records`: the plan's COMMITMENT and DRAW records, in log order.
std::string RenderPlanPage(const std::string& plan_id, const std::vector<PlanRecord>& records);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_PLAN_PAGE_H_
