#include "storage/memory_store.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/kv_store_contract.h"
#include "testing/status_matchers.h"

namespace regulation::storage {
namespace {

using ::regulation::testing::StatusIs;

INSTANTIATE_TEST_SUITE_P(Memory, KvStoreContractTest,
                         ::testing::Values(KvStoreFactory{"Memory", [] { return NewMemoryStore(); },
                                                          nullptr}),
                         KvStoreFactoryName);

TEST(MemoryStoreTest, SnapshotAndIteratorMayOutliveTheStore) {
  std::unique_ptr<KvStore> store = NewMemoryStore();
  WriteBatch batch;
  batch.Put(ColumnFamily::kEnterprises, "k", "v");
  ASSERT_OK(store->Write(batch));
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
  EXPECT_THAT(b->Get(ColumnFamily::kEnterprises, "k", options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  IteratorOptions iter_options;
  iter_options.snapshot = snapshot.get();
  std::unique_ptr<Iterator> it = b->NewIterator(ColumnFamily::kEnterprises, iter_options);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_THAT(it->status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::storage
