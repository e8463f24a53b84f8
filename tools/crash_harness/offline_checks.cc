#include "tools/crash_harness/offline_checks.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/portrait/feature_rows.h"
#include "storage/rocksdb_store.h"

namespace regulation::crash {

CheckResult CheckFeatureRowsOffline(const std::string& rocksdb_dir) {
  CheckResult result{"feature rows", true, ""};
  storage::RocksDbOptions options;
  options.path = rocksdb_dir;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(options);
  if (!store.ok()) {
    return {result.name, false, absl::StrCat("cannot open ", rocksdb_dir, ": ", store.status().ToString())};
  }
  absl::StatusOr<services::FeatureRowCheck> check = services::CheckFeatureRows(store->get());
  if (!check.ok()) return {result.name, false, check.status().ToString()};
  if (!check->differing.empty()) {
    const size_t shown = std::min<size_t>(check->differing.size(), 5);
    return {result.name, false,
            absl::StrCat(check->differing.size(), " of ", check->checked,
                         " rows differ from their enterprise and state, e.g. ",
                         absl::StrJoin(check->differing.begin(),
                                       check->differing.begin() + shown, ", "))};
  }
  result.detail = absl::StrCat(check->checked, " rows equal their derivation");
  return result;
}

}  // namespace regulation::crash
