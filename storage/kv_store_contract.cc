#include "storage/kv_store_contract.h"

#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/column_family.h"
#include "testing/status_matchers.h"

namespace regulation::storage {

std::string KvStoreFactoryName(const ::testing::TestParamInfo<KvStoreFactory>& info) {
  return info.param.name;
}

void KvStoreContractTest::SetUp() {
  absl::StatusOr<std::unique_ptr<KvStore>> store = GetParam().open_fresh();
  ASSERT_OK(store);
  store_ = *std::move(store);
}

void KvStoreContractTest::Reopen() {
  ASSERT_TRUE(GetParam().reopen != nullptr);
  store_.reset();
  absl::StatusOr<std::unique_ptr<KvStore>> store = GetParam().reopen();
  ASSERT_OK(store);
  store_ = *std::move(store);
}

namespace {

using KV = std::pair<std::string, std::string>;
using ::regulation::testing::StatusIs;

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
  EXPECT_OK(it.status());
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
  EXPECT_THAT(value, StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(KvStoreContractTest, PutThenGetReturnsValue) {
  ASSERT_OK(Put(store(), kCf, "key", "value"));
  absl::StatusOr<std::string> value = store().Get(kCf, "key");
  ASSERT_OK(value);
  EXPECT_EQ(*value, "value");
}

TEST_P(KvStoreContractTest, EmptyValueIsStoredAndDistinctFromAbsent) {
  ASSERT_OK(Put(store(), kCf, "key", ""));
  absl::StatusOr<std::string> value = store().Get(kCf, "key");
  ASSERT_OK(value);
  EXPECT_EQ(*value, "");
}

TEST_P(KvStoreContractTest, PutOverwritesValue) {
  ASSERT_OK(Put(store(), kCf, "key", "first"));
  ASSERT_OK(Put(store(), kCf, "key", "second"));
  absl::StatusOr<std::string> value = store().Get(kCf, "key");
  ASSERT_OK(value);
  EXPECT_EQ(*value, "second");
}

TEST_P(KvStoreContractTest, DeleteRemovesKey) {
  ASSERT_OK(Put(store(), kCf, "key", "value"));
  ASSERT_OK(Delete(store(), kCf, "key"));
  EXPECT_THAT(store().Get(kCf, "key"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_TRUE(ScanAll(store(), kCf).empty());
}

TEST_P(KvStoreContractTest, DeleteMissingKeyIsOk) {
  EXPECT_OK(Delete(store(), kCf, "absent"));
  EXPECT_THAT(store().Get(kCf, "absent"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(KvStoreContractTest, BatchWritesEveryColumnFamily) {
  WriteBatch batch;
  for (ColumnFamily cf : kAllColumnFamilies) {
    batch.Put(cf, "key", absl::StrCat("value in ", ColumnFamilyName(cf)));
    batch.Put(cf, std::string(ColumnFamilyName(cf)), "own");
  }
  ASSERT_OK(store().Write(batch));
  for (ColumnFamily cf : kAllColumnFamilies) {
    absl::StatusOr<std::string> value = store().Get(cf, "key");
    ASSERT_OK(value) << ColumnFamilyName(cf) << ": " << value.status();
    EXPECT_EQ(*value, absl::StrCat("value in ", ColumnFamilyName(cf)));
    EXPECT_OK(store().Get(cf, ColumnFamilyName(cf)));
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
  ASSERT_OK(store().Write(batch));

  EXPECT_THAT(store().Get(kCf, "put_then_delete"), StatusIs(absl::StatusCode::kNotFound));
  absl::StatusOr<std::string> value = store().Get(kCf, "delete_then_put");
  ASSERT_OK(value);
  EXPECT_EQ(*value, "v");
  value = store().Get(kCf, "put_twice");
  ASSERT_OK(value);
  EXPECT_EQ(*value, "second");
}

// A large batch, as a group commit writes: keys out of order, in two families, with
// several operations on the same key far apart. The store may reorder operations on
// different keys (RocksDB inserts them in key order), never those on one key.
TEST_P(KvStoreContractTest, LaterOpInALargeBatchWinsWhateverTheKeyOrder) {
  constexpr int kKeys = 300;
  WriteBatch batch;
  std::map<std::pair<ColumnFamily, std::string>, std::string> expected;
  auto put = [&](ColumnFamily cf, const std::string& key, const std::string& value) {
    batch.Put(cf, key, value);
    expected[{cf, key}] = value;
  };
  auto erase = [&](ColumnFamily cf, const std::string& key) {
    batch.Delete(cf, key);
    expected.erase({cf, key});
  };
  auto key = [](int i) { return absl::StrCat("key", (i * 7919) % kKeys); };  // a permutation
  for (int round = 0; round < 3; ++round) {
    for (int i = kKeys - 1; i >= 0; --i) {
      const ColumnFamily cf = i % 2 == 0 ? kCf : kOtherCf;
      if ((i + round) % 3 == 0) {
        erase(cf, key(i));
      } else {
        put(cf, key(i), absl::StrCat("round ", round, " of ", i));
      }
    }
  }
  ASSERT_GT(batch.count(), 64u);
  ASSERT_OK(store().Write(batch));

  for (ColumnFamily cf : {kCf, kOtherCf}) {
    std::vector<KV> want;
    for (const auto& [cf_and_key, value] : expected) {
      if (cf_and_key.first == cf) want.emplace_back(cf_and_key.second, value);
    }
    EXPECT_EQ(ScanAll(store(), cf), want) << ColumnFamilyName(cf);
  }
}

TEST_P(KvStoreContractTest, EmptyBatchIsOk) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  EXPECT_OK(store().Write(batch));
  WriteOptions sync;
  sync.sync = true;
  EXPECT_OK(store().Write(batch, sync));
  EXPECT_TRUE(ScanAll(store(), kCf).empty());
}

TEST_P(KvStoreContractTest, SyncWriteIsVisible) {
  WriteBatch batch;
  batch.Put(kCf, "key", "value");
  WriteOptions sync;
  sync.sync = true;
  ASSERT_OK(store().Write(batch, sync));
  EXPECT_OK(store().Get(kCf, "key"));
}

TEST_P(KvStoreContractTest, ColumnFamiliesAreIsolated) {
  ASSERT_OK(Put(store(), kCf, "key", "one"));
  ASSERT_OK(Put(store(), kOtherCf, "key", "two"));
  EXPECT_EQ(*store().Get(kCf, "key"), "one");
  EXPECT_EQ(*store().Get(kOtherCf, "key"), "two");
  EXPECT_THAT(store().Get(ColumnFamily::kIdempotency, "key"),
              StatusIs(absl::StatusCode::kNotFound));

  ASSERT_OK(Delete(store(), kCf, "key"));
  EXPECT_THAT(store().Get(kCf, "key"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(*store().Get(kOtherCf, "key"), "two");
  EXPECT_EQ(ScanAll(store(), kOtherCf), (std::vector<KV>{{"key", "two"}}));
}

TEST_P(KvStoreContractTest, MultiGetReturnsValuesInOrder) {
  ASSERT_OK(Put(store(), kCf, "b", "vb"));
  ASSERT_OK(Put(store(), kCf, "d", "vd"));
  ASSERT_OK(Put(store(), kOtherCf, "c", "other"));
  const std::vector<std::string> keys = {"d", "a", "b", "c", "b"};
  std::vector<absl::StatusOr<std::string>> values = store().MultiGet(kCf, keys);
  ASSERT_EQ(values.size(), keys.size());
  ASSERT_OK(values[0]);
  EXPECT_EQ(*values[0], "vd");
  EXPECT_THAT(values[1], StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(values[2]);
  EXPECT_EQ(*values[2], "vb");
  EXPECT_THAT(values[3], StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(values[4]);
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
    ASSERT_OK(Put(store(), kCf, *it, "v"));
  }
  EXPECT_EQ(Keys(ScanAll(store(), kCf)), sorted);
}

TEST_P(KvStoreContractTest, IteratorStartsUnpositionedAndEndsWithOkStatus) {
  ASSERT_OK(Put(store(), kCf, "a", "1"));
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "a");
  EXPECT_EQ(it->value(), "1");
  it->Next();
  EXPECT_FALSE(it->Valid());
  EXPECT_OK(it->status());
}

TEST_P(KvStoreContractTest, IteratorOverEmptyColumnFamilyIsNotValid) {
  ASSERT_OK(Put(store(), kOtherCf, "a", "1"));
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_OK(it->status());
}

TEST_P(KvStoreContractTest, SeekPositionsAtFirstKeyAtOrAfterTarget) {
  for (const char* key : {"b", "d", "f"}) ASSERT_OK(Put(store(), kCf, key, key));
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
  EXPECT_OK(it->status());
  // Seeking again after running off the end works.
  it->Seek("");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "b");
}

TEST_P(KvStoreContractTest, BoundsLimitIteration) {
  for (const char* key : {"a", "b", "c", "d", "e"}) {
    ASSERT_OK(Put(store(), kCf, key, key));
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
  EXPECT_OK(it->status());

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
    ASSERT_OK(Put(store(), kCf, key, "v"));
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
    ASSERT_OK(Put(store(), kCf, key, "v"));
  }
  EXPECT_EQ(Keys(ScanAll(store(), kCf, PrefixBounds(prefix))),
            (std::vector<std::string>{Bytes({'a', 0xff}), Bytes({'a', 0xff, 0x00}),
                                      Bytes({'a', 0xff, 0xff, 0xff})}));

  // A prefix of only 0xFF bytes has no upper bound: everything from it on.
  ASSERT_OK(Put(store(), kCf, Bytes({0xff, 0xff}), "v"));
  ASSERT_OK(Put(store(), kCf, Bytes({0xff, 0xff, 0x01}), "v"));
  EXPECT_EQ(Keys(ScanAll(store(), kCf, PrefixBounds(Bytes({0xff, 0xff})))),
            (std::vector<std::string>{Bytes({0xff, 0xff}), Bytes({0xff, 0xff, 0x01})}));
}

TEST_P(KvStoreContractTest, SnapshotIsolatesGet) {
  ASSERT_OK(Put(store(), kCf, "changed", "old"));
  ASSERT_OK(Put(store(), kCf, "deleted", "old"));
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  ASSERT_OK(Put(store(), kCf, "changed", "new"));
  ASSERT_OK(Delete(store(), kCf, "deleted"));
  ASSERT_OK(Put(store(), kCf, "added", "new"));

  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(*store().Get(kCf, "changed", at_snapshot), "old");
  EXPECT_EQ(*store().Get(kCf, "deleted", at_snapshot), "old");
  EXPECT_THAT(store().Get(kCf, "added", at_snapshot), StatusIs(absl::StatusCode::kNotFound));

  EXPECT_EQ(*store().Get(kCf, "changed"), "new");
  EXPECT_THAT(store().Get(kCf, "deleted"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(*store().Get(kCf, "added"), "new");
}

TEST_P(KvStoreContractTest, SnapshotIsolatesMultiGet) {
  ASSERT_OK(Put(store(), kCf, "a", "old"));
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  ASSERT_OK(Put(store(), kCf, "a", "new"));
  ASSERT_OK(Put(store(), kCf, "b", "new"));

  const std::vector<std::string> keys = {"a", "b"};
  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  std::vector<absl::StatusOr<std::string>> old_values = store().MultiGet(kCf, keys, at_snapshot);
  ASSERT_EQ(old_values.size(), 2u);
  ASSERT_OK(old_values[0]);
  EXPECT_EQ(*old_values[0], "old");
  EXPECT_THAT(old_values[1], StatusIs(absl::StatusCode::kNotFound));

  std::vector<absl::StatusOr<std::string>> new_values = store().MultiGet(kCf, keys);
  ASSERT_EQ(new_values.size(), 2u);
  ASSERT_OK(new_values[0]);
  ASSERT_OK(new_values[1]);
  EXPECT_EQ(*new_values[0], "new");
  EXPECT_EQ(*new_values[1], "new");
}

TEST_P(KvStoreContractTest, SnapshotIsolatesIterators) {
  ASSERT_OK(Put(store(), kCf, "a", "old"));
  ASSERT_OK(Put(store(), kCf, "b", "old"));
  ASSERT_OK(Put(store(), kOtherCf, "x", "old"));
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  ASSERT_OK(Put(store(), kCf, "a", "new"));
  ASSERT_OK(Delete(store(), kCf, "b"));
  ASSERT_OK(Put(store(), kCf, "c", "new"));
  ASSERT_OK(Put(store(), kOtherCf, "y", "new"));

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
  ASSERT_OK(Put(store(), kCf, "a", "old"));
  ASSERT_OK(Put(store(), kCf, "b", "old"));
  std::unique_ptr<Iterator> it = store().NewIterator(kCf);
  ASSERT_OK(Put(store(), kCf, "a", "new"));
  ASSERT_OK(Delete(store(), kCf, "b"));
  ASSERT_OK(Put(store(), kCf, "c", "new"));
  it->SeekToFirst();
  EXPECT_EQ(Drain(*it), (std::vector<KV>{{"a", "old"}, {"b", "old"}}));
}

TEST_P(KvStoreContractTest, SnapshotOutlivesManyWrites) {
  ASSERT_OK(Put(store(), kCf, "k", "v0"));
  std::unique_ptr<Snapshot> snapshot = store().GetSnapshot();
  for (int i = 1; i <= 50; ++i) {
    ASSERT_OK(Put(store(), kCf, "k", absl::StrCat("v", i)));
    ASSERT_OK(Put(store(), kCf, absl::StrCat("k", i), "x"));
  }
  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.get();
  EXPECT_EQ(*store().Get(kCf, "k", at_snapshot), "v0");
  EXPECT_EQ(*store().Get(kCf, "k"), "v50");
  snapshot.reset();
  ASSERT_OK(Put(store(), kCf, "k", "after"));
  EXPECT_EQ(*store().Get(kCf, "k"), "after");
}

TEST_P(KvStoreContractTest, LargeValueRoundTrips) {
  std::string large(1 << 20, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 + 7);
  ASSERT_OK(Put(store(), kCf, "large", large));
  absl::StatusOr<std::string> value = store().Get(kCf, "large");
  ASSERT_OK(value);
  EXPECT_TRUE(*value == large);
  std::vector<absl::StatusOr<std::string>> values = store().MultiGet(kCf, {"large"});
  ASSERT_EQ(values.size(), 1u);
  ASSERT_OK(values[0]);
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
  ASSERT_OK(store().Write(batch));
  for (const std::string& key : keys) {
    absl::StatusOr<std::string> value = store().Get(kCf, key);
    ASSERT_OK(value);
    EXPECT_EQ(*value, key + Bytes({0x00, 0xff}));
  }
  // `keys` is already in unsigned order (first byte ascending).
  EXPECT_EQ(Keys(ScanAll(store(), kCf)), keys);
}

TEST_P(KvStoreContractTest, UnknownColumnFamilyIsInvalidArgument) {
  const auto bogus = static_cast<ColumnFamily>(200);
  EXPECT_THAT(store().Get(bogus, "k"), StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<absl::StatusOr<std::string>> values = store().MultiGet(bogus, {"k"});
  ASSERT_EQ(values.size(), 1u);
  EXPECT_THAT(values[0], StatusIs(absl::StatusCode::kInvalidArgument));
  std::unique_ptr<Iterator> it = store().NewIterator(bogus);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_THAT(it->status(), StatusIs(absl::StatusCode::kInvalidArgument));

  WriteBatch batch;
  batch.Put(kCf, "good", "v");
  batch.Put(bogus, "bad", "v");
  EXPECT_THAT(store().Write(batch), StatusIs(absl::StatusCode::kInvalidArgument));
  // Nothing of a rejected batch is applied.
  EXPECT_THAT(store().Get(kCf, "good"), StatusIs(absl::StatusCode::kNotFound));
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
  ASSERT_OK(store().Write(batch));
  ASSERT_OK(Delete(store(), kCf, "deleted"));

  Reopen();
  for (ColumnFamily cf : kAllColumnFamilies) {
    absl::StatusOr<std::string> value = store().Get(cf, "key");
    ASSERT_OK(value) << ColumnFamilyName(cf) << ": " << value.status();
    EXPECT_EQ(*value, ColumnFamilyName(cf));
  }
  EXPECT_THAT(store().Get(kCf, "deleted"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(KvStoreContractTest, UnsyncedWritesAreVisibleAndSyncWalKeepsThem) {
  WriteBatch batch;
  batch.Put(kCf, "unsynced", "v1");
  ASSERT_OK(store().Write(batch, WriteOptions{}));
  EXPECT_EQ(*store().Get(kCf, "unsynced"), "v1");
  ASSERT_OK(store().SyncWal());
  ASSERT_OK(store().SyncWal());  // nothing new: still fine
  if (GetParam().reopen == nullptr) return;
  Reopen();
  EXPECT_EQ(*store().Get(kCf, "unsynced"), "v1");
}

TEST_P(KvStoreContractTest, SortedRunIsWrittenWholeDurablyAndUnseenByOlderSnapshots) {
  ASSERT_OK(Put(store(), kCf, "k050", "old"));
  std::unique_ptr<Snapshot> before = store().GetSnapshot();
  SortedRun run;
  for (int i = 0; i < 100; ++i) run.Add(absl::StrCat("k", 100 + i), absl::StrCat("v", i));
  run.Add("k300", "");  // an empty value is a value
  ASSERT_OK(store().WriteSortedRun(kCf, run));
  EXPECT_EQ(*store().Get(kCf, "k150"), "v50");
  EXPECT_EQ(*store().Get(kCf, "k300"), "");
  EXPECT_EQ(*store().Get(kCf, "k050"), "old");
  ReadOptions old_view;
  old_view.snapshot = before.get();
  EXPECT_THAT(store().Get(kCf, "k150", old_view), StatusIs(absl::StatusCode::kNotFound));
  before.reset();

  // Keys out of order: refused, nothing written.
  SortedRun unsorted;
  unsorted.Add("k400", "a");
  unsorted.Add("k500", "b");
  unsorted.Add("k450", "c");
  const absl::Status refused = store().WriteSortedRun(kCf, unsorted);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store().Get(kCf, "k400"), StatusIs(absl::StatusCode::kNotFound));

  // A second run over the same keys replaces their values.
  SortedRun again;
  again.Add("k150", "new");
  ASSERT_OK(store().WriteSortedRun(kCf, again));
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
  ASSERT_OK(store().Write(batch));
  absl::StatusOr<int64_t> written = store().EstimateKeyCount(kCf);
  ASSERT_OK(written);
  EXPECT_GE(*written, 100);
  EXPECT_LE(*written, 400);
  const ColumnFamily other = kCf == ColumnFamily::kScores ? ColumnFamily::kEvents
                                                          : ColumnFamily::kScores;
  EXPECT_EQ(store().EstimateKeyCount(other).value(), 0);
}

}  // namespace
}  // namespace regulation::storage
