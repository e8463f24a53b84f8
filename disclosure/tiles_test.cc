#include "disclosure/tiles.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "disclosure/checkpoint.h"
#include "disclosure/merkle.h"
#include "disclosure/transparency_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TilePathTest, EncodesIndicesInThreeDigitGroups) {
  EXPECT_EQ(TileIndexPath(0), "000");
  EXPECT_EQ(TileIndexPath(5), "005");
  EXPECT_EQ(TileIndexPath(999), "999");
  EXPECT_EQ(TileIndexPath(1000), "x001/000");
  EXPECT_EQ(TileIndexPath(1234067), "x001/x234/067");  // the C2SP example
  EXPECT_EQ(HashTilePath({0, 3, 256}), "tile/0/003");
  EXPECT_EQ(HashTilePath({1, 1234067, 17}), "tile/1/x001/x234/067.p/17");
  EXPECT_EQ(EntryBundlePath({0, 1000, 256}), "tile/entries/x001/000");
  EXPECT_EQ(EntryBundlePath({0, 2, 88}), "tile/entries/002.p/88");
}

// golang.org/x/mod/sumdb/tlog's TestNewTilesForSize (tiles of height 10).
TEST(NewTilesTest, MatchesGosTlog) {
  struct Case {
    uint64_t from, to;
    size_t want;
  };
  for (const Case& c : std::vector<Case>{{1, 1, 0},
                                         {100, 101, 1},
                                         {1023, 1025, 3},
                                         {1024, 1030, 1},
                                         {1030, 2000, 1},
                                         {1030, 10000, 10},
                                         {49516517, 49516586, 3}}) {
    EXPECT_EQ(NewTiles(10, c.from, c.to).size(), c.want) << c.from << "-" << c.to;
  }
}

// The examples of c2sp.org/tlog-tiles.
TEST(NewTilesTest, MatchesTheSpecExamples) {
  std::vector<Tile> tiles = NewTiles(8, 0, 70000);
  ASSERT_EQ(tiles.size(), 273u + 1 + 1 + 1 + 1);
  EXPECT_EQ(tiles[272], (Tile{0, 272, 256}));
  EXPECT_EQ(tiles[273], (Tile{0, 273, 112}));
  EXPECT_EQ(tiles[274], (Tile{1, 0, 256}));
  EXPECT_EQ(tiles[275], (Tile{1, 1, 17}));
  EXPECT_EQ(tiles[276], (Tile{2, 0, 1}));
  EXPECT_THAT(NewTiles(8, 0, 256), ElementsAre(Tile{0, 0, 256}, Tile{1, 0, 1}));
  EXPECT_THAT(NewTiles(8, 5, 5), IsEmpty());
  EXPECT_THAT(NewTiles(8, 0, 0), IsEmpty());
}

TEST(EntryBundleTest, RoundTripsAndRejectsTruncation) {
  const std::vector<std::string> entries = {"", "a", std::string(300, 'x'),
                                            std::string(65535, 'y')};
  const std::string bundle = EncodeEntryBundle(entries);
  EXPECT_EQ(bundle.substr(0, 5), std::string("\0\0\0\1a", 5));
  EXPECT_EQ(static_cast<uint8_t>(bundle[5]), 0x01);  // 300 = 0x012c
  EXPECT_EQ(static_cast<uint8_t>(bundle[6]), 0x2c);
  absl::StatusOr<std::vector<std::string>> decoded = DecodeEntryBundle(bundle);
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, entries);
  EXPECT_FALSE(DecodeEntryBundle(bundle.substr(0, bundle.size() - 1)).ok());
  EXPECT_FALSE(DecodeEntryBundle(std::string("\0", 1)).ok());
}

class ExportTilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_.Path("tiles");
    store_ = storage::NewMemoryStore();
    TransparencyLogOptions options;
    options.sync = false;
    log_ = *TransparencyLog::Open(store_.get(), *SigningKey::Generate("example.org/log"), options);
  }

  void AppendRecords(int count) {
    std::vector<std::string> records;
    for (int i = 0; i < count; ++i) {
      records.push_back(absl::StrCat("{\"n\":", next_++, "}"));
    }
    all_.insert(all_.end(), records.begin(), records.end());
    ASSERT_OK(log_->Append(records));
  }

  std::string Read(const std::string& relative) {
    absl::StatusOr<std::string> data = ReadWholeFile(dir_ + "/" + relative);
    EXPECT_OK(data);
    return data.ok() ? *data : "";
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  std::string dir_;
  std::unique_ptr<storage::KvStore> store_;
  std::unique_ptr<TransparencyLog> log_;
  std::vector<std::string> all_;
  int next_ = 0;
};

TEST_F(ExportTilesTest, ExportsEveryTileThenOnlyWhatChanged) {
  AppendRecords(600);
  absl::StatusOr<std::vector<std::string>> written = ExportTiles(*log_, 0, dir_);
  ASSERT_OK(written);
  EXPECT_THAT(*written, ElementsAre("tile/entries/000", "tile/0/000", "tile/entries/001",
                                    "tile/0/001", "tile/entries/002.p/88", "tile/0/002.p/88",
                                    "tile/1/000.p/2", "verifier.key", "checkpoint"));
  EXPECT_EQ(Read("checkpoint"), log_->Checkpoint().note);
  EXPECT_EQ(Read("verifier.key"), log_->VerifierKey() + "\n");

  std::string leaf_hashes;
  for (int i = 256; i < 512; ++i) leaf_hashes += LeafHash(all_[i]);
  EXPECT_EQ(Read("tile/0/001"), leaf_hashes);
  absl::StatusOr<std::vector<std::string>> bundle =
      DecodeEntryBundle(Read("tile/entries/002.p/88"));
  ASSERT_OK(bundle);
  EXPECT_EQ(*bundle, std::vector<std::string>(all_.begin() + 512, all_.end()));
  EXPECT_EQ(Read("tile/1/000.p/2"), *log_->NodeHash(8, 0) + *log_->NodeHash(8, 1));

  // 1,000 more: the partial tiles are completed or widened, nothing else is touched.
  AppendRecords(1000);
  written = ExportTiles(*log_, 600, dir_);
  ASSERT_OK(written);
  EXPECT_THAT(*written, ElementsAre("tile/entries/002", "tile/0/002", "tile/entries/003",
                                    "tile/0/003", "tile/entries/004", "tile/0/004",
                                    "tile/entries/005", "tile/0/005", "tile/entries/006.p/64",
                                    "tile/0/006.p/64", "tile/1/000.p/6", "checkpoint"));
  // The partial tiles of the earlier checkpoint stay for clients that still hold it.
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/tile/0/002.p/88"));
  EXPECT_EQ(Read("checkpoint"), log_->Checkpoint().note);
  // No temporary files are left behind.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
  }
}

TEST_F(ExportTilesTest, EmptyLogExportsOnlyTheCheckpoint) {
  absl::StatusOr<std::vector<std::string>> written = ExportTiles(*log_, 0, dir_);
  ASSERT_OK(written);
  EXPECT_THAT(*written, ElementsAre("verifier.key", "checkpoint"));
  written = ExportTiles(*log_, 0, dir_);
  ASSERT_OK(written);
  EXPECT_THAT(*written, ElementsAre("checkpoint"));
}

TEST_F(ExportTilesTest, ExportFromBeyondTheLogIsRefused) {
  AppendRecords(3);
  EXPECT_THAT(ExportTiles(*log_, 4, dir_), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ExportTilesTest, RefusesToPublishARollbackOrAFork) {
  AppendRecords(600);
  ASSERT_OK(ExportTiles(*log_, 0, dir_));
  const std::string published = Read("checkpoint");

  // The same key and origin, a log that is shorter, then one that differs.
  auto other_store = storage::NewMemoryStore();
  TransparencyLogOptions options;
  options.sync = false;
  options.origin = log_->origin();
  auto other =
      *TransparencyLog::Open(other_store.get(), *SigningKey::Generate("example.org/log"), options);
  ASSERT_OK(other->Append(std::vector<std::string>(all_.begin(), all_.begin() + 500)));
  absl::Status status = ExportTiles(*other, 0, dir_).status();
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::HasSubstr("rolled-back")));
  ASSERT_OK(other->Append(std::vector<std::string>(200, "different")));
  status = ExportTiles(*other, 0, dir_).status();
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::HasSubstr("fork")));
  EXPECT_EQ(Read("checkpoint"), published);

  // An export that would skip entries the directory does not have.
  AppendRecords(10);
  EXPECT_THAT(ExportTiles(*log_, 605, dir_), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(ExportTiles(*log_, 600, dir_));
}

}  // namespace
}  // namespace regulation::disclosure
