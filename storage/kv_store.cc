#include "storage/kv_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/key_encoding.h"

namespace regulation::storage {

IteratorOptions PrefixBounds(absl::string_view prefix, const Snapshot* snapshot) {
  IteratorOptions options;
  options.snapshot = snapshot;
  options.lower_bound = std::string(prefix);
  options.upper_bound = PrefixSuccessor(prefix);
  return options;
}

void WriteBatch::Put(ColumnFamily cf, absl::string_view key, absl::string_view value) {
  ops_.push_back(Op{OpKind::kPut, cf, std::string(key), std::string(value)});
  byte_size_ += key.size() + value.size();
}

void WriteBatch::PutOwned(ColumnFamily cf, std::string key, std::string value) {
  byte_size_ += key.size() + value.size();
  ops_.push_back(Op{OpKind::kPut, cf, std::move(key), std::move(value)});
}

void WriteBatch::Delete(ColumnFamily cf, absl::string_view key) {
  ops_.push_back(Op{OpKind::kDelete, cf, std::string(key), std::string()});
  byte_size_ += key.size();
}

void WriteBatch::Clear() {
  ops_.clear();
  byte_size_ = 0;
}

void SortedRun::Add(absl::string_view key, absl::string_view value) {
  entries_.push_back(Entry{bytes_.size(), key.size(), value.size()});
  bytes_.append(key.data(), key.size());
  bytes_.append(value.data(), value.size());
}

void SortedRun::Clear() {
  bytes_.clear();
  entries_.clear();
}

absl::Status SortedRun::CheckOrder() const {
  for (size_t i = 1; i < size(); ++i) {
    if (!(key(i - 1) < key(i))) {
      return absl::InvalidArgumentError(absl::StrCat("sorted run: key ", absl::CHexEscape(key(i)),
                                                     " does not sort after ",
                                                     absl::CHexEscape(key(i - 1))));
    }
  }
  return absl::OkStatus();
}

absl::Status KvStore::WriteSortedRun(ColumnFamily cf, const SortedRun& run) {
  if (absl::Status order = run.CheckOrder(); !order.ok()) return order;
  WriteBatch batch;
  for (size_t i = 0; i < run.size(); ++i) batch.Put(cf, run.key(i), run.value(i));
  WriteOptions durable;
  durable.sync = true;
  return Write(batch, durable);
}

}  // namespace regulation::storage
