#ifndef DISCLOSURE_SITE_RECORD_PAGE_H_
#define DISCLOSURE_SITE_RECORD_PAGE_H_

// The page of one log record (RecordPagePath): what it says, in both languages; its
// exact leaf bytes (element #leaf-bytes, the text assets/verify.js hashes); the entry as
// indented JSON; and the verification panel (#verification), which assets/verify.js
// fills in: the record's inclusion in the log under the signed checkpoint, computed in
// the browser from the published tiles.
//
// Thread safety: pure function.

#include <string>
#include <vector>

#include "disclosure/site/site_record.h"

namespace regulation::disclosure::site {

struct RecordPageLinks {
  // Later corrections of this record, in log order (a banner links them).
  std::vector<SiteRecord> corrections;
};

std::string RenderRecordPage(const SiteRecord& record, const RecordPageLinks& links);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_RECORD_PAGE_H_
