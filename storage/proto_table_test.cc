#include "storage/proto_table.h"

#include <sys/stat.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::storage {
namespace {

using ::google::protobuf::Timestamp;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// Any message will do; the table does not care what it holds.
Timestamp At(int64_t seconds) {
  Timestamp t;
  t.set_seconds(seconds);
  return t;
}

constexpr ColumnFamily kCf = ColumnFamily::kItems;

// A backend: makes a new, empty store.
struct Backend {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<KvStore>>()> open_fresh;
};

// Runs against every backend, as the KvStore contract suite does.
class ProtoTableTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KvStore>> store = GetParam().open_fresh();
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    table_ = std::make_unique<ProtoTable<Timestamp>>(store_.get(), kCf);
  }

  void PutRaw(absl::string_view key, absl::string_view value) {
    WriteBatch batch;
    batch.Put(kCf, key, value);
    ASSERT_OK(store_->Write(batch));
  }

  void Stage(absl::string_view key, int64_t seconds) {
    WriteBatch batch;
    table_->Stage(&batch, key, At(seconds));
    ASSERT_OK(store_->Write(batch));
  }

  std::unique_ptr<KvStore> store_;
  std::unique_ptr<ProtoTable<Timestamp>> table_;
};

TEST_P(ProtoTableTest, StagedRecordsReadBackTyped) {
  Stage("a", 7);
  absl::StatusOr<Timestamp> got = table_->Get("a");
  ASSERT_OK(got.status());
  EXPECT_EQ(got->seconds(), 7);
}

TEST_P(ProtoTableTest, GetMissingKeyIsNotFoundNamingTheKey) {
  EXPECT_THAT(table_->Get("absent-key"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("items record \"absent-key\"")));
}

TEST_P(ProtoTableTest, GetUnparsableRecordIsDataLossNamingFamilyKeyAndType) {
  PutRaw("bad", "\xff\xff\xff garbage");
  EXPECT_THAT(table_->Get("bad"), StatusIs(absl::StatusCode::kDataLoss,
                                           HasSubstr("items record \"bad\" does not parse as "
                                                     "google.protobuf.Timestamp")));
}

TEST_P(ProtoTableTest, BinaryKeysAreEscapedInMessages) {
  EXPECT_THAT(table_->Get(std::string("k\0\x01", 3)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"k\\x00\\x01\"")));
}

TEST_P(ProtoTableTest, MultiGetAnswersEachKeyInOrder) {
  Stage("a", 1);
  Stage("c", 3);
  PutRaw("d", "\xff\xff");
  const std::vector<std::string> keys = {"c", "b", "a", "d"};
  std::vector<absl::StatusOr<Timestamp>> got = table_->MultiGet(keys);
  ASSERT_EQ(got.size(), 4u);
  ASSERT_OK(got[0].status());
  EXPECT_EQ(got[0]->seconds(), 3);
  EXPECT_THAT(got[1], StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"b\"")));
  ASSERT_OK(got[2].status());
  EXPECT_EQ(got[2]->seconds(), 1);
  EXPECT_THAT(got[3], StatusIs(absl::StatusCode::kDataLoss, HasSubstr("\"d\"")));
}

TEST_P(ProtoTableTest, StageDeleteRemovesTheRecord) {
  Stage("a", 1);
  WriteBatch batch;
  table_->StageDelete(&batch, "a");
  ASSERT_OK(store_->Write(batch));
  EXPECT_THAT(table_->Get("a"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(ProtoTableTest, CursorWalksInKeyOrderAndReadsOnlyWhatItIsAsked) {
  Stage("p/1", 1);
  PutRaw("p/2", "\xff\xff");  // skipped by key: never parsed, so no error
  Stage("p/3", 3);
  Stage("q/1", 9);  // outside the bounds
  ProtoCursor<Timestamp> cursor = table_->Scan(PrefixBounds("p/"));
  std::vector<int64_t> seen;
  Timestamp t;
  for (cursor.SeekToFirst(); cursor.Valid(); cursor.Next()) {
    if (cursor.key() == "p/2") continue;
    ASSERT_OK(cursor.Read(&t));
    seen.push_back(t.seconds());
  }
  ASSERT_OK(cursor.status());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 3}));

  cursor.Seek("p/2");
  ASSERT_TRUE(cursor.Valid());
  EXPECT_THAT(cursor.Read(&t), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("\"p/2\"")));
}

TEST_P(ProtoTableTest, ScanPageResumesAfterTheLastKeyAndMissesNone) {
  for (int i = 0; i < 7; ++i) Stage(absl::StrCat("k", i), i);
  PageLimits limits;
  limits.max_rows = 3;
  limits.max_scanned = 100;
  std::vector<int64_t> seen;
  std::string resume_after;
  int pages = 0;
  while (true) {
    absl::StatusOr<PageEnd> end = table_->ScanPage(
        {}, resume_after, limits, [&](absl::string_view, Timestamp t) -> absl::StatusOr<bool> {
          seen.push_back(t.seconds());
          return true;
        });
    ASSERT_OK(end.status());
    ++pages;
    if (!end->more) break;
    resume_after = end->last_key;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST_P(ProtoTableTest, ScanPageStopsAtAnUnparsableRecord) {
  Stage("a", 1);
  PutRaw("b", "\xff\xff");
  PageLimits limits;
  limits.max_rows = 10;
  limits.max_scanned = 10;
  EXPECT_THAT(
      table_->ScanPage({}, "", limits,
                       [](absl::string_view, Timestamp) -> absl::StatusOr<bool> { return true; }),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("\"b\"")));
}

TEST_P(ProtoTableTest, ScanPageCountsRowsTheVisitorSkipsAgainstTheScanLimit) {
  for (int i = 0; i < 5; ++i) Stage(absl::StrCat("k", i), i);
  PageLimits limits;
  limits.max_rows = 10;
  limits.max_scanned = 2;
  absl::StatusOr<PageEnd> end = table_->ScanPage(
      {}, "", limits, [](absl::string_view, Timestamp) -> absl::StatusOr<bool> { return false; });
  ASSERT_OK(end.status());
  EXPECT_TRUE(end->more);
  EXPECT_EQ(end->last_key, "k1");
}

std::string MakeTempDir() {
  static ::regulation::testing::TempDir base("proto_table_test");
  static int serial = 0;
  const std::string dir = base.Path(std::to_string(++serial));
  EXPECT_EQ(mkdir(dir.c_str(), 0700), 0) << dir;
  return dir;
}

Backend Memory() {
  return Backend{"Memory",
                 []() -> absl::StatusOr<std::unique_ptr<KvStore>> { return NewMemoryStore(); }};
}

Backend RocksDb() {
  return Backend{"RocksDb", []() -> absl::StatusOr<std::unique_ptr<KvStore>> {
                   RocksDbOptions options;
                   options.path = MakeTempDir() + "/db";
                   options.block_cache_bytes = 8 << 20;
                   return OpenRocksDbStore(options);
                 }};
}

INSTANTIATE_TEST_SUITE_P(Backends, ProtoTableTest, ::testing::Values(Memory(), RocksDb()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace regulation::storage
