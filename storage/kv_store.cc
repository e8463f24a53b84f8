#include "storage/kv_store.h"

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

}  // namespace regulation::storage
