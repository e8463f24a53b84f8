#ifndef SERVICES_COMMON_SCAN_PAGE_H_
#define SERVICES_COMMON_SCAN_PAGE_H_

// One page of a list call over a key range: resumes after the page token's key, visits
// rows until `page_size` were taken (or a scan or byte budget was spent), and returns the
// next page token (empty at the end). The range clamps the scan, so a hand-made token can
// move the start only within it.

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/kv_store.h"
#include "storage/page_scan.h"
#include "storage/proto_table.h"

namespace regulation::services {

struct PageRequest {
  int32_t page_size = 0;   // as the request gave it (0: default)
  std::string page_token;  // as the request gave it
  // Canonical description of the request's filters: tokens only work with the same.
  std::string filters;
};

// `visit(key, value)` returns whether the row was taken into the page. Stops after
// kMaxScannedPerPage rows even if the page is not full, and before a row that would take
// the stored bytes of the rows taken past kMaxPageBytes (a page always holds at least one
// row), so that a page stays under gRPC's default 4 MiB message limit. Statuses: INVALID_ARGUMENT
// for a bad page size or token; the first error of the store or of `visit`.
absl::StatusOr<std::string> ScanPage(
    storage::KvStore* store, storage::ColumnFamily cf, storage::IteratorOptions range,
    const PageRequest& page,
    const std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>&
        visit);

inline constexpr int kMaxScannedPerPage = 20000;

// The storage limits of `page` (its size, kMaxScannedPerPage, kMaxPageBytes) and, in
// `*resume_after`, the key its token resumes after (empty without a token).
// INVALID_ARGUMENT for a bad page size or token.
absl::StatusOr<storage::PageLimits> ResolvePageLimits(const PageRequest& page,
                                                      std::string* resume_after);

// The token of the page after one that ended at `end`; empty at the end.
std::string NextPageToken(const PageRequest& page, const storage::PageEnd& end);

// As above, over a typed table: `visit(key, record)` gets each record parsed, and a
// record that does not parse is DATA_LOSS naming its key.
template <typename Message>
absl::StatusOr<std::string> ScanPage(
    const storage::ProtoTable<Message>& table, const storage::IteratorOptions& range,
    const PageRequest& page,
    const std::function<absl::StatusOr<bool>(absl::string_view key, Message record)>& visit) {
  std::string resume_after;
  absl::StatusOr<storage::PageLimits> limits = ResolvePageLimits(page, &resume_after);
  if (!limits.ok()) return limits.status();
  absl::StatusOr<storage::PageEnd> end = table.ScanPage(range, resume_after, *limits, visit);
  if (!end.ok()) return end.status();
  return NextPageToken(page, *end);
}

}  // namespace regulation::services

#endif  // SERVICES_COMMON_SCAN_PAGE_H_
