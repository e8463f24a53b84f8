#ifndef STORAGE_ROCKSDB_STATUS_H_
#define STORAGE_ROCKSDB_STATUS_H_

// The one place where RocksDB statuses become absl::Status. Private to storage/: no
// other package sees a RocksDB type.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace regulation::storage {

// Converts `status`; the message is "<context>: <RocksDB's message>". Codes:
//   OK                            -> OK
//   NotFound                      -> NOT_FOUND
//   Corruption                    -> DATA_LOSS
//   Busy, TryAgain, TimedOut,
//   ShutdownInProgress            -> UNAVAILABLE (transient: retrying may succeed)
//   InvalidArgument               -> INVALID_ARGUMENT
//   IOError                       -> INTERNAL. A failed read or write of the disk (or a
//                                    full disk) usually puts RocksDB into read-only
//                                    background-error mode; retrying will not help
//                                    until an operator acts, so UNAVAILABLE would
//                                    invite pointless retries.
//   anything else                 -> INTERNAL
// Thread-safe.
absl::Status FromRocksDbStatus(const rocksdb::Status& status, absl::string_view context);

}  // namespace regulation::storage

#endif  // STORAGE_ROCKSDB_STATUS_H_
