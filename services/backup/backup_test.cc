// A backup end to end without a network: BackupMaker streams a RocksDB checkpoint,
// BackupReceiver writes it, VerifyBackup and RestoreBackup check and restore it; and
// what each does with a damaged stream, a damaged backup or a database in the way.

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/backup/backup_files.h"
#include "services/backup/backup_maker.h"
#include "services/backup/backup_receiver.h"
#include "services/backup/restore.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::backup {
namespace {

using ::regulation::testing::StatusIs;

namespace fs = std::filesystem;

std::unique_ptr<storage::KvStore> OpenStore(const std::string& path) {
  storage::RocksDbOptions options;
  options.path = path;
  options.block_cache_bytes = 8 << 20;
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(options);
  EXPECT_OK(store);
  return store.ok() ? *std::move(store) : nullptr;
}

// Streams a backup of `store` into the chunks it sends.
std::vector<v1::BackupChunk> Stream(storage::KvStore* store, const std::string& staging) {
  BackupMaker maker({store, nullptr, nullptr, staging});
  std::vector<v1::BackupChunk> chunks;
  const absl::Status status = maker.Run([&](const v1::BackupChunk& c) {
    chunks.push_back(c);
    return true;
  });
  EXPECT_OK(status);
  return chunks;
}

absl::StatusOr<v1::BackupManifest> Receive(const std::vector<v1::BackupChunk>& chunks,
                                           const std::string& out) {
  absl::StatusOr<std::unique_ptr<BackupReceiver>> receiver = BackupReceiver::Create(out);
  if (!receiver.ok()) return receiver.status();
  for (const v1::BackupChunk& c : chunks) {
    if (absl::Status s = (*receiver)->Add(c); !s.ok()) return s;
  }
  return (*receiver)->Finish();
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::NewTempDir();
    store_ = OpenStore(dir_ + "/db");
    ASSERT_NE(store_, nullptr);
    storage::WriteBatch batch;
    std::mt19937 random(7);  // incompressible values: table files of several chunks
    for (int i = 0; i < 3000; ++i) {
      std::string value(1000, '\0');
      for (char& c : value) c = static_cast<char>(random());
      batch.Put(storage::ColumnFamily::kEvents, absl::StrCat("event", 100000 + i), value);
      if (i == 2999) last_value_ = value;
    }
    storage::WriteOptions sync;
    sync.sync = true;
    ASSERT_OK(store_->Write(batch, sync));
  }

  std::string dir_;
  std::unique_ptr<storage::KvStore> store_;
  std::string last_value_;
};

TEST_F(BackupTest, AStreamedBackupRestoresIntoAnOpenableDatabase) {
  const std::vector<v1::BackupChunk> chunks = Stream(store_.get(), dir_ + "/staging");
  ASSERT_GT(chunks.size(), 3u);
  ASSERT_TRUE(chunks.back().has_manifest());
  EXPECT_TRUE(fs::is_empty(dir_ + "/staging")) << "the staging copy was left behind";

  absl::StatusOr<v1::BackupManifest> received = Receive(chunks, dir_ + "/backup");
  ASSERT_OK(received);
  EXPECT_FALSE(fs::exists(dir_ + "/backup.partial"));
  absl::StatusOr<v1::BackupManifest> verified = VerifyBackup(dir_ + "/backup");
  ASSERT_OK(verified);
  EXPECT_EQ(verified->files_size(), received->files_size());

  absl::StatusOr<v1::BackupManifest> restored = RestoreBackup(dir_ + "/backup", dir_ + "/new");
  ASSERT_OK(restored);
  std::unique_ptr<storage::KvStore> copy = OpenStore(dir_ + "/new/rocksdb");
  ASSERT_NE(copy, nullptr);
  absl::StatusOr<std::string> value = copy->Get(storage::ColumnFamily::kEvents, "event102999");
  ASSERT_OK(value);
  EXPECT_EQ(*value, last_value_);

  // Never over an existing database.
  EXPECT_THAT(RestoreBackup(dir_ + "/backup", dir_ + "/new"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(BackupTest, ADamagedBackupIsRefusedBeforeAnythingIsWritten) {
  ASSERT_OK(Receive(Stream(store_.get(), dir_ + "/staging"), dir_ + "/backup"));
  absl::StatusOr<v1::BackupManifest> manifest = VerifyBackup(dir_ + "/backup");
  ASSERT_OK(manifest);
  // Flip a byte of the largest file.
  std::string victim;
  int64_t largest = -1;
  for (const v1::BackupFile& f : manifest->files()) {
    if (f.size() > largest) {
      largest = f.size();
      victim = f.name();
    }
  }
  const std::string path = dir_ + "/backup/rocksdb/" + victim;
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(largest / 2);
    file.put('\x5a' ^ static_cast<char>(file.peek()));
  }
  absl::StatusOr<v1::BackupManifest> damaged = VerifyBackup(dir_ + "/backup");
  EXPECT_THAT(damaged, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_NE(damaged.status().message().find(victim), std::string::npos) << damaged.status();
  EXPECT_THAT(RestoreBackup(dir_ + "/backup", dir_ + "/new"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_FALSE(fs::exists(dir_ + "/new/rocksdb"));

  // An extra file, and a missing manifest (an interrupted copy of a backup).
  fs::remove(path);
  EXPECT_THAT(VerifyBackup(dir_ + "/backup"), StatusIs(absl::StatusCode::kDataLoss));
  fs::remove(dir_ + "/backup/MANIFEST.json");
  EXPECT_THAT(VerifyBackup(dir_ + "/backup"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(BackupTest, AMalformedStreamLeavesNoBackupBehind) {
  std::vector<v1::BackupChunk> chunks = Stream(store_.get(), dir_ + "/staging");

  // A name that climbs out of the backup directory.
  std::vector<v1::BackupChunk> escaping = chunks;
  escaping[0].mutable_file()->set_name("../escaped");
  EXPECT_THAT(Receive(escaping, dir_ + "/b1"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(fs::exists(dir_ + "/escaped"));

  // A chunk that does not continue where the file left off.
  std::vector<v1::BackupChunk> gap = chunks;
  for (v1::BackupChunk& c : gap) {
    if (c.has_file() && c.file().offset() > 0) {
      c.mutable_file()->set_offset(c.file().offset() + 1);
      break;
    }
  }
  EXPECT_THAT(Receive(gap, dir_ + "/b2"), StatusIs(absl::StatusCode::kInvalidArgument));

  // The stream ends before its manifest (the server went away).
  std::vector<v1::BackupChunk> cut(chunks.begin(), chunks.end() - 1);
  EXPECT_THAT(Receive(cut, dir_ + "/b3"), StatusIs(absl::StatusCode::kDataLoss));

  // A manifest that describes another file than the one sent.
  std::vector<v1::BackupChunk> lying = chunks;
  lying.back().mutable_manifest()->mutable_files(0)->set_sha256(std::string(64, '0'));
  EXPECT_THAT(Receive(lying, dir_ + "/b4"), StatusIs(absl::StatusCode::kDataLoss));

  for (const char* name : {"b1", "b2", "b3", "b4"}) {
    EXPECT_FALSE(fs::exists(dir_ + "/" + name)) << name;
    EXPECT_FALSE(fs::exists(dir_ + "/" + name + ".partial")) << name;
  }
  // And an existing directory is never written into.
  fs::create_directories(dir_ + "/taken");
  EXPECT_THAT(BackupReceiver::Create(dir_ + "/taken"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(BackupMaker, RefusesWithoutAStagingDirectoryOrACheckpointingStore) {
  std::unique_ptr<storage::KvStore> memory = storage::NewMemoryStore();
  const auto ignore = [](const v1::BackupChunk&) { return true; };
  EXPECT_THAT(BackupMaker({memory.get(), nullptr, nullptr, ""}).Run(ignore),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      BackupMaker({memory.get(), nullptr, nullptr, testing::NewTempDir() + "/s"}).Run(ignore),
      StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(BackupTest, AClientThatGoesAwayCancelsAndLeavesNoStagingCopy) {
  BackupMaker maker({store_.get(), nullptr, nullptr, dir_ + "/staging"});
  int sent = 0;
  const absl::Status status = maker.Run([&](const v1::BackupChunk&) { return ++sent < 2; });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kCancelled));
  EXPECT_TRUE(fs::is_empty(dir_ + "/staging"));
}

}  // namespace
}  // namespace regulation::backup
