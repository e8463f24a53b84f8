#ifndef DISCLOSURE_PUBLIC_BODY_STORE_H_
#define DISCLOSURE_PUBLIC_BODY_STORE_H_

// Where the bodies the log's leaves commit to are kept (public_leaf.h): column family
// kPublicBodies, record key -> regulation.internal.PublicBody (the body and its salt).
// A body is stored in the batch that stages its record (publication_queue.h), so that it
// exists before its leaf can be read; a withdrawal replaces it by a tombstone that names
// the WITHDRAWAL record, in the batch that stages that record.
//
// Thread safety: the functions are as thread-safe as the store.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/kv_store.h"

namespace regulation::disclosure {

struct StoredBody {
  // The PublicEntry JSON and its salt; both empty once withdrawn.
  std::string body;
  std::string salt;
  // Once withdrawn: the WITHDRAWAL record's key ("withdrawal/<index>").
  std::string withdrawn_by;

  bool withdrawn() const { return !withdrawn_by.empty(); }
};

// Adds the body of the record `record_key` to `batch`.
void StagePublicBody(absl::string_view record_key, absl::string_view body, absl::string_view salt,
                     storage::WriteBatch* batch);

// Adds to `batch` the replacement of the body of `record_key` by a tombstone naming the
// WITHDRAWAL record `withdrawal_key`.
void StageBodyTombstone(absl::string_view record_key, absl::string_view withdrawal_key,
                        storage::WriteBatch* batch);

// The stored body (or tombstone) of `record_key`. NOT_FOUND when none is stored;
// DATA_LOSS when the stored value is corrupt; the store's errors.
absl::StatusOr<StoredBody> ReadPublicBody(storage::KvStore* store, absl::string_view record_key);

// Physically erases the versions of `record_key`'s body that a tombstone replaced
// (KvStore::CompactRange of that one key). Call once the tombstone is written.
absl::Status EraseOldBodies(storage::KvStore* store, absl::string_view record_key);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PUBLIC_BODY_STORE_H_
