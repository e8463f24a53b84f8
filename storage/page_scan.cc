#include "storage/page_scan.h"

#include <memory>

namespace regulation::storage {

absl::StatusOr<PageEnd> ScanRangePage(
    KvStore* store, ColumnFamily cf, const IteratorOptions& range, absl::string_view resume_after,
    const PageLimits& limits,
    const std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>&
        visit) {
  std::unique_ptr<Iterator> it = store->NewIterator(cf, range);
  if (resume_after.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(resume_after);
    if (it->Valid() && it->key() == resume_after) it->Next();
  }
  int taken = 0, scanned = 0;
  size_t bytes = 0;
  PageEnd end;
  for (; it->Valid() && taken < limits.max_rows && scanned < limits.max_scanned; it->Next()) {
    const size_t size = it->value().size();
    if (taken > 0 && bytes + size > limits.max_bytes) break;  // the next page starts here
    ++scanned;
    end.last_key = std::string(it->key());
    absl::StatusOr<bool> took = visit(it->key(), it->value());
    if (!took.ok()) return took.status();
    taken += *took;
    if (*took) bytes += size;
  }
  if (!it->status().ok()) return it->status();
  end.more = it->Valid();
  return end;
}

}  // namespace regulation::storage
