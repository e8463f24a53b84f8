#include "disclosure/log_verifier.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/files.h"
#include "disclosure/checkpoint.h"
#include "disclosure/merkle.h"
#include "disclosure/tiles.h"
#include "disclosure/transparency_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "regulation.example/disclosure";

std::string TestDir(const std::string& suffix) {
  static ::regulation::testing::TempDir base(
      "log_verifier_test");  // removed when the test binary exits
  std::string dir =
      base.Path(::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix);
  std::filesystem::remove_all(dir);
  return dir;
}

// A log with its published directory.
struct Published {
  std::unique_ptr<storage::KvStore> store;
  std::unique_ptr<TransparencyLog> log;
  std::string dir;
  uint64_t exported = 0;

  void Append(int first, int count, const std::string& tag = "") {
    std::vector<std::string> records;
    for (int i = first; i < first + count; ++i) {
      records.push_back(absl::StrCat("{\"result\":", i, tag, ",\"outcome\":\"compliant\"}"));
    }
    ASSERT_OK(log->Append(records));
  }
  void Export() {
    ExportOptions options;
    options.sync = false;
    ASSERT_OK(ExportTiles(*log, exported, dir, options));
    exported = log->size();
  }
};

Published MakeLog(const SigningKey& key, const std::string& dir) {
  Published p;
  p.store = storage::NewMemoryStore();
  TransparencyLogOptions options;
  options.sync = false;
  p.log = *TransparencyLog::Open(p.store.get(), key, options);
  p.dir = dir;
  return p;
}

void Rewrite(const std::string& path, const std::string& data) {
  ASSERT_OK(WriteFileAtomically(path, data));
}

std::vector<std::string> Bundle(const std::string& path) {
  return *DecodeEntryBundle(*ReadWholeFile(path));
}

class LogVerifierTest : public ::testing::Test {
 protected:
  LogVerifierTest() : key_(*SigningKey::Generate(kOrigin)), pub_(MakeLog(key_, TestDir(""))) {
    pub_.Append(0, 700);
    pub_.Export();
  }

  absl::StatusOr<VerifiedLog> Verify(const TrustedCheckpoint* previous = nullptr) {
    return VerifyLogDirectory(pub_.dir, key_.verifier(), previous);
  }

  TrustedCheckpoint Trust(const SignedCheckpoint& cp) {
    return TrustedCheckpoint{cp.origin, cp.size, cp.root_hash, key_.VerifierKey()};
  }

  SigningKey key_;
  Published pub_;
};

TEST_F(LogVerifierTest, IntactLogVerifies) {
  absl::StatusOr<VerifiedLog> verified = Verify();
  ASSERT_OK(verified);
  EXPECT_EQ(verified->entries, 700u);
  EXPECT_EQ(verified->checkpoint.size, 700u);
  EXPECT_EQ(verified->checkpoint.root_hash, pub_.log->Checkpoint().root_hash);
  EXPECT_EQ(verified->hash_tiles, 4u);  // tile/0/000, 001, 002.p/188, tile/1/000.p/2
}

TEST_F(LogVerifierTest, EditedEntryIsDetected) {
  const std::string path = pub_.dir + "/tile/entries/001";
  std::vector<std::string> entries = Bundle(path);
  entries[44] = absl::StrReplaceAll(entries[44], {{"compliant", "violation"}});
  Rewrite(path, EncodeEntryBundle(entries));
  absl::Status status = Verify().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss,
                               HasSubstr("entry 300 (in tile/entries/001) does not match")));
}

TEST_F(LogVerifierTest, EditedEntryWithRecomputedLeafTileIsDetectedByTheRoot) {
  const std::string path = pub_.dir + "/tile/entries/001";
  std::vector<std::string> entries = Bundle(path);
  entries[44] = absl::StrReplaceAll(entries[44], {{"compliant", "violation"}});
  Rewrite(path, EncodeEntryBundle(entries));
  std::string tile;
  for (const std::string& e : entries) tile += LeafHash(e);
  Rewrite(pub_.dir + "/tile/0/001", tile);
  absl::Status status = Verify().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("but the checkpoint says")));
}

TEST_F(LogVerifierTest, DroppedEntryIsDetected) {
  const std::string path = pub_.dir + "/tile/entries/002.p/188";
  std::vector<std::string> entries = Bundle(path);
  entries.erase(entries.begin() + 10);
  Rewrite(path, EncodeEntryBundle(entries));
  absl::Status status = Verify().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("holds 187 entries")));
  EXPECT_THAT(status.message(), HasSubstr("dropped"));
}

TEST_F(LogVerifierTest, ReorderedEntriesAreDetected) {
  const std::string path = pub_.dir + "/tile/entries/000";
  std::vector<std::string> entries = Bundle(path);
  std::swap(entries[3], entries[4]);
  Rewrite(path, EncodeEntryBundle(entries));
  absl::Status status = Verify().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("entry 3 ")));
}

TEST_F(LogVerifierTest, ForgedCheckpointIsDetected) {
  const SigningKey forger = *SigningKey::Generate(kOrigin);
  const SignedCheckpoint real = pub_.log->Checkpoint();
  SignedCheckpoint forged = *SignCheckpoint(kOrigin, real.size, LeafHash("evil"), forger);
  Rewrite(pub_.dir + "/checkpoint", forged.note);
  absl::Status status = Verify().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated,
                               HasSubstr("forged or altered checkpoint")));

  // The real signature on an altered text.
  Rewrite(pub_.dir + "/checkpoint", absl::StrReplaceAll(real.note, {{"\n700\n", "\n699\n"}}));
  EXPECT_THAT(Verify(), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(LogVerifierTest, AlteredUpperTileIsDetected) {
  const std::string path = pub_.dir + "/tile/1/000.p/2";
  std::string tile = *ReadWholeFile(path);
  tile[40] ^= 1;
  Rewrite(path, tile);
  absl::Status status = Verify().status();
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("tile/1/000.p/2 does not match")));
}

TEST_F(LogVerifierTest, MissingTileIsDetected) {
  std::filesystem::remove(pub_.dir + "/tile/0/001");
  absl::Status status = Verify().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("tile/0/001 is missing")));
}

TEST_F(LogVerifierTest, GrowthConsistentWithTheRememberedCheckpointVerifies) {
  const TrustedCheckpoint before = Trust(pub_.log->Checkpoint());
  pub_.Append(700, 333);
  pub_.Export();
  absl::StatusOr<VerifiedLog> verified = Verify(&before);
  ASSERT_OK(verified);
  EXPECT_EQ(verified->checkpoint.size, 1033u);
  // Unchanged is consistent too.
  const TrustedCheckpoint now = Trust(verified->checkpoint);
  EXPECT_OK(Verify(&now));
  // A remembered checkpoint of another log (origin) is not compared.
  TrustedCheckpoint other = now;
  other.origin = "other.example/log";
  other.size = 5000;
  EXPECT_OK(Verify(&other));
}

TEST_F(LogVerifierTest, RollbackIsDetected) {
  // A checkpoint of 800 entries was verified; the directory now shows 700.
  Published bigger = MakeLog(key_, TestDir("_bigger"));
  bigger.Append(0, 800);
  const TrustedCheckpoint remembered = Trust(bigger.log->Checkpoint());
  absl::Status status = Verify(&remembered).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("rolled back")));
}

TEST_F(LogVerifierTest, RewrittenHistoryIsDetected) {
  // The same key once signed a different first 300 entries (a split view).
  Published fork = MakeLog(key_, TestDir("_fork"));
  fork.Append(0, 300, "-fork");
  const TrustedCheckpoint remembered = Trust(fork.log->Checkpoint());
  absl::Status status = Verify(&remembered).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("not consistent with the checkpoint verified before")));
}

TEST_F(LogVerifierTest, ChangedKeyIsDetected) {
  TrustedCheckpoint remembered = Trust(pub_.log->Checkpoint());
  remembered.verifier_key = SigningKey::Generate(kOrigin)->VerifierKey();
  absl::Status status = Verify(&remembered).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("was signed by")));
}

TEST(TrustedStateTest, RoundTripsAndUpdates) {
  const std::string path = TestDir("") + ".state";
  absl::StatusOr<std::vector<TrustedCheckpoint>> state = LoadTrustedState(path);
  ASSERT_OK(state);
  EXPECT_TRUE(state->empty());
  UpdateTrusted(&*state, {"a.example/log", 5, LeafHash("a"), "a.example/log+01020304+AQ=="});
  UpdateTrusted(&*state, {"b.example/log", 0, EmptyRootHash(), "b.example/log+01020304+AQ=="});
  UpdateTrusted(&*state, {"a.example/log", 9, LeafHash("a9"), "a.example/log+01020304+AQ=="});
  ASSERT_OK(SaveTrustedState(path, *state));
  absl::StatusOr<std::vector<TrustedCheckpoint>> loaded = LoadTrustedState(path);
  ASSERT_OK(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  const TrustedCheckpoint* a = FindTrusted(*loaded, "a.example/log");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->size, 9u);
  EXPECT_EQ(a->root_hash, LeafHash("a9"));
  EXPECT_EQ(FindTrusted(*loaded, "c.example/log"), nullptr);

  Rewrite(path, "a.example/log 5 notbase64 key\n");
  EXPECT_THAT(LoadTrustedState(path), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(SaveTrustedState(path, {{"has space", 1, LeafHash("x"), "k"}}).ok());
}

// Found by //tests/fuzz:log_verifier_fuzzer: a field holding a tab loaded as part of the
// key, and SaveTrustedState then refused the whole state, so verify-log could no longer
// remember any log. Any ASCII whitespace now separates fields.
TEST(TrustedStateTest, AnyWhitespaceSeparatesFields) {
  const std::string path = TestDir("") + ".tabs.state";
  Rewrite(path, "a.example/log\t5 " + absl::Base64Escape(LeafHash("a")) +
                    "\ta.example/log+01020304+AQ==\n");
  absl::StatusOr<std::vector<TrustedCheckpoint>> loaded = LoadTrustedState(path);
  ASSERT_OK(loaded);
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].origin, "a.example/log");
  EXPECT_EQ((*loaded)[0].verifier_key, "a.example/log+01020304+AQ==");
  EXPECT_OK(SaveTrustedState(path, *loaded));
  Rewrite(path, "a.example/log 5 " + absl::Base64Escape(LeafHash("a")) + " key\tmore\n");
  EXPECT_THAT(LoadTrustedState(path), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::disclosure
