#ifndef DISCLOSURE_SITE_ENTERPRISE_PAGE_H_
#define DISCLOSURE_SITE_ENTERPRISE_PAGE_H_

// The page of one enterprise (EnterprisePagePath): its disclosed inspection results,
// newest first. A result that was corrected shows the corrected content, marked as
// corrected, with links to the correction and to the original record (which stays in
// the log unchanged). A correction whose original is not about this enterprise is shown
// on its own.
//
// Thread safety: pure function.

#include <string>
#include <vector>

#include "disclosure/site/site_record.h"

namespace regulation::disclosure::site {

// `records`: the enterprise's RESULT and CORRECTION records, in log order.
std::string RenderEnterprisePage(const std::string& credit_code,
                                 const std::vector<SiteRecord>& records);

// The index of the record that `correction` ultimately corrects, following corrections
// of corrections among `records` (log order).
int64_t CorrectedRoot(const SiteRecord& correction, const std::vector<SiteRecord>& records);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_ENTERPRISE_PAGE_H_
