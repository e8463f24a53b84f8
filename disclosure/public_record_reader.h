#ifndef DISCLOSURE_PUBLIC_RECORD_READER_H_
#define DISCLOSURE_PUBLIC_RECORD_READER_H_

// One public record as it is served (GetPublicRecord, ListPublicRecords, and the site
// sources over a local log): the leaf at a log index, the body and salt it commits to,
// checked against it (public_leaf.h), and beside them the kind, subject and publish time
// the leaf names and, for a correction, the index it corrects. A withdrawn record has no
// body or salt: it says so and names its WITHDRAWAL record's index (-1 while that record
// is staged but not yet in the log). A DRAW's bundle (attachment) is the caller's to add.
//
// Thread safety: as thread-safe as the log, the store and the queue (all are).

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "disclosure/public_body_store.h"
#include "disclosure/log_reader.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/public_record.pb.h"
#include "storage/kv_store.h"

namespace regulation::disclosure {

class PublicRecordReader {
 public:
  // Everything must outlive the reader. `published` finds WITHDRAWAL records by key (may
  // be null: a withdrawn record then names no WITHDRAWAL record, -1).
  PublicRecordReader(const LogReader* log, storage::KvStore* store, PublicationQueue* published)
      : log_(log), store_(store), published_(published) {}

  // The record at `index`; `entry` (optional) receives its body's entry (left as it is
  // for a withdrawn record). Errors: the log's (OUT_OF_RANGE past its end); DATA_LOSS
  // when the leaf is not a disclosure leaf, its body is missing, or the body does not
  // match it; the store's.
  absl::StatusOr<v1::PublicRecord> Read(uint64_t index, v1::PublicEntry* entry = nullptr) const;

  // The record of the body staged under `key` (sealed, perhaps not yet in the log): what
  // Read answers once it is logged, without log_index and logged. A withdrawn body has
  // no leaf left: the record then holds only `kind` and the withdrawal. `log` may be
  // null for this call. Errors: NOT_FOUND when nothing is staged under `key`; DATA_LOSS
  // when the stored body does not match its leaf; SealBody's and the store's.
  absl::StatusOr<v1::PublicRecord> ReadStaged(absl::string_view key,
                                              v1::PublicRecordKind kind) const;

 private:
  // The record for `leaf_bytes` and the body stored under its key, without log_index and
  // logged. DATA_LOSS (unprefixed) when the leaf is malformed, its body is missing or
  // does not match it.
  absl::StatusOr<v1::PublicRecord> RecordOf(std::string leaf_bytes,
                                            v1::PublicEntry* entry = nullptr) const;
  // Marks `record` withdrawn and names the WITHDRAWAL record's index (-1 while staged).
  absl::Status SetWithdrawal(const StoredBody& stored, v1::PublicRecord* record) const;

  const LogReader* const log_;
  storage::KvStore* const store_;
  PublicationQueue* const published_;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PUBLIC_RECORD_READER_H_
