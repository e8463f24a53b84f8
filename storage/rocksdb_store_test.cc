#include "storage/rocksdb_store.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/column_family.h"
#include "storage/kv_store_contract.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::storage {
namespace {

using ::regulation::testing::StatusIs;

// A new empty directory under the test's temporary directory.
// A new directory for each store; all are removed when the test binary exits.
std::string MakeTempDir() {
  static ::regulation::testing::TempDir base("rocksdb_store_test");
  static int serial = 0;
  const std::string dir = base.Path(std::to_string(++serial));
  EXPECT_EQ(mkdir(dir.c_str(), 0700), 0) << dir;
  return dir;
}

RocksDbOptions SmallOptions(const std::string& path) {
  RocksDbOptions options;
  options.path = path;
  options.block_cache_bytes = 8 << 20;
  return options;
}

// Each open_fresh opens a new database in a new directory; reopen opens the latest.
KvStoreFactory RocksDbFactory() {
  auto path = std::make_shared<std::string>();
  return KvStoreFactory{
      "RocksDb",
      [path]() -> absl::StatusOr<std::unique_ptr<KvStore>> {
        *path = MakeTempDir() + "/db";
        return OpenRocksDbStore(SmallOptions(*path));
      },
      [path]() -> absl::StatusOr<std::unique_ptr<KvStore>> {
        return OpenRocksDbStore(SmallOptions(*path));
      },
  };
}

INSTANTIATE_TEST_SUITE_P(RocksDb, KvStoreContractTest, ::testing::Values(RocksDbFactory()),
                         KvStoreFactoryName);

std::unique_ptr<KvStore> OpenOrDie(const RocksDbOptions& options) {
  absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(options);
  EXPECT_OK(store);
  return store.ok() ? *std::move(store) : nullptr;
}

TEST(RocksDbStoreTest, ReopenKeepsAllDataInAllColumnFamilies) {
  const std::string path = MakeTempDir() + "/db";
  constexpr int kKeys = 500;
  {
    std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
    ASSERT_NE(store, nullptr);
    WriteBatch batch;
    for (ColumnFamily cf : kAllColumnFamilies) {
      for (int i = 0; i < kKeys; ++i) {
        batch.Put(cf, absl::StrCat("key", 10000 + i), absl::StrCat(ColumnFamilyName(cf), ":", i));
      }
    }
    WriteOptions sync;
    sync.sync = true;
    ASSERT_OK(store->Write(batch, sync));
  }
  // Twice: the first reopen recovers from the write-ahead log into table files, the
  // second reads those files.
  for (int round = 0; round < 2; ++round) {
    std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
    ASSERT_NE(store, nullptr);
    for (ColumnFamily cf : kAllColumnFamilies) {
      std::vector<std::string> keys;
      for (int i = 0; i < kKeys; ++i) keys.push_back(absl::StrCat("key", 10000 + i));
      keys.push_back("absent");
      std::vector<absl::StatusOr<std::string>> values = store->MultiGet(cf, keys);
      ASSERT_EQ(values.size(), keys.size());
      for (int i = 0; i < kKeys; ++i) {
        ASSERT_OK(values[i]);
        EXPECT_EQ(*values[i], absl::StrCat(ColumnFamilyName(cf), ":", i));
      }
      EXPECT_THAT(values.back(), StatusIs(absl::StatusCode::kNotFound));
      absl::StatusOr<std::string> value = store->Get(cf, "key10007");
      ASSERT_OK(value);
      EXPECT_EQ(*value, absl::StrCat(ColumnFamilyName(cf), ":7"));

      std::unique_ptr<Iterator> it = store->NewIterator(cf, PrefixBounds("key"));
      int count = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
      EXPECT_OK(it->status());
      EXPECT_EQ(count, kKeys);
    }
  }
}

// A crash between building a sorted run's file and ingesting it leaves the file in the
// data directory: the next open removes it, and nothing of it is in the database.
TEST(RocksDbStoreTest, ASortedRunLeftByACrashIsRemovedAtOpen) {
  const std::string path = MakeTempDir() + "/db";
  {
    std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
    SortedRun run;
    run.Add("a", "1");
    ASSERT_OK(store->WriteSortedRun(ColumnFamily::kScores, run));
  }
  const std::string left = path + "/sorted-run-7.sst";
  std::ofstream(left) << "half a table";
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(std::ifstream(left).good());
  EXPECT_EQ(*store->Get(ColumnFamily::kScores, "a"), "1");
  SortedRun next;
  next.Add("b", "2");
  EXPECT_OK(store->WriteSortedRun(ColumnFamily::kScores, next));
  EXPECT_EQ(*store->Get(ColumnFamily::kScores, "b"), "2");
}

TEST(RocksDbStoreTest, DirectoryInUseFailsWithClearStatus) {
  const std::string path = MakeTempDir() + "/db";
  std::unique_ptr<KvStore> first = OpenOrDie(SmallOptions(path));
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<KvStore>> second = OpenRocksDbStore(SmallOptions(path));
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(second.status().message(), "in use")) << second.status();
  EXPECT_TRUE(absl::StrContains(second.status().message(), path)) << second.status();

  // Once the first store is gone the directory opens again.
  first.reset();
  EXPECT_NE(OpenOrDie(SmallOptions(path)), nullptr);
}

TEST(RocksDbStoreTest, RegularFileAsPathFailsWithClearStatus) {
  const std::string path = MakeTempDir() + "/not_a_directory";
  std::ofstream(path) << "hello";
  absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(SmallOptions(path));
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(store.status().message(), "not a directory")) << store.status();
}

TEST(RocksDbStoreTest, CreatesMissingParentDirectories) {
  const std::string path = MakeTempDir() + "/a/b/db";
  EXPECT_NE(OpenOrDie(SmallOptions(path)), nullptr);
}

TEST(RocksDbStoreTest, EmptyPathIsInvalidArgument) {
  EXPECT_THAT(OpenRocksDbStore(RocksDbOptions{}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RocksDbStoreTest, MissingDatabaseWithoutCreateIsNotFound) {
  RocksDbOptions options = SmallOptions(MakeTempDir() + "/db");
  options.create_if_missing = false;
  EXPECT_THAT(OpenRocksDbStore(options), StatusIs(absl::StatusCode::kNotFound));
}

TEST(RocksDbStoreTest, OpensWithoutCacheOrFilter) {
  RocksDbOptions options = SmallOptions(MakeTempDir() + "/db");
  options.block_cache_bytes = 0;
  options.bloom_filter_bits = 0;
  options.max_background_jobs = 1;
  std::unique_ptr<KvStore> store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);
  WriteBatch batch;
  batch.Put(ColumnFamily::kIdempotency, "k", "v");
  ASSERT_OK(store->Write(batch));
  EXPECT_EQ(*store->Get(ColumnFamily::kIdempotency, "k"), "v");
}

TEST(RocksDbStoreTest, OpensDatabaseWithColumnFamilyUnknownToThisBinary) {
  const std::string path = MakeTempDir() + "/db";
  {
    // What a newer binary would leave behind: our families plus one more.
    std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
    ASSERT_NE(store, nullptr);
    WriteBatch batch;
    batch.Put(ColumnFamily::kEnterprises, "k", "v");
    ASSERT_OK(store->Write(batch));
  }
  {
    rocksdb::DBOptions db_options;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(db_options, path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) {
      descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(db_options, path, descriptors, &handles, &db).ok());
    rocksdb::ColumnFamilyHandle* future = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "from_the_future", &future).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), future, "f", "x").ok());
    handles.push_back(future);
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    ASSERT_TRUE(db->Close().ok());
    delete db;
  }
  {
    std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*store->Get(ColumnFamily::kEnterprises, "k"), "v");
  }
  // The unknown family is still there, untouched.
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  EXPECT_NE(std::find(names.begin(), names.end(), "from_the_future"), names.end());
}

TEST(RocksDbStoreTest, SnapshotOfAnotherStoreIsRejected) {
  std::unique_ptr<KvStore> a = OpenOrDie(SmallOptions(MakeTempDir() + "/db"));
  std::unique_ptr<KvStore> b = OpenOrDie(SmallOptions(MakeTempDir() + "/db"));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::unique_ptr<Snapshot> snapshot = a->GetSnapshot();
  ReadOptions options;
  options.snapshot = snapshot.get();
  EXPECT_THAT(b->Get(ColumnFamily::kEnterprises, "k", options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<absl::StatusOr<std::string>> values =
      b->MultiGet(ColumnFamily::kEnterprises, {"k"}, options);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_THAT(values[0], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(a->Get(ColumnFamily::kEnterprises, "k", options),
              StatusIs(absl::StatusCode::kNotFound));
}

// Every file under `dir` (recursively) that contains `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.find(needle) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

TEST(RocksDbStoreTest, CompactRangeErasesDeletedValuesFromDisk) {
  const std::string path = MakeTempDir() + "/db";
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
  ASSERT_NE(store, nullptr);
  const std::string secret = "secret-6222021234567890123-value";
  WriteBatch put;
  put.Put(ColumnFamily::kPublicBodies, "result/R1", secret);
  put.Put(ColumnFamily::kPublicBodies, "result/R2", "kept");
  put.Put(ColumnFamily::kEnterprises, "other", "unflushed data in another family");
  WriteOptions durable;
  durable.sync = true;
  ASSERT_OK(store->Write(put, durable));
  // On disk (write-ahead log), and after a flush in a table file too.
  ASSERT_OK(store->CompactRange(ColumnFamily::kPublicBodies, "", ""));
  ASSERT_FALSE(FilesContaining(path, secret).empty());

  WriteBatch erase;
  erase.Delete(ColumnFamily::kPublicBodies, "result/R1");
  ASSERT_OK(store->Write(erase, durable));
  ASSERT_OK(store->CompactRange(ColumnFamily::kPublicBodies, "result/R1", "result/R1"));
  EXPECT_EQ(FilesContaining(path, secret), std::vector<std::string>());
  EXPECT_EQ(*store->Get(ColumnFamily::kPublicBodies, "result/R2"), "kept");
  EXPECT_TRUE(absl::IsNotFound(store->Get(ColumnFamily::kPublicBodies, "result/R1").status()));
  store.reset();
  EXPECT_EQ(FilesContaining(path, secret), std::vector<std::string>());
}

TEST(RocksDbStoreTest, CheckpointIsAnOpenableCopyOfEveryWriteThatReturned) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(dir + "/db"));
  ASSERT_NE(store, nullptr);
  WriteBatch batch;
  for (ColumnFamily cf : kAllColumnFamilies) batch.Put(cf, "synced", ColumnFamilyName(cf));
  WriteOptions sync;
  sync.sync = true;
  ASSERT_OK(store->Write(batch, sync));
  // Written without sync: still in the copy.
  ASSERT_OK(store->Write([] {
    WriteBatch b;
    b.Put(ColumnFamily::kEvents, "unsynced", "v");
    return b;
  }()));
  ASSERT_OK(store->Checkpoint(dir + "/copy"));
  // Later writes are not.
  WriteBatch later;
  later.Put(ColumnFamily::kEvents, "later", "v");
  ASSERT_OK(store->Write(later, sync));

  std::unique_ptr<KvStore> copy = OpenOrDie(SmallOptions(dir + "/copy"));
  ASSERT_NE(copy, nullptr);
  for (ColumnFamily cf : kAllColumnFamilies) {
    absl::StatusOr<std::string> value = copy->Get(cf, "synced");
    ASSERT_OK(value) << ColumnFamilyName(cf) << ": " << value.status();
    EXPECT_EQ(*value, ColumnFamilyName(cf));
  }
  EXPECT_OK(copy->Get(ColumnFamily::kEvents, "unsynced"));
  EXPECT_THAT(copy->Get(ColumnFamily::kEvents, "later"), StatusIs(absl::StatusCode::kNotFound));
  // The original is unaffected and keeps its own data.
  EXPECT_OK(store->Get(ColumnFamily::kEvents, "later"));
}

// The durability contract of skip_wal, on the real engine: a process that dies without
// closing the store keeps what a FlushColumnFamilies made durable and loses the
// unlogged writes after it.
// The child of WritesPastTheLogAreDurableOnlyOnceFlushed: two unlogged writes, a flush,
// one more unlogged write, and death without closing the store.
void WriteUnloggedAndDie(const std::string& path) {
  std::filesystem::remove_all(path);
  absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(SmallOptions(path));
  if (!store.ok()) _exit(2);
  WriteOptions unlogged;
  unlogged.skip_wal = true;
  const auto put = [&](ColumnFamily cf, const char* key) {
    WriteBatch batch;
    batch.Put(cf, key, "v");
    return (*store)->Write(batch, unlogged).ok();
  };
  if (!put(ColumnFamily::kPortraits, "flushed")) _exit(3);
  if (!put(ColumnFamily::kFeatureRows, "flushed")) _exit(3);
  const ColumnFamily families[] = {ColumnFamily::kPortraits, ColumnFamily::kFeatureRows};
  if (!(*store)->FlushColumnFamilies(families).ok()) _exit(4);
  if (!put(ColumnFamily::kPortraits, "after")) _exit(5);
  _exit(0);  // nothing more is flushed
}

TEST(RocksDbStoreTest, WritesPastTheLogAreDurableOnlyOnceFlushed) {
  // The child is this binary run again up to the EXPECT_EXIT ("threadsafe"): a plain
  // fork would leave RocksDB's background threads behind. So the path must be the same
  // in both, and fresh.
  const char* tmp = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmp, nullptr);
  const std::string path = absl::StrCat(tmp, "/unlogged_writes");
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(WriteUnloggedAndDie(path), ::testing::ExitedWithCode(0), "");
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(path));
  ASSERT_NE(store, nullptr);
  EXPECT_OK(store->Get(ColumnFamily::kPortraits, "flushed"));
  EXPECT_OK(store->Get(ColumnFamily::kFeatureRows, "flushed"));
  EXPECT_THAT(store->Get(ColumnFamily::kPortraits, "after"),
              StatusIs(absl::StatusCode::kNotFound));

  WriteOptions both;
  both.sync = true;
  both.skip_wal = true;
  WriteBatch batch;
  batch.Put(ColumnFamily::kPortraits, "k", "v");
  EXPECT_THAT(store->Write(batch, both), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RocksDbStoreTest, CheckpointIntoAnExistingDirectoryIsAlreadyExists) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(dir + "/db"));
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->Checkpoint(dir), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(RocksDbStoreTest, StatsReportLiveDataAndBlockCacheLookups) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(dir + "/db"));
  ASSERT_NE(store, nullptr);
  const StoreStats empty = store->Stats();
  EXPECT_EQ(empty.live_data_bytes, 0);
  EXPECT_EQ(empty.writes_stopped, 0);
  EXPECT_EQ(empty.write_stall_micros, 0);
  WriteBatch batch;
  for (int i = 0; i < 2000; ++i) {
    batch.Put(ColumnFamily::kEvents, absl::StrCat("key", 100000 + i), std::string(100, 'v'));
  }
  ASSERT_OK(store->Write(batch));
  EXPECT_GT(store->Stats().memtable_bytes, 200000);
  // A checkpoint flushes the memtables into table files: live data appears.
  ASSERT_OK(store->Checkpoint(dir + "/copy"));
  const StoreStats flushed = store->Stats();
  EXPECT_GT(flushed.live_data_bytes, 10000);
  // Reads from table files go through the block cache: a miss, then hits.
  for (int i = 0; i < 10; ++i) ASSERT_OK(store->Get(ColumnFamily::kEvents, "key100005"));
  const StoreStats read = store->Stats();
  EXPECT_GT(read.block_cache_misses, flushed.block_cache_misses);
  EXPECT_GT(read.block_cache_hits, flushed.block_cache_hits);
  EXPECT_GT(read.block_cache_usage_bytes, 0);
  EXPECT_GE(read.pending_compaction_bytes, 0);
}

TEST(RocksDbStoreTest, StatsCountEachFamilysCompactionsApart) {
  const std::string dir = MakeTempDir();
  std::unique_ptr<KvStore> store = OpenOrDie(SmallOptions(dir + "/db"));
  ASSERT_NE(store, nullptr);
  const StoreStats before = store->Stats();
  ASSERT_EQ(before.compactions.size(), kAllColumnFamilies.size());
  for (const FamilyCompactions& family : before.compactions) EXPECT_EQ(family.count, 0);

  WriteBatch batch;
  for (int i = 0; i < 5000; ++i) {
    batch.Put(ColumnFamily::kEventIds, absl::StrCat("id-", i), std::string(200, 'v'));
  }
  ASSERT_OK(store->Write(batch));
  ASSERT_OK(store->CompactRange(ColumnFamily::kEventIds, "", ""));
  // RocksDB tells its listeners from the compaction's thread, which may still be at it
  // as CompactRange returns.
  const size_t ids = static_cast<size_t>(ColumnFamily::kEventIds);
  StoreStats after = store->Stats();
  for (int wait = 0; wait < 100 && after.compactions[ids].count == 0; ++wait) {
    absl::SleepFor(absl::Milliseconds(50));
    after = store->Stats();
  }
  EXPECT_GE(after.compactions[ids].count, 1);
  EXPECT_GT(after.compactions[ids].cpu_micros, 0);
  EXPECT_GT(after.compactions[ids].read_bytes, 0);
  EXPECT_GT(after.compactions[ids].written_bytes, 0);
  for (size_t i = 0; i < after.compactions.size(); ++i) {
    if (i != ids) EXPECT_EQ(after.compactions[i].count, 0) << ColumnFamilyName(kAllColumnFamilies[i]);
  }
}

}  // namespace
}  // namespace regulation::storage
