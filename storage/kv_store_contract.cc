#include "storage/kv_store_contract.h"

#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/column_family.h"

namespace regulation::storage {

std::string KvStoreFactoryName(const testing::TestParamInfo<KvStoreFactory>& info) {
  return info.param.name;
}

void KvStoreContractTest::SetUp() {
  absl::StatusOr<std::unique_ptr<KvStore>> store = GetParam().open_fresh();
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

void KvStoreContractTest::Reopen() {
  ASSERT_TRUE(GetParam().reopen != nullptr);
  store_.reset();
  absl::StatusOr<std::unique_ptr<KvStore>> store = GetParam().reopen();
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

namespace {

using KV = std::pair<std::string, std::string>;

constexpr ColumnFamily kCf = ColumnFamily::kEnterprises;
constexpr ColumnFamily kOtherCf = ColumnFamily::kEnterprisesByRegion;

absl::Status Put(KvStore& store, ColumnFamily cf, absl::string_view key, absl::string_view value) {
  WriteBatch batch;
  batch.Put(cf, key, value);
  return store.Write(batch);
}

absl::Status Delete(KvStore& store, ColumnFamily cf, absl::string_view key) {
  WriteBatch batch;
  batch.Delete(cf, key);
  return store.Write(batch);
}

// Everything from the iterator's current position on.
std::vector<KV> Drain(Iterator& it) {
  std::vector<KV> out;
  for (; it.Valid(); it.Next()) out.emplace_back(it.key(), it.value());
  EXPECT_TRUE(it.status().ok()) << it.status();
  return out;
}

std::vector<KV> ScanAll(KvStore& store, ColumnFamily cf, const IteratorOptions& options = {}) {
  std::unique_ptr<Iterator> it = store.NewIterator(cf, options);
  it->SeekToFirst();
  return Drain(*it);
}

std::vector<std::string> Keys(const std::vector<KV>& kvs) {
  std::vector<std::string> keys;
  for (const KV& kv : kvs) keys.push_back(kv.first);
  return keys;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

TEST_P(KvStoreContractTest, GetMissingKeyReturnsNotFound) {
  absl::StatusOr<std::string> value = store().Get(kCf, "absent");
  EXPECT_EQ(value.status().code(), absl::StatusCode::kNotFound) << value.status();
}

TEST_P(KvStoreContractTest, PutThenGetReturnsValue) {
  ASSERT_TRUE(Put(store(), kCf, "key", "value").ok());
  absl::StatusOr<std::string> value = store().Get(kCf, "key");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "value");
}

TEST_P(KvStoreContractTest, EmptyValueIsStoredAndDistinctFromAbsent) {
  ASSERT_TRUE(Put(store(), kCf, "key", "").ok());
  absl::StatusOr<std::string> value = store().Get(kCf, "key");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "");
}

TEST_P(KvStoreContractTest, PutOverwritesValue) {
  ASSERT_TRUE(Put(store(), kCf, "key", "first").ok());
  ASSERT_TRUE(Put(store(), kCf, "key", "second").ok());
  absl::StatusOr<std::string> value = store().Get(kCf, "key");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "second");
}

TEST_P(KvStoreContractTest, DeleteRemovesKey) {
  ASSERT_TRUE(Put(store(), kCf, "key", "value").ok());
  ASSERT_TRUE(Delete(store(), kCf, "key").ok());
  EXPECT_EQ(store().Get(kCf, "key").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(ScanAll(store(), kCf).empty());
}

TEST_P(KvStoreContractTest, DeleteMissingKeyIsOk) {
  EXPECT_TRUE(Delete(store(), kCf, "absent").ok());
  EXPECT_EQ(store().Get(kCf, "absent").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(KvStoreContractTest, BatchWritesEveryColumnFamily) {
  WriteBatch batch;
  for (ColumnFamily cf : kAllColumnFamilies) {
    batch.Put(cf, "key", absl::StrCat("value in ", ColumnFamilyName(cf)));
    batch.Put(cf, std::string(ColumnFamilyName(cf)), "own");
  }
  ASSERT_TRUE(store().Write(batch).ok());
  for (ColumnFamily cf : kAllColumnFamilies) {
    absl::StatusOr<std::string> value = store().Get(cf, "key");
    ASSERT_TRUE(value.ok()) << ColumnFamilyName(cf) << ": " << value.status();
    EXPECT_EQ(*value, absl::StrCat("value in ", ColumnFamilyName(cf)));
    EXPECT_TRUE(store().Get(cf, ColumnFamilyName(cf)).ok());
  }
}

TEST_P(KvStoreContractTest, ConcurrentReadersSeeWholeBatchesOnly) {
  // A writer puts key i into every column family in one batch; readers check through
  // snapshots that the families always agree.
  constexpr int kBatches = 200;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    do {
      std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
      std::vector<size_t> counts;
      for (ColumnFamily cf : kAllColumnFamilies) {
        IteratorOptions iter_options;
        iter_options.snapshot = snapshot.get();
        counts.push_back(ScanAll(store(), cf, iter_options).size());
      }
      for (size_t c : counts) {
        if (c != counts[0]) torn.fetch_add(1);
      }
      reads.fetch_add(1);
    } while (!done.load());
  });
  while (reads.load() == 0) std::this_thread::yield();  // Overlap with the reader.
  for (int i = 0; i < kBatches; ++i) {
    WriteBatch batch;
    for (ColumnFamily cf : kAllColumnFamilies) {
      batch.Put(cf, absl::StrCat("key", 1000 + i), "v");
    }
    const absl::Status status = store().Write(batch);
    if (!status.ok()) {
      ADD_FAILURE() << status;  // Not ASSERT: the reader must still be joined.
      break;
    }
  }
  done.store(true);
  reader.join();
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
  for (ColumnFamily cf : kAllColumnFamilies) {
    EXPECT_EQ(ScanAll(store(), cf).size(), static_cast<size_t>(kBatches));
  }
}

TEST_P(KvStoreContractTest, LaterOpInBatchWins) {
  WriteBatch batch;
  batch.Put(kCf, "put_then_delete", "v");
  batch.Delete(kCf, "put_then_delete");
  batch.Delete(kCf, "delete_then_put");
  batch.Put(kCf, "delete_then_put", "v");
  batch.Put(kCf, "put_twice", "first");
  batch.Put(kCf, "put_twice", "second");
  ASSERT_TRUE(store().Write(batch).ok());

  EXPECT_EQ(store().Get(kCf, "put_then_delete").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::string> value = store().Get(kCf, "delete_then_put");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "v");
  value = store().Get(kCf, "put_twice");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "second");
}

TEST_P(KvStoreContractTest, EmptyBatchIsOk) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(store().Write(batch).ok());
  WriteOptions sync;
  sync.sync = true;
  EXPECT_TRUE(store().Write(batch, sync).ok());
  EXPECT_TRUE(ScanAll(store(), kCf).empty());
}

TEST_P(KvStoreContractTest, SyncWriteIsVisible) {
  WriteBatch batch;
  batch.Put(kCf, "key", "value");
  WriteOptions sync;
  sync.sync = true;
  ASSERT_TRUE(store().Write(batch, sync).ok());
  EXPECT_TRUE(store().Get(kCf, "key").ok());
}

TEST_P(KvStoreContractTest, ColumnFamiliesAreIsolated) {
  ASSERT_TRUE(Put(store(), kCf, "key", "one").ok());
  ASSERT_TRUE(Put(store(), kOtherCf, "key", "two").ok());
  EXPECT_EQ(*store().Get(kCf, "key"), "one");
  EXPECT_EQ(*store().Get(kOtherCf, "key"), "two");
  EXPECT_EQ(store().Get(ColumnFamily::kIdempotency, "key").status().code(),
            absl::StatusCode::kNotFound);

  ASSERT_TRUE(Delete(store(), kCf, "key").ok());
  EXPECT_EQ(store().Get(kCf, "key").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store().Get(kOtherCf, "key"), "two");
  EXPECT_EQ(ScanAll(store(), kOtherCf), (std::vector<KV>{{"key", "two"}}));
}

TEST_P(KvStoreContractTest, MultiGetReturnsValuesInOrder) {
  ASSERT_TRUE(Put(store(), kCf, "b", "vb").ok());
  ASSERT_TRUE(Put(store(), kCf, "d", "vd").ok());
  ASSERT_TRUE(Put(store(), kOtherCf, "c", "other").ok());
  const std::vector<std::string> keys = {"d", "a", "b", "c", "b"};
  std::vector<absl::StatusOr<std::string>> values = store().MultiGet(kCf, keys);
  ASSERT_EQ(values.size(), keys.size());
  ASSERT_TRUE(values[0].ok()) << values[0].status();
  EXPECT_EQ(*values[0], "vd");
  EXPECT_EQ(values[1].status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(values[2].ok()) << values[2].status();
  EXPECT_EQ(*values[2], "vb");
  EXPECT_EQ(values[3].status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(values[4].ok()) << values[4].status();
  EXPECT_EQ(*values[4], "vb");
}

TEST_P(KvStoreContractTest, MultiGetOfNoKeysIsEmpty) {
  EXPECT_TRUE(store().MultiGet(kCf, {}).empty());
}

TEST_P(KvStoreContractTest, IterationOrderIsBytewiseUnsigned) {
  const std::vector<std::string> sorted = {
      "",
      Bytes({0x00}),
      Bytes({0x00, 0x00}),
      Bytes({0x00, 0x01}),
      Bytes({0x01}),
      "a",
      Bytes({'a', 0x00}),
      "ab",
      Bytes({0x7f}),
      Bytes({0x80}),
      Bytes({0x80, 0x00}),
      Bytes({0xfe, 0xff}),
      Bytes({0xff}),
      Bytes({0xff, 0x00}),
      Bytes({0xff, 0xff}),
  };
  // Write in reverse, one batch each, so that no backend gets them pre-sorted.
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
    ASSERT_TRUE(Put(store(), kCf, *it, "v").ok());
  }
  EXPECT_EQ(Keys(ScanAll(store(), kCf)), sorted);
}

TEST_P(KvStoreContractTest, IteratorStartsUnpositionedAndEndsWithOkStatus) {
  ASSERT_TRUE(Put(store(), kCf, "a", "1").ok());
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "a");
  EXPECT_EQ(it->value(), "1");
  it->Next();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok()) << it->status();
}

TEST_P(KvStoreContractTest, IteratorOverEmptyColumnFamilyIsNotValid) {
  ASSERT_TRUE(Put(store(), kOtherCf, "a", "1").ok());
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok()) << it->status();
}

TEST_P(KvStoreContractTest, SeekPositionsAtFirstKeyAtOrAfterTarget) {
  for (const char* key : {"b", "d", "f"}) ASSERT_TRUE(Put(store(), kCf, key, key).ok());
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  it->Seek("d");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "d");
  it->Seek("c");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "d");
  EXPECT_EQ(Keys(Drain(*it)), (std::vector<std::string>{"d", "f"}));
  it->Seek("a");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "b");
  it->Seek("g");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
  // Seeking again after running off the end works.
  it->Seek("");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "b");
}

TEST_P(KvStoreContractTest, BoundsLimitIteration) {
  for (const char* key : {"a", "b", "c", "d", "e"}) {
    ASSERT_TRUE(Put(store(), kCf, key, key).ok());
  }
  IteratorOptions options;
  options.lower_bound = "b";
  options.upper_bound = "d";
  EXPECT_EQ(Keys(ScanAll(store(), kCf, options)), (std::vector<std::string>{"b", "c"}));

  std::unique_ptr<Iterator> it = store().NewIterator(kCf, options);
  it->Seek("a");  // Below the lower bound: lands on the lower bound.
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "b");
  it->Seek("bb");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "c");
  it->Seek("d");  // At the (exclusive) upper bound.
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());

  IteratorOptions lower_only;
  lower_only.lower_bound = "cc";
  EXPECT_EQ(Keys(ScanAll(store(), kCf, lower_only)), (std::vector<std::string>{"d", "e"}));
  IteratorOptions upper_only;
  upper_only.upper_bound = "b";
  EXPECT_EQ(Keys(ScanAll(store(), kCf, upper_only)), (std::vector<std::string>{"a"}));
  IteratorOptions empty_range;
  empty_range.lower_bound = "c";
  empty_range.upper_bound = "c";
  EXPECT_TRUE(ScanAll(store(), kCf, empty_range).empty());
}

TEST_P(KvStoreContractTest, PrefixBoundsCoverExactlyThePrefix) {
  for (const std::string& key :
       {std::string("ab"), std::string("abc"), Bytes({'a', 'b', 0x00}), Bytes({'a', 'b', 0xff}),
        std::string("ac"), std::string("a"), std::string("b")}) {
    ASSERT_TRUE(Put(store(), kCf, key, "v").ok());
  }
  EXPECT_EQ(
      Keys(ScanAll(store(), kCf, PrefixBounds("ab"))),
      (std::vector<std::string>{"ab", Bytes({'a', 'b', 0x00}), "abc", Bytes({'a', 'b', 0xff})}));
  EXPECT_EQ(ScanAll(store(), kCf, PrefixBounds("")).size(), 7u);
  EXPECT_TRUE(ScanAll(store(), kCf, PrefixBounds("zz")).empty());
}

TEST_P(KvStoreContractTest, PrefixBoundsWithTrailing0xFF) {
  const std::string prefix = Bytes({'a', 0xff});
  for (const std::string& key : {Bytes({'a', 0xfe}), Bytes({'a', 0xff}), Bytes({'a', 0xff, 0x00}),
                                 Bytes({'a', 0xff, 0xff, 0xff}), Bytes({'b'}), Bytes({'a'})}) {
    ASSERT_TRUE(Put(store(), kCf, key, "v").ok());
  }
  EXPECT_EQ(Keys(ScanAll(store(), kCf, PrefixBounds(prefix))),
            (std::vector<std::string>{Bytes({'a', 0xff}), Bytes({'a', 0xff, 0x00}),
                                      Bytes({'a', 0xff, 0xff, 0xff})}));

  // A prefix of only 0xFF bytes has no upper bound: everything from it on.
  ASSERT_TRUE(Put(store(), kCf, Bytes({0xff, 0xff}), "v").ok());
  ASSERT_TRUE(Put(store(), kCf, Bytes({0xff, 0xff, 0x01}), "v").ok());
  EXPECT_EQ(Keys(ScanAll(store(), kCf, PrefixBounds(Bytes({0xff, 0xff})))),
            (std::vector<std::string>{Bytes({0xff, 0xff}), Bytes({0xff, 0xff, 0x01})}));
}

TEST_P(KvStoreContractTest, SnapshotIsolatesGet) {
  ASSERT_TRUE(Put(store(), kCf, "changed", "old").ok());
  ASSERT_TRUE(Put(store(), kCf, "deleted", "old").ok());
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  ASSERT_TRUE(Put(store(), kCf, "changed", "new").ok());
  ASSERT_TRUE(Delete(store(), kCf, "deleted").ok());
  ASSERT_TRUE(Put(store(), kCf, "added", "new").ok());

  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(*store().Get(kCf, "changed", at_snapshot), "old");
  EXPECT_EQ(*store().Get(kCf, "deleted", at_snapshot), "old");
  EXPECT_EQ(store().Get(kCf, "added", at_snapshot).status().code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(*store().Get(kCf, "changed"), "new");
  EXPECT_EQ(store().Get(kCf, "deleted").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store().Get(kCf, "added"), "new");
}

TEST_P(KvStoreContractTest, SnapshotIsolatesMultiGet) {
  ASSERT_TRUE(Put(store(), kCf, "a", "old").ok());
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  ASSERT_TRUE(Put(store(), kCf, "a", "new").ok());
  ASSERT_TRUE(Put(store(), kCf, "b", "new").ok());

  const std::vector<std::string> keys = {"a", "b"};
  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  std::vector<absl::StatusOr<std::string>> old_values = store().MultiGet(kCf, keys, at_snapshot);
  ASSERT_EQ(old_values.size(), 2u);
  ASSERT_TRUE(old_values[0].ok()) << old_values[0].status();
  EXPECT_EQ(*old_values[0], "old");
  EXPECT_EQ(old_values[1].status().code(), absl::StatusCode::kNotFound);

  std::vector<absl::StatusOr<std::string>> new_values = store().MultiGet(kCf, keys);
  ASSERT_EQ(new_values.size(), 2u);
  ASSERT_TRUE(new_values[0].ok() && new_values[1].ok());
  EXPECT_EQ(*new_values[0], "new");
  EXPECT_EQ(*new_values[1], "new");
}

TEST_P(KvStoreContractTest, SnapshotIsolatesIterators) {
  ASSERT_TRUE(Put(store(), kCf, "a", "old").ok());
  ASSERT_TRUE(Put(store(), kCf, "b", "old").ok());
  ASSERT_TRUE(Put(store(), kOtherCf, "x", "old").ok());
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  ASSERT_TRUE(Put(store(), kCf, "a", "new").ok());
  ASSERT_TRUE(Delete(store(), kCf, "b").ok());
  ASSERT_TRUE(Put(store(), kCf, "c", "new").ok());
  ASSERT_TRUE(Put(store(), kOtherCf, "y", "new").ok());

  IteratorOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(ScanAll(store(), kCf, at_snapshot), (std::vector<KV>{{"a", "old"}, {"b", "old"}}));
  EXPECT_EQ(ScanAll(store(), kOtherCf, at_snapshot), (std::vector<KV>{{"x", "old"}}));
  EXPECT_EQ(ScanAll(store(), kCf, PrefixBounds("b", snapshot.get())),
            (std::vector<KV>{{"b", "old"}}));

  EXPECT_EQ(ScanAll(store(), kCf), (std::vector<KV>{{"a", "new"}, {"c", "new"}}));
  EXPECT_EQ(ScanAll(store(), kOtherCf), (std::vector<KV>{{"x", "old"}, {"y", "new"}}));
}

TEST_P(KvStoreContractTest, IteratorWithoutSnapshotDoesNotSeeLaterWrites) {
  ASSERT_TRUE(Put(store(), kCf, "a", "old").ok());
  ASSERT_TRUE(Put(store(), kCf, "b", "old").ok());
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  ASSERT_TRUE(Put(store(), kCf, "a", "new").ok());
  ASSERT_TRUE(Delete(store(), kCf, "b").ok());
  ASSERT_TRUE(Put(store(), kCf, "c", "new").ok());
  it->SeekToFirst();
  EXPECT_EQ(Drain(*it), (std::vector<KV>{{"a", "old"}, {"b", "old"}}));
}

TEST_P(KvStoreContractTest, SnapshotOutlivesManyWrites) {
  ASSERT_TRUE(Put(store(), kCf, "k", "v0").ok());
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  for (int i = 1; i <= 50; ++i) {
    ASSERT_TRUE(Put(store(), kCf, "k", absl::StrCat("v", i)).ok());
    ASSERT_TRUE(Put(store(), kCf, absl::StrCat("k", i), "x").ok());
  }
  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(*store().Get(kCf, "k", at_snapshot), "v0");
  EXPECT_EQ(*store().Get(kCf, "k"), "v50");
  snapshot.reset();
  ASSERT_TRUE(Put(store(), kCf, "k", "after").ok());
  EXPECT_EQ(*store().Get(kCf, "k"), "after");
}

TEST_P(KvStoreContractTest, LargeValueRoundTrips) {
  std::string large(1 << 20, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 + 7);
  ASSERT_TRUE(Put(store(), kCf, "large", large).ok());
  absl::StatusOr<std::string> value = store().Get(kCf, "large");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_TRUE(*value == large);
  std::vector<absl::StatusOr<std::string>> values = store().MultiGet(kCf, {"large"});
  ASSERT_EQ(values.size(), 1u);
  ASSERT_TRUE(values[0].ok()) << values[0].status();
  EXPECT_TRUE(*values[0] == large);
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_TRUE(it->value() == large);
}

TEST_P(KvStoreContractTest, BinaryKeysAndValuesRoundTrip) {
  std::vector<std::string> keys;
  for (int b = 0; b < 256; ++b) keys.push_back(Bytes({b, 0x00, 255 - b}));
  WriteBatch batch;
  for (const std::string& key : keys) batch.Put(kCf, key, key + Bytes({0x00, 0xff}));
  ASSERT_TRUE(store().Write(batch).ok());
  for (const std::string& key : keys) {
    absl::StatusOr<std::string> value = store().Get(kCf, key);
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_EQ(*value, key + Bytes({0x00, 0xff}));
  }
  // `keys` is already in unsigned order (first byte ascending).
  EXPECT_EQ(Keys(ScanAll(store(), kCf)), keys);
}

TEST_P(KvStoreContractTest, UnknownColumnFamilyIsInvalidArgument) {
  const auto bogus = static_cast<ColumnFamily>(200);
  EXPECT_EQ(store().Get(bogus, "k").status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<absl::StatusOr<std::string>> values = store().MultiGet(bogus, {"k"});
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].status().code(), absl::StatusCode::kInvalidArgument);
  std::unique_ptr<Iterator> it = store().NewIterator(bogus);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_EQ(it->status().code(), absl::StatusCode::kInvalidArgument);

  WriteBatch batch;
  batch.Put(kCf, "good", "v");
  batch.Put(bogus, "bad", "v");
  EXPECT_EQ(store().Write(batch).code(), absl::StatusCode::kInvalidArgument);
  // Nothing of a rejected batch is applied.
  EXPECT_EQ(store().Get(kCf, "good").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(KvStoreContractTest, DataPersistsAcrossReopen) {
  if (GetParam().reopen == nullptr) {
    GTEST_SKIP() << GetParam().name << " does not persist";
  }
  WriteBatch batch;
  for (ColumnFamily cf : kAllColumnFamilies) {
    batch.Put(cf, "key", ColumnFamilyName(cf));
  }
  batch.Put(kCf, "deleted", "v");
  ASSERT_TRUE(store().Write(batch).ok());
  ASSERT_TRUE(Delete(store(), kCf, "deleted").ok());

  Reopen();
  for (ColumnFamily cf : kAllColumnFamilies) {
    absl::StatusOr<std::string> value = store().Get(cf, "key");
    ASSERT_TRUE(value.ok()) << ColumnFamilyName(cf) << ": " << value.status();
    EXPECT_EQ(*value, ColumnFamilyName(cf));
  }
  EXPECT_EQ(store().Get(kCf, "deleted").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(KvStoreContractTest, UnsyncedWritesAreVisibleAndSyncWalKeepsThem) {
  WriteBatch batch;
  batch.Put(kCf, "unsynced", "v1");
  ASSERT_TRUE(store().Write(batch, WriteOptions{}).ok());
  EXPECT_EQ(*store().Get(kCf, "unsynced"), "v1");
  ASSERT_TRUE(store().SyncWal().ok());
  ASSERT_TRUE(store().SyncWal().ok());  // nothing new: still fine
  if (GetParam().reopen == nullptr) return;
  Reopen();
  EXPECT_EQ(*store().Get(kCf, "unsynced"), "v1");
}

TEST_P(KvStoreContractTest, SortedRunIsWrittenWholeDurablyAndUnseenByOlderSnapshots) {
  ASSERT_TRUE(Put(store(), kCf, "k050", "old").ok());
  std::unique_ptr<Snapshot> before = store().GetSnapshot();
  SortedRun run;
  for (int i = 0; i < 100; ++i) run.Add(absl::StrCat("k", 100 + i), absl::StrCat("v", i));
  run.Add("k300", "");  // an empty value is a value
  ASSERT_TRUE(store().WriteSortedRun(kCf, run).ok());
  EXPECT_EQ(*store().Get(kCf, "k150"), "v50");
  EXPECT_EQ(*store().Get(kCf, "k300"), "");
  EXPECT_EQ(*store().Get(kCf, "k050"), "old");
  ReadOptions old_view;
  old_view.snapshot = before.get();
  EXPECT_EQ(store().Get(kCf, "k150", old_view).status().code(), absl::StatusCode::kNotFound);
  before.reset();

  // Keys out of order: refused, nothing written.
  SortedRun unsorted;
  unsorted.Add("k400", "a");
  unsorted.Add("k500", "b");
  unsorted.Add("k450", "c");
  const absl::Status refused = store().WriteSortedRun(kCf, unsorted);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
  EXPECT_EQ(store().Get(kCf, "k400").status().code(), absl::StatusCode::kNotFound);

  // A second run over the same keys replaces their values.
  SortedRun again;
  again.Add("k150", "new");
  ASSERT_TRUE(store().WriteSortedRun(kCf, again).ok());
  EXPECT_EQ(*store().Get(kCf, "k150"), "new");
  if (GetParam().reopen == nullptr) return;
  Reopen();
  EXPECT_EQ(*store().Get(kCf, "k150"), "new");
  EXPECT_EQ(*store().Get(kCf, "k199"), "v99");
}

// The estimate behind ScoreAll's progress totals: close to the keys written, per column
// family (RocksDB's counts puts not yet compacted, so only "close" is promised).
TEST_P(KvStoreContractTest, EstimateKeyCountIsCloseToTheKeysOfThatColumnFamily) {
  WriteBatch batch;
  for (int i = 0; i < 200; ++i) batch.Put(kCf, absl::StrCat("key", 1000 + i), "v");
  ASSERT_TRUE(store().Write(batch).ok());
  absl::StatusOr<int64_t> written = store().EstimateKeyCount(kCf);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_GE(*written, 100);
  EXPECT_LE(*written, 400);
  const ColumnFamily other = kCf == ColumnFamily::kScores ? ColumnFamily::kEvents
                                                          : ColumnFamily::kScores;
  EXPECT_EQ(store().EstimateKeyCount(other).value(), 0);
}

}  // namespace
}  // namespace regulation::storage
