#include "storage/rocksdb_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace regulation::storage {

absl::Status FromRocksDbStatus(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  absl::StatusCode code;
  switch (status.code()) {
    case rocksdb::Status::kNotFound:
      code = absl::StatusCode::kNotFound;
      break;
    case rocksdb::Status::kCorruption:
      code = absl::StatusCode::kDataLoss;
      break;
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
    case rocksdb::Status::kTimedOut:
    case rocksdb::Status::kShutdownInProgress:
      code = absl::StatusCode::kUnavailable;
      break;
    case rocksdb::Status::kInvalidArgument:
      code = absl::StatusCode::kInvalidArgument;
      break;
    default:  // kIOError and the rest.
      code = absl::StatusCode::kInternal;
      break;
  }
  return absl::Status(code, absl::StrCat(context, ": ", status.ToString()));
}

}  // namespace regulation::storage
