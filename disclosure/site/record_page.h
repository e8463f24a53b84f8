#ifndef DISCLOSURE_SITE_RECORD_PAGE_H_
#define DISCLOSURE_SITE_RECORD_PAGE_H_

// The page of one log record (RecordPagePath). Inside #record-content, what the record
// says, in both languages: assets/verify.js checks every line of it against the body it
// verified (docs/disclosure.md, "Verifying in the browser"), so the region holds
// nothing else. Then the verification panel (#verification), the exact leaf
// (#leaf-bytes) and body (#body-bytes), and a pretty-printed view the script fills in
// from the verified body.
//
// A withdrawn record's page shows what its leaf names and, from its WITHDRAWAL record,
// that it was withdrawn, when and on what legal basis; its body is gone.
//
// Thread safety: pure function.

#include <string>
#include <vector>

#include "disclosure/site/site_record.h"

namespace regulation::disclosure::site {

struct RecordPageLinks {
  // Later corrections of this record, in log order (a banner links them).
  std::vector<SiteRecord> corrections;
  // Answers to objections to this record, in log order (a banner links them).
  std::vector<SiteRecord> objection_outcomes;
  // For a withdrawn record: its WITHDRAWAL record, when the site has it.
  const SiteRecord* withdrawal = nullptr;
};

std::string RenderRecordPage(const SiteRecord& record, const RecordPageLinks& links);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_RECORD_PAGE_H_
