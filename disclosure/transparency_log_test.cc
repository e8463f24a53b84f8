#include "disclosure/transparency_log.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "disclosure/checkpoint.h"
#include "disclosure/merkle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "testing/fault_injection_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "regulation.example/disclosure";

std::vector<std::string> Records(int first, int count) {
  std::vector<std::string> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back(absl::StrCat("{\"record\":", i, ",\"result\":\"no problem found\"}"));
  }
  return out;
}

class TransparencyLogTest : public ::testing::Test {
 protected:
  TransparencyLogTest() : store_(storage::NewMemoryStore()), key_(*SigningKey::Generate(kOrigin)) {}

  std::unique_ptr<TransparencyLog> OpenLog(storage::KvStore* store = nullptr) {
    absl::StatusOr<std::unique_ptr<TransparencyLog>> log =
        TransparencyLog::Open(store != nullptr ? store : store_.get(), key_);
    EXPECT_OK(log);
    return log.ok() ? *std::move(log) : nullptr;
  }

  // Every entry appended so far, as leaf hashes.
  std::vector<std::string> LeafHashes(const std::vector<std::string>& entries) {
    std::vector<std::string> out;
    for (const std::string& e : entries) out.push_back(LeafHash(e));
    return out;
  }

  std::unique_ptr<storage::KvStore> store_;
  SigningKey key_;
};

TEST_F(TransparencyLogTest, EmptyLogHasASignedEmptyCheckpoint) {
  std::unique_ptr<TransparencyLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  const SignedCheckpoint cp = log->Checkpoint();
  EXPECT_EQ(cp.origin, kOrigin);
  EXPECT_EQ(cp.size, 0u);
  EXPECT_EQ(cp.root_hash, EmptyRootHash());
  absl::StatusOr<NoteVerifier> verifier = NoteVerifier::Parse(log->VerifierKey());
  ASSERT_OK(verifier);
  EXPECT_OK(VerifyCheckpoint(cp.note, *verifier, kOrigin));
  EXPECT_THAT(log->Entry(0), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(log->InclusionProof(0, 0), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(log->NodeHash(0, 0), StatusIs(absl::StatusCode::kOutOfRange));
}

TEST_F(TransparencyLogTest, AppendsProveAndStayConsistent) {
  std::unique_ptr<TransparencyLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  absl::StatusOr<NoteVerifier> verifier = NoteVerifier::Parse(log->VerifierKey());
  ASSERT_OK(verifier);

  std::vector<std::string> all;
  std::vector<SignedCheckpoint> checkpoints = {log->Checkpoint()};
  for (int batch : {1, 2, 5, 1, 17, 256, 3, 300}) {
    const std::vector<std::string> records = Records(static_cast<int>(all.size()), batch);
    absl::StatusOr<std::vector<uint64_t>> indices = log->Append(records);
    ASSERT_OK(indices);
    ASSERT_EQ(indices->size(), records.size());
    EXPECT_EQ((*indices)[0], all.size());
    all.insert(all.end(), records.begin(), records.end());

    const SignedCheckpoint cp = log->Checkpoint();
    ASSERT_EQ(cp.size, all.size());
    const std::vector<std::string> leaves = LeafHashes(all);
    ASSERT_EQ(cp.root_hash, RootFromLeafHashes(leaves));
    absl::StatusOr<SignedCheckpoint> verified = VerifyCheckpoint(cp.note, *verifier, kOrigin);
    ASSERT_OK(verified);
    EXPECT_EQ(verified->size, cp.size);
    EXPECT_EQ(verified->root_hash, cp.root_hash);
    checkpoints.push_back(cp);
  }

  const SignedCheckpoint last = checkpoints.back();
  const std::vector<std::string> leaves = LeafHashes(all);
  for (uint64_t i = 0; i < last.size; i += 7) {
    EXPECT_EQ(*log->Entry(i), all[i]);
    absl::StatusOr<std::vector<std::string>> proof = log->InclusionProof(i, last.size);
    ASSERT_OK(proof);
    EXPECT_OK(VerifyInclusion(i, last.size, leaves[i], *proof, last.root_hash)) << i;
  }
  // Proofs for an older checkpoint's size verify against that checkpoint.
  const SignedCheckpoint& old = checkpoints[4];
  absl::StatusOr<std::vector<std::string>> old_proof = log->InclusionProof(3, old.size);
  ASSERT_OK(old_proof);
  EXPECT_OK(VerifyInclusion(3, old.size, leaves[3], *old_proof, old.root_hash));
  EXPECT_EQ(*log->RootHash(old.size), old.root_hash);

  for (size_t a = 0; a < checkpoints.size(); ++a) {
    for (size_t b = a; b < checkpoints.size(); ++b) {
      absl::StatusOr<std::vector<std::string>> proof =
          log->ConsistencyProof(checkpoints[a].size, checkpoints[b].size);
      ASSERT_OK(proof);
      EXPECT_OK(VerifyConsistency(checkpoints[a].size, checkpoints[b].size, *proof,
                                  checkpoints[a].root_hash, checkpoints[b].root_hash))
          << a << "->" << b;
    }
  }

  // Complete subtrees are published as tiles.
  LeafHashSource source(leaves);
  for (NodeId id : {NodeId{0, 0}, NodeId{0, 584}, NodeId{3, 72}, NodeId{8, 1}, NodeId{9, 0}}) {
    absl::StatusOr<std::string> got = log->NodeHash(id.level, id.index);
    ASSERT_OK(got);
    EXPECT_EQ(*got, (*source.Hashes({id}))[0]);
  }
  EXPECT_THAT(log->NodeHash(0, last.size), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(log->NodeHash(10, 0), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(log->InclusionProof(0, last.size + 1), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(log->ConsistencyProof(1, last.size + 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(log->ConsistencyProof(5, 4), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Across tile boundaries at three tile levels (more than 65,536 entries), reopening
// between batches: the stored tiles and the in-memory right edge agree.
TEST_F(TransparencyLogTest, LargeTreeAcrossReopensMatchesAnIndependentRoot) {
  std::mt19937_64 rng(7);
  CompactRange expected;
  std::vector<std::string> leaves;
  std::unique_ptr<TransparencyLog> log = OpenLog();
  int next = 0;
  while (next < 70000) {
    const int batch = 1 + static_cast<int>(rng() % 3000);
    const std::vector<std::string> records = Records(next, batch);
    ASSERT_OK(log->Append(records));
    for (const std::string& r : records) {
      leaves.push_back(LeafHash(r));
      expected.Append(leaves.back());
    }
    next += batch;
    if (rng() % 4 == 0) log = OpenLog();
    const SignedCheckpoint cp = log->Checkpoint();
    ASSERT_EQ(cp.size, leaves.size());
    ASSERT_EQ(cp.root_hash, expected.Root());
    for (int probe = 0; probe < 5; ++probe) {
      const uint64_t i = rng() % cp.size;
      absl::StatusOr<std::vector<std::string>> proof = log->InclusionProof(i, cp.size);
      ASSERT_OK(proof);
      ASSERT_OK(VerifyInclusion(i, cp.size, leaves[i], *proof, cp.root_hash)) << i;
    }
  }
  LeafHashSource source(leaves);
  for (NodeId id : {NodeId{16, 0}, NodeId{15, 1}, NodeId{8, 272}, NodeId{7, 500}}) {
    absl::StatusOr<std::string> got = log->NodeHash(id.level, id.index);
    ASSERT_OK(got);
    EXPECT_EQ(*got, (*source.Hashes({id}))[0]) << id.level << "/" << id.index;
  }
}

TEST_F(TransparencyLogTest, EmptyAppendChangesNothing) {
  std::unique_ptr<TransparencyLog> log = OpenLog();
  const std::string note = log->Checkpoint().note;
  absl::StatusOr<std::vector<uint64_t>> indices = log->Append({});
  ASSERT_OK(indices);
  EXPECT_TRUE(indices->empty());
  EXPECT_EQ(log->Checkpoint().note, note);
}

TEST_F(TransparencyLogTest, OversizedEntryIsRejectedAndNothingAppended) {
  std::unique_ptr<TransparencyLog> log = OpenLog();
  const std::vector<std::string> entries = {"ok", std::string(kMaxEntrySize + 1, 'x')};
  EXPECT_THAT(log->Append(entries), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(log->size(), 0u);
  const std::vector<std::string> largest = {std::string(kMaxEntrySize, 'x')};
  EXPECT_OK(log->Append(largest));
}

TEST_F(TransparencyLogTest, ReopenKeepsTheCheckpointAndContinues) {
  std::string note;
  {
    std::unique_ptr<TransparencyLog> log = OpenLog();
    ASSERT_OK(log->Append(Records(0, 10)));
    note = log->Checkpoint().note;
  }
  std::unique_ptr<TransparencyLog> log = OpenLog();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->Checkpoint().note, note);
  absl::StatusOr<std::vector<uint64_t>> indices = log->Append(Records(10, 2));
  ASSERT_OK(indices);
  EXPECT_THAT(*indices, ElementsAre(10, 11));
  std::vector<std::string> all = Records(0, 12);
  EXPECT_EQ(log->Checkpoint().root_hash, RootFromLeafHashes(LeafHashes(all)));
}

// A crash after the tree is stored and before its checkpoint is: the log refuses more
// appends; reopened, it signs the stored tree, consistent with what it signed before.
TEST_F(TransparencyLogTest, CrashBeforeTheCheckpointIsStoredSignsTheTreeOnOpen) {
  testing::FaultInjectionStore faulty(store_.get());
  std::unique_ptr<TransparencyLog> log = OpenLog(&faulty);
  ASSERT_OK(log->Append(Records(0, 5)));
  const SignedCheckpoint before = log->Checkpoint();

  faulty.FailWritesTouching(ColumnFamily::kLogState, "checkpoint");
  EXPECT_FALSE(log->Append(Records(5, 3)).ok());
  EXPECT_EQ(log->Checkpoint().note, before.note);  // readers never saw the unsigned tree
  EXPECT_EQ(log->size(), 5u);
  faulty.ClearFaults();
  absl::Status refused = log->Append(Records(8, 1)).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("reopen")));
  log.reset();

  log = OpenLog();
  const SignedCheckpoint after = log->Checkpoint();
  EXPECT_EQ(after.size, 8u);
  EXPECT_EQ(after.root_hash, RootFromLeafHashes(LeafHashes(Records(0, 8))));
  absl::StatusOr<std::vector<std::string>> proof = log->ConsistencyProof(before.size, after.size);
  ASSERT_OK(proof);
  EXPECT_OK(VerifyConsistency(before.size, after.size, *proof, before.root_hash, after.root_hash));
}

// A failed tree write: nothing was appended, and the log says so after reopening.
TEST_F(TransparencyLogTest, FailedTreeWriteAppendsNothing) {
  testing::FaultInjectionStore faulty(store_.get());
  std::unique_ptr<TransparencyLog> log = OpenLog(&faulty);
  ASSERT_OK(log->Append(Records(0, 4)));
  const std::string note = log->Checkpoint().note;
  faulty.FailWritesTouching(ColumnFamily::kLogState, "tree");
  EXPECT_THAT(log->Append(Records(4, 4)), StatusIs(absl::StatusCode::kInternal));
  log.reset();
  log = OpenLog();
  EXPECT_EQ(log->Checkpoint().note, note);
  ASSERT_OK(log->Append(Records(4, 1)));
  EXPECT_EQ(log->Entry(4).value(), Records(4, 1)[0]);
}

// The whole tree restored from an older copy (a backup), with the newer checkpoint:
// signing anything now could contradict the checkpoint already published.
TEST_F(TransparencyLogTest, RolledBackTreeIsRefused) {
  std::string old_tree;
  std::vector<std::pair<std::string, std::string>> old_tiles;
  {
    std::unique_ptr<TransparencyLog> log = OpenLog();
    ASSERT_OK(log->Append(Records(0, 3)));
    old_tree = *store_->Get(ColumnFamily::kLogState, "tree");
    auto it = store_->NewIterator(ColumnFamily::kLogHashes);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      old_tiles.emplace_back(std::string(it->key()), std::string(it->value()));
    }
    ASSERT_OK(log->Append(Records(3, 2)));
  }
  storage::WriteBatch rollback;
  rollback.Put(ColumnFamily::kLogState, "tree", old_tree);
  for (const auto& [key, value] : old_tiles) rollback.Put(ColumnFamily::kLogHashes, key, value);
  ASSERT_OK(store_->Write(rollback));
  absl::StatusOr<std::unique_ptr<TransparencyLog>> log = TransparencyLog::Open(store_.get(), key_);
  ASSERT_THAT(log, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("rolled back")));
}

// Only the tree state is old: the tiles disagree with it.
TEST_F(TransparencyLogTest, TornStateIsRefused) {
  std::string old_tree;
  {
    std::unique_ptr<TransparencyLog> log = OpenLog();
    ASSERT_OK(log->Append(Records(0, 3)));
    old_tree = *store_->Get(ColumnFamily::kLogState, "tree");
    ASSERT_OK(log->Append(Records(3, 2)));
  }
  storage::WriteBatch rollback;
  rollback.Put(ColumnFamily::kLogState, "tree", old_tree);
  ASSERT_OK(store_->Write(rollback));
  EXPECT_THAT(TransparencyLog::Open(store_.get(), key_), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(TransparencyLogTest, CheckpointOfAnotherTreeIsRefused) {
  auto other_store = storage::NewMemoryStore();
  std::string other_note;
  {
    std::unique_ptr<TransparencyLog> other = OpenLog(other_store.get());
    ASSERT_OK(other->Append({"a", "b", "X"}));
    other_note = other->Checkpoint().note;
    std::unique_ptr<TransparencyLog> log = OpenLog();
    ASSERT_OK(log->Append({"a", "b", "c", "d"}));
  }
  storage::WriteBatch fork;
  fork.Put(ColumnFamily::kLogState, "checkpoint", other_note);
  ASSERT_OK(store_->Write(fork));
  EXPECT_THAT(TransparencyLog::Open(store_.get(), key_), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(TransparencyLogTest, OtherOriginIsRefused) {
  { OpenLog(); }
  TransparencyLogOptions options;
  options.origin = "other.example/log";
  EXPECT_THAT(TransparencyLog::Open(store_.get(), key_, options),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// A log written before entry formats were recorded (its leaves are PublicEntry JSON) is
// refused at open, saying how to go on, rather than served as if its leaves were v2.
TEST_F(TransparencyLogTest, ALogFromBeforeFormatsWereRecordedIsRefusedClearly) {
  {
    std::unique_ptr<TransparencyLog> log = OpenLog();
    ASSERT_OK(log->Append(Records(0, 3)));
  }
  EXPECT_EQ(*store_->Get(ColumnFamily::kLogState, "format"), kDisclosureLeafFormat);
  storage::WriteBatch old;
  old.Delete(ColumnFamily::kLogState, "format");
  ASSERT_OK(store_->Write(old));
  absl::StatusOr<std::unique_ptr<TransparencyLog>> log = TransparencyLog::Open(store_.get(), key_);
  ASSERT_THAT(log, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("format 1")));
  EXPECT_THAT(log.status().message(), HasSubstr("Re-create the log"));
}

TEST_F(TransparencyLogTest, ALogInAnotherEntryFormatIsRefused) {
  { OpenLog(); }  // an empty log records the format too
  TransparencyLogOptions options;
  options.entry_format = "some-other-format/v9";
  absl::StatusOr<std::unique_ptr<TransparencyLog>> log =
      TransparencyLog::Open(store_.get(), key_, options);
  ASSERT_THAT(log,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(kDisclosureLeafFormat)));
}

TEST_F(TransparencyLogTest, NewKeyResignsTheSameTree) {
  SignedCheckpoint before;
  {
    std::unique_ptr<TransparencyLog> log = OpenLog();
    ASSERT_OK(log->Append(Records(0, 6)));
    before = log->Checkpoint();
  }
  key_ = *SigningKey::Generate(kOrigin);
  std::unique_ptr<TransparencyLog> log = OpenLog();
  const SignedCheckpoint after = log->Checkpoint();
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.root_hash, before.root_hash);
  EXPECT_NE(after.note, before.note);
  EXPECT_OK(VerifyCheckpoint(after.note, key_.verifier()));
}

TEST_F(TransparencyLogTest, ConcurrentAppendsAndReadsStayProvable) {
  std::unique_ptr<TransparencyLog> log = OpenLog();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 40; ++i) {
        if (!log->Append(Records(w * 1000 + i * 5, 5)).ok()) ++failures;
      }
    });
  }
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      std::mt19937_64 rng(r);
      SignedCheckpoint previous = log->Checkpoint();
      while (!done.load()) {
        const SignedCheckpoint cp = log->Checkpoint();
        if (cp.size < previous.size) ++failures;
        absl::StatusOr<std::vector<std::string>> consistency =
            log->ConsistencyProof(previous.size, cp.size);
        if (!consistency.ok() || !VerifyConsistency(previous.size, cp.size, *consistency,
                                                    previous.root_hash, cp.root_hash)
                                      .ok()) {
          ++failures;
        }
        if (cp.size > 0) {
          const uint64_t i = rng() % cp.size;
          absl::StatusOr<std::string> entry = log->Entry(i);
          absl::StatusOr<std::vector<std::string>> proof = log->InclusionProof(i, cp.size);
          if (!entry.ok() || !proof.ok() ||
              !VerifyInclusion(i, cp.size, LeafHash(*entry), *proof, cp.root_hash).ok()) {
            ++failures;
          }
        }
        previous = cp;
      }
    });
  }
  for (int w = 0; w < 3; ++w) threads[w].join();
  done = true;
  for (size_t t = 3; t < threads.size(); ++t) threads[t].join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log->size(), 3u * 40 * 5);
}

TEST(TransparencyLogRocksDbTest, SurvivesCloseAndReopen) {
  const ::regulation::testing::TempDir temp("transparency_log_test");
  const std::string path = temp.Path("db");
  storage::RocksDbOptions options;
  options.path = path;
  options.block_cache_bytes = 8 << 20;
  options.write_buffer_budget_bytes = 8 << 20;
  const SigningKey key = *SigningKey::Generate(kOrigin);
  SignedCheckpoint before;
  {
    auto store = storage::OpenRocksDbStore(options);
    ASSERT_OK(store);
    auto log = TransparencyLog::Open(store->get(), key);
    ASSERT_OK(log);
    for (int i = 0; i < 10; ++i) ASSERT_OK((*log)->Append(Records(i * 100, 100)));
    before = (*log)->Checkpoint();
  }
  auto store = storage::OpenRocksDbStore(options);
  ASSERT_OK(store);
  auto log = TransparencyLog::Open(store->get(), key);
  ASSERT_OK(log);
  EXPECT_EQ((*log)->Checkpoint().note, before.note);
  const std::vector<std::string> all = Records(0, 1000);
  absl::StatusOr<std::vector<std::string>> proof = (*log)->InclusionProof(777, 1000);
  ASSERT_OK(proof);
  EXPECT_OK(VerifyInclusion(777, 1000, LeafHash(all[777]), *proof, before.root_hash));
}

}  // namespace
}  // namespace regulation::disclosure
