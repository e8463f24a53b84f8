#include "storage/memory_store.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/kv_store_contract.h"

namespace regulation::storage {
namespace {

INSTANTIATE_TEST_SUITE_P(Memory, KvStoreContractTest,
                         testing::Values(KvStoreFactory{"Memory", [] { return NewMemoryStore(); },
                                                        nullptr}),
                         KvStoreFactoryName);

TEST(MemoryStoreTest, SnapshotAndIteratorMayOutliveTheStore) {
  std::unique_ptr<KvStore> store = NewMemoryStore();
  WriteBatch batch;
  batch.Put(ColumnFamily::kEnterprises, "k", "v");
  ASSERT_TRUE(store->Write(batch).ok());
  std::unique_ptr<Snapshot> snapshot = store->GetSnapshot();
  std::unique_ptr<Iterator> it = store->NewIterator(ColumnFamily::kEnterprises);
  store.reset();
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "k");
}

TEST(MemoryStoreTest, SnapshotOfAnotherStoreIsRejected) {
  std::unique_ptr<KvStore> a = NewMemoryStore();
  std::unique_ptr<KvStore> b = NewMemoryStore();
  std::unique_ptr<Snapshot> snapshot = a->GetSnapshot();
  ReadOptions options;
  options.snapshot = snapshot.get();
  EXPECT_EQ(b->Get(ColumnFamily::kEnterprises, "k", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  IteratorOptions iter_options;
  iter_options.snapshot = snapshot.get();
  std::unique_ptr<Iterator> it = b->NewIterator(ColumnFamily::kEnterprises, iter_options);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_EQ(it->status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::storage
