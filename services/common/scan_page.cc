#include "services/common/scan_page.h"

#include "common/status_macros.h"
#include "services/common/pagination.h"
#include "storage/page_scan.h"

namespace regulation::services {

absl::StatusOr<storage::PageLimits> ResolvePageLimits(const PageRequest& page,
                                                      std::string* resume_after) {
  storage::PageLimits limits;
  REG_ASSIGN_OR_RETURN(limits.max_rows, ResolvePageSize(page.page_size));
  limits.max_scanned = kMaxScannedPerPage;
  limits.max_bytes = kMaxPageBytes;
  resume_after->clear();
  if (!page.page_token.empty()) {
    REG_ASSIGN_OR_RETURN(*resume_after, DecodePageToken(page.page_token, page.filters));
  }
  return limits;
}

std::string NextPageToken(const PageRequest& page, const storage::PageEnd& end) {
  return end.more ? EncodePageToken(page.filters, end.last_key) : std::string();
}

absl::StatusOr<std::string> ScanPage(
    storage::KvStore* store, storage::ColumnFamily cf, storage::IteratorOptions range,
    const PageRequest& page,
    const std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>&
        visit) {
  std::string resume_after;
  REG_ASSIGN_OR_RETURN(const storage::PageLimits limits, ResolvePageLimits(page, &resume_after));
  REG_ASSIGN_OR_RETURN(const storage::PageEnd end,
                       storage::ScanRangePage(store, cf, range, resume_after, limits, visit));
  return NextPageToken(page, end);
}

}  // namespace regulation::services
