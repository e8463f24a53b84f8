#ifndef STORAGE_PAGE_SCAN_H_
#define STORAGE_PAGE_SCAN_H_

// The core of a paged list: one page of a key range, resuming after a key, bounded in
// rows taken, rows scanned and bytes. Page tokens and page-size defaults are the API's
// business (services/common/scan_page.h wraps this with them); this is the loop both the
// raw and the typed (proto_table.h) scans share.
//
// Thread safety: stateless; as safe as the store and `visit` it is given.

#include <cstddef>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/kv_store.h"

namespace regulation::storage {

struct PageLimits {
  // Rows taken into the page; must be positive. No default: the API decides.
  int max_rows = 0;
  // Rows visited (taken or not) before the page ends anyway; must be positive.
  int max_scanned = 0;
  // A row that would take the stored bytes of the rows taken past this ends the page
  // before it (a page always holds at least one row). Default: no limit.
  size_t max_bytes = static_cast<size_t>(-1);
};

struct PageEnd {
  // True when rows remain in the range after `last_key`.
  bool more = false;
  // The last key visited (taken or not): the next page resumes after it.
  std::string last_key;
};

// Visits the rows of `cf` within `range` whose keys come after `resume_after` (from the
// first, when it is empty), in key order; `visit(key, value)` returns whether the row
// was taken into the page. The range clamps the scan, so `resume_after` can move the
// start only within it. Statuses: the first error of the store or of `visit`.
absl::StatusOr<PageEnd> ScanRangePage(
    KvStore* store, ColumnFamily cf, const IteratorOptions& range, absl::string_view resume_after,
    const PageLimits& limits,
    const std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>&
        visit);

}  // namespace regulation::storage

#endif  // STORAGE_PAGE_SCAN_H_
