#include "services/backup/log_fence.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "disclosure/checkpoint.h"
#include "gtest/gtest.h"
#include "regulation/v1/audit_service.pb.h"
#include "services/audit/audit_log.h"
#include "services/backup/fence_decision.h"
#include "services/telemetry/observed_sinks.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::backup {
namespace {

using ::regulation::testing::StatusIs;

constexpr char kOrigin[] = "regulation.test/fence";

disclosure::SigningKey Key() {
  static const disclosure::SigningKey* key =
      new disclosure::SigningKey(*disclosure::SigningKey::Generate(kOrigin));
  return *key;
}

// A log over its own store holding `entries`, signed with Key().
struct TestLog {
  explicit TestLog(const std::vector<std::string>& entries, disclosure::SigningKey key = Key())
      : store(storage::NewMemoryStore()) {
    log = *disclosure::TransparencyLog::Open(store.get(), key);
    if (!entries.empty()) {
      EXPECT_OK(log->Append(entries));
    }
  }
  // The log's checkpoint note at `size`.
  std::string NoteAt(uint64_t size, const disclosure::SigningKey& key = Key()) const {
    absl::StatusOr<disclosure::SignedCheckpoint> cp =
        disclosure::SignCheckpoint(kOrigin, size, *log->RootHash(size), key);
    EXPECT_OK(cp);
    return cp->note;
  }
  std::unique_ptr<storage::KvStore> store;
  std::unique_ptr<disclosure::TransparencyLog> log;
};

const std::vector<std::string> kThree = {"record 1", "record 2", "record 3"};
const std::vector<std::string> kFive = {"record 1", "record 2", "record 3", "record 4", "record 5"};

TEST(CheckPublished, AnOlderPublishedTreeThatTheLogExtendsIsConsistent) {
  TestLog log(kThree);
  absl::StatusOr<PublishedCheck> check = CheckPublished(*log.log, log.NoteAt(2));
  ASSERT_OK(check);
  EXPECT_TRUE(check->consistent);
  EXPECT_EQ(check->published_size, 2u);
  EXPECT_TRUE(CheckPublished(*log.log, log.NoteAt(3))->consistent);
}

TEST(CheckPublished, ALogOlderThanThePublishedTreeMustNotSign) {
  TestLog restored(kThree);
  TestLog published(kFive);
  absl::StatusOr<PublishedCheck> check = CheckPublished(*restored.log, published.NoteAt(5));
  ASSERT_OK(check);
  EXPECT_FALSE(check->consistent);
  EXPECT_NE(check->why.find("holds 3 entries but a checkpoint of 5 was published"),
            std::string::npos)
      << check->why;
}

TEST(CheckPublished, ALogThatDisagreesWithThePublishedTreeHasForked) {
  TestLog restored(kThree);
  TestLog other({"record 1", "record 2", "another record 3"});
  absl::StatusOr<PublishedCheck> check = CheckPublished(*restored.log, other.NoteAt(3));
  ASSERT_OK(check);
  EXPECT_FALSE(check->consistent);
  EXPECT_NE(check->why.find("forked"), std::string::npos) << check->why;
}

TEST(CheckPublished, ACheckpointOfAnotherLogIsInvalidArgument) {
  TestLog log(kThree);
  const disclosure::SigningKey stranger = *disclosure::SigningKey::Generate(kOrigin);
  EXPECT_THAT(CheckPublished(*log.log, log.NoteAt(2, stranger)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckPublished(*log.log, "not a note"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FencedLogWriter, RefusesEveryAppendAsAFenceAndPassesReads) {
  TestLog log(kThree);
  FencedLogWriter fenced(disclosure::WriterFor(log.log.get()), "restored from an old backup");
  const std::vector<std::string> entry = {"record 4"};
  absl::StatusOr<std::vector<uint64_t>> appended = fenced.Append(entry);
  EXPECT_THAT(appended, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(telemetry::IsFenced(appended.status()));
  EXPECT_NE(appended.status().message().find("restored from an old backup"), std::string::npos);
  EXPECT_EQ(fenced.size(), 3u);
  EXPECT_EQ(*fenced.Entry(1), "record 2");
  EXPECT_EQ(log.log->size(), 3u);
  EXPECT_OK(fenced.Append({}));
}

class DecideLogFenceTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::optional<std::string>> Decide(const std::string& published,
                                                    bool accept = false,
                                                    const std::string& restored = "") {
    FenceOptions options;
    options.data_dir = data_dir_;
    options.published_checkpoint = published;
    options.restored_from_checkpoint = restored;
    options.accept_fork_risk = accept;
    return DecideLogFence(restored_.store.get(), Key(), options);
  }
  bool FenceFileExists() const {
    return std::filesystem::exists(std::filesystem::path(data_dir_) / kFenceFile);
  }

  std::string data_dir_ = testing::NewTempDir();
  TestLog restored_{kThree};
  TestLog published_{kFive};
};

TEST_F(DecideLogFenceTest, NothingPublishedOrAConsistentCheckpointLetsTheLogSign) {
  EXPECT_EQ(*Decide(""), std::nullopt);
  EXPECT_EQ(*Decide(restored_.NoteAt(2)), std::nullopt);
  EXPECT_FALSE(FenceFileExists());
}

TEST_F(DecideLogFenceTest, TheFenceOutlivesARestartUntilTheRiskIsAcceptedInTheAuditTrail) {
  absl::StatusOr<std::optional<std::string>> fenced = Decide(published_.NoteAt(5));
  ASSERT_OK(fenced);
  ASSERT_TRUE(fenced->has_value());
  EXPECT_TRUE(FenceFileExists());
  // A restart without the published checkpoint: the fence file keeps it.
  fenced = Decide("");
  ASSERT_OK(fenced);
  EXPECT_TRUE(fenced->has_value());

  absl::StatusOr<std::optional<std::string>> accepted = Decide("", /*accept=*/true);
  ASSERT_OK(accepted);
  EXPECT_EQ(*accepted, std::nullopt);
  EXPECT_FALSE(FenceFileExists());
  std::unique_ptr<audit::AuditLog> audit =
      *audit::AuditLog::Open(restored_.store.get(), RealClock());
  v1::ListAuditRecordsRequest request;
  absl::StatusOr<v1::ListAuditRecordsResponse> records = audit->List(request);
  ASSERT_OK(records);
  ASSERT_EQ(records->records_size(), 1);
  const v1::AuditRecord& record = records->records(0);
  EXPECT_EQ(record.method(), "regulatord/AcceptLogForkRisk");
  EXPECT_EQ(record.request_digest(), Sha256(published_.NoteAt(5)));
  EXPECT_FALSE(record.request_id().empty());
  EXPECT_NE(record.caller_subject().find("--accept_log_fork_risk"), std::string::npos);
}

TEST_F(DecideLogFenceTest, ARestoredLogThatDoesNotHoldItsBackupsCheckpointIsDataLoss) {
  EXPECT_EQ(*Decide("", false, restored_.NoteAt(3)), std::nullopt);
  EXPECT_THAT(Decide("", false, published_.NoteAt(5)), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(DecideLogFenceTest, APublishedCheckpointOfAnotherLogIsRefused) {
  const disclosure::SigningKey key = *disclosure::SigningKey::Generate(kOrigin);
  TestLog stranger(kThree, key);
  EXPECT_THAT(Decide(stranger.NoteAt(3, key)), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::backup
