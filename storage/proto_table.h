#ifndef STORAGE_PROTO_TABLE_H_
#define STORAGE_PROTO_TABLE_H_

// A typed view of one column family whose values are one protobuf message type:
// reads parse, writes serialise, and a value that does not parse is DATA_LOSS naming
// the column family and the key, in one wording everywhere.
//
// Ownership of records: each column family has one owning package, which builds its
// ProtoTable and is the only writer (Stage). Other packages read through the owner's
// interface (for enterprises, services/portrait/enterprise_records.h), never through
// the raw KvStore, so that the record's format, its key and its corruption handling
// live in one place. docs/architecture.md lists the owners.
//
// Example:
//   ProtoTable<v1::Inspector> inspectors(store, ColumnFamily::kInspectors);
//   REG_ASSIGN_OR_RETURN(v1::Inspector i, inspectors.Get(id));   // NOT_FOUND, DATA_LOSS
//   WriteBatch batch;
//   inspectors.Stage(&batch, id, i);
//   REG_RETURN_IF_ERROR(store->Write(batch));
//
// Thread safety: a ProtoTable is immutable after construction and safe for concurrent
// use (the store is). A ProtoCursor belongs to one thread at a time, as an Iterator.
// Ownership: the table holds the store, which must outlive it and its cursors.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "storage/column_family.h"
#include "storage/kv_store.h"
#include "storage/page_scan.h"

namespace regulation::storage {

// NOT_FOUND "no <family> record <key>", the key escaped (keys may be binary).
absl::Status RecordNotFound(ColumnFamily cf, absl::string_view key);
// DATA_LOSS "the stored <family> record <key> does not parse as <type>".
absl::Status RecordCorrupt(ColumnFamily cf, absl::string_view key, absl::string_view type_name);

// Parses `bytes`, the value of `key` in `cf`, into `*out` (cleared first, its memory
// reused). DATA_LOSS as RecordCorrupt when the bytes do not parse.
template <typename Message>
absl::Status ParseRecord(ColumnFamily cf, absl::string_view key, absl::string_view bytes,
                         Message* out) {
  if (!out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return RecordCorrupt(cf, key, Message::descriptor()->full_name());
  }
  return absl::OkStatus();
}

// Walks a column family's records in key order, parsing on demand (Read), so a scan
// that skips rows by key pays nothing for them. Starts unpositioned, as an Iterator.
template <typename Message>
class ProtoCursor {
 public:
  ProtoCursor(ColumnFamily cf, std::unique_ptr<Iterator> it) : cf_(cf), it_(std::move(it)) {}

  void SeekToFirst() { it_->SeekToFirst(); }
  void Seek(absl::string_view target) { it_->Seek(target); }
  bool Valid() const { return it_->Valid(); }
  // REQUIRES: Valid().
  void Next() { it_->Next(); }
  // REQUIRES: Valid(). The view stays valid until the cursor moves.
  absl::string_view key() const { return it_->key(); }
  // REQUIRES: Valid(). The record here, parsed into `*out`; DATA_LOSS naming the key.
  absl::Status Read(Message* out) const { return ParseRecord(cf_, it_->key(), it_->value(), out); }
  // OK unless iteration stopped because of an error.
  absl::Status status() const { return it_->status(); }

 private:
  ColumnFamily cf_;
  std::unique_ptr<Iterator> it_;
};

template <typename Message>
class ProtoTable {
 public:
  // `store` must outlive the table.
  ProtoTable(KvStore* store, ColumnFamily cf) : store_(store), cf_(cf) {}

  ColumnFamily column_family() const { return cf_; }

  // The record of `key`: NOT_FOUND (RecordNotFound) when absent, DATA_LOSS
  // (RecordCorrupt) when it does not parse, the store's statuses otherwise.
  absl::StatusOr<Message> Get(absl::string_view key, const ReadOptions& options = {}) const {
    absl::StatusOr<std::string> bytes = store_->Get(cf_, key, options);
    if (absl::IsNotFound(bytes.status())) return RecordNotFound(cf_, key);
    if (!bytes.ok()) return bytes.status();
    Message message;
    absl::Status parsed = ParseRecord(cf_, key, *bytes, &message);
    if (!parsed.ok()) return parsed;
    return message;
  }

  // The records of `keys`, in order, each as Get would return it (one store call).
  std::vector<absl::StatusOr<Message>> MultiGet(absl::Span<const std::string> keys,
                                                const ReadOptions& options = {}) const {
    std::vector<absl::StatusOr<std::string>> rows = store_->MultiGet(cf_, keys, options);
    std::vector<absl::StatusOr<Message>> out;
    out.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      if (absl::IsNotFound(rows[i].status())) {
        out.push_back(RecordNotFound(cf_, keys[i]));
      } else if (!rows[i].ok()) {
        out.push_back(rows[i].status());
      } else {
        Message message;
        absl::Status parsed = ParseRecord(cf_, keys[i], *rows[i], &message);
        if (parsed.ok()) {
          out.push_back(std::move(message));
        } else {
          out.push_back(std::move(parsed));
        }
      }
    }
    return out;
  }

  // Adds "put `message` at `key`" to `batch`; the caller writes the batch, with
  // whatever else must be atomic with it.
  void Stage(WriteBatch* batch, absl::string_view key, const Message& message) const {
    batch->PutOwned(cf_, std::string(key), message.SerializeAsString());
  }
  // Adds "delete `key`" to `batch`.
  void StageDelete(WriteBatch* batch, absl::string_view key) const { batch->Delete(cf_, key); }

  // Parses a value read from this family by other means (a raw page scan).
  absl::Status Parse(absl::string_view key, absl::string_view bytes, Message* out) const {
    return ParseRecord(cf_, key, bytes, out);
  }

  // A cursor over the records within `options`' bounds and snapshot.
  ProtoCursor<Message> Scan(const IteratorOptions& options = {}) const {
    return ProtoCursor<Message>(cf_, store_->NewIterator(cf_, options));
  }

  // One page of records within `range` after `resume_after` (storage/page_scan.h);
  // `visit(key, record)` returns whether the record was taken. DATA_LOSS for a record
  // that does not parse; otherwise the first error of the store or of `visit`.
  absl::StatusOr<PageEnd> ScanPage(
      const IteratorOptions& range, absl::string_view resume_after, const PageLimits& limits,
      const std::function<absl::StatusOr<bool>(absl::string_view key, Message record)>& visit)
      const {
    return ScanRangePage(
        store_, cf_, range, resume_after, limits,
        [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
          Message record;
          absl::Status parsed = ParseRecord(cf_, key, value, &record);
          if (!parsed.ok()) return parsed;
          return visit(key, std::move(record));
        });
  }

  // About how many records the family holds (KvStore::EstimateKeyCount): for progress
  // messages only.
  absl::StatusOr<int64_t> EstimateCount() const { return store_->EstimateKeyCount(cf_); }

 private:
  KvStore* const store_;
  const ColumnFamily cf_;
};

}  // namespace regulation::storage

#endif  // STORAGE_PROTO_TABLE_H_
