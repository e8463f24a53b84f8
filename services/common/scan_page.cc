#include "services/common/scan_page.h"

#include "common/status_macros.h"
#include "services/common/pagination.h"

namespace regulation::services {

absl::StatusOr<std::string> ScanPage(
    storage::KvStore* store, storage::ColumnFamily cf, storage::IteratorOptions range,
    const PageRequest& page,
    const std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>&
        visit) {
  REG_ASSIGN_OR_RETURN(const int page_size, ResolvePageSize(page.page_size));
  std::string resume_after;
  if (!page.page_token.empty()) {
    REG_ASSIGN_OR_RETURN(resume_after, DecodePageToken(page.page_token, page.filters));
  }
  std::unique_ptr<storage::Iterator> it = store->NewIterator(cf, range);
  if (resume_after.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(resume_after);
    if (it->Valid() && it->key() == resume_after) it->Next();
  }
  int taken = 0, scanned = 0;
  size_t bytes = 0;
  std::string last_key;
  for (; it->Valid() && taken < page_size && scanned < kMaxScannedPerPage; it->Next()) {
    const size_t size = it->value().size();
    if (taken > 0 && bytes + size > kMaxPageBytes) break;  // the next page starts here
    ++scanned;
    last_key = std::string(it->key());
    REG_ASSIGN_OR_RETURN(bool took, visit(it->key(), it->value()));
    taken += took;
    if (took) bytes += size;
  }
  REG_RETURN_IF_ERROR(it->status());
  return it->Valid() ? EncodePageToken(page.filters, last_key) : std::string();
}

}  // namespace regulation::services
