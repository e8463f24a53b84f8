// The feature snapshot (feature_rows.h) kept in step with every writer: ingestion's
// checkpoints, crash recovery, enterprise imports and updates; a directory from before
// the rows backfilled at start; the consistency check finding a stale row.

#include "services/portrait/feature_rows.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/feature_row.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_states.h"
#include "services/portrait/state_from_events.h"
#include "services/portrait/state_replay.h"
#include "storage/memory_store.h"
#include "testing/fault_injection_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

using ::regulation::testing::MakeCreditCode;
using ::regulation::testing::MakeEnterprise;
using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kDay = int64_t{86400} * 1000000;
constexpr int kEnterprises = 12;

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

EventIngestor::Options ByHand() {
  EventIngestor::Options options;
  options.portraits.checkpoint_interval = absl::ZeroDuration();
  return options;
}

class FeatureRowsTest : public ::testing::Test {
 protected:
  FeatureRowsTest()
      : base_(storage::NewMemoryStore()),
        store_(base_.get()),
        clock_(absl::FromUnixSeconds(1790000000)),
        directory_(&store_, &clock_) {}

  void Upsert(int first, int last, int64_t capital = 0) {
    v1::BatchUpsertEnterprisesRequest batch;
    for (int i = first; i < last; ++i) {
      v1::Enterprise e = MakeEnterprise("330106", i);
      if (capital > 0) e.set_registered_capital_yuan(capital);
      *batch.add_enterprises() = e;
    }
    ASSERT_OK(directory_.BatchUpsert(Operator(), batch));
  }

  // Event `n` for enterprise n % kEnterprises, n days ago: penalties with amounts, list
  // changes and capital reports in turn.
  v1::Event Event(int n) {
    v1::Event e;
    e.set_event_id(absl::StrCat("e-", n));
    e.set_source_department("samr");
    e.set_credit_code(MakeCreditCode("330106", n % kEnterprises));
    const int64_t micros = absl::ToUnixMicros(clock_.Now()) - (n + 1) * kDay;
    e.mutable_occur_time()->set_seconds(micros / 1000000);
    switch (n % 3) {
      case 0:
        e.mutable_administrative_penalty()->set_amount_yuan(1000 + n);
        e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
        e.mutable_administrative_penalty()->set_legal_basis("《广告法》第五十五条");
        break;
      case 1:
        e.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_ADDED);
        e.mutable_abnormal_operation()->set_reason("未按期公示年报");
        break;
      default:
        e.mutable_registration_change()->set_item("注册资本");
        e.mutable_registration_change()->set_new_capital_yuan(5000000 + n);
        break;
    }
    return e;
  }

  void Ingest(EventIngestor& ingestor, int first, int last) {
    std::vector<v1::Event> events;
    for (int n = first; n < last; ++n) events.push_back(Event(n));
    std::vector<const v1::Event*> pointers;
    for (const v1::Event& e : events) pointers.push_back(&e);
    absl::StatusOr<IngestOutcome> outcome = ingestor.Ingest(Operator(), pointers, false);
    ASSERT_OK(outcome);
    EXPECT_EQ(outcome->applied, last - first);
  }

  // Every row equals the one derived from the stored enterprise and state.
  void ExpectRowsConsistent(int enterprises) {
    absl::StatusOr<FeatureRowCheck> check = CheckFeatureRows(base_.get());
    ASSERT_OK(check);
    EXPECT_EQ(check->checked, enterprises);
    EXPECT_THAT(check->differing, IsEmpty());
  }

  std::string StoredRow(int serial) {
    return base_->Get(storage::ColumnFamily::kFeatureRows, MakeCreditCode("330106", serial))
        .value_or("");
  }

  std::unique_ptr<storage::KvStore> base_;
  testing::FaultInjectionStore store_;
  FakeClock clock_;
  EnterpriseDirectory directory_;
};

TEST_F(FeatureRowsTest, IngestionCheckpointsCrashRecoveryAndUpdatesKeepEveryRow) {
  Upsert(0, kEnterprises);
  ExpectRowsConsistent(kEnterprises);  // imported: rows with empty states
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    ASSERT_OK(ingestor.Start());
    ASSERT_OK(FeatureRowsComplete(&store_).status());
    EXPECT_TRUE(*FeatureRowsComplete(&store_));
    Ingest(ingestor, 0, 30);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    ExpectRowsConsistent(kEnterprises);
    const std::string before_crash = StoredRow(0);
    Ingest(ingestor, 30, 60);
    // A crash: from here nothing is written (no checkpoint batch, rows included).
    store_.FailWritesFrom(1);
    EXPECT_THAT(ingestor.portraits()->Checkpoint(), StatusIs(absl::StatusCode::kInternal));
    EXPECT_EQ(StoredRow(0), before_crash);
    ExpectRowsConsistent(kEnterprises);  // state and row still agree: both lag
  }
  store_.ClearFaults();
  EventIngestor restarted(&store_, &clock_, ByHand());
  ASSERT_OK(restarted.Start());  // recovery rebuilds the states, and their rows
  EXPECT_EQ(restarted.portraits()->stats().recovered_states, kEnterprises);
  ExpectRowsConsistent(kEnterprises);

  // An update of the enterprise (its capital) while its state is only in memory, then
  // the state's checkpoint: the row follows both.
  Ingest(restarted, 60, 66);
  const std::string before_update = StoredRow(1);
  Upsert(0, 3, 777000);
  EXPECT_NE(StoredRow(1), before_update);
  ExpectRowsConsistent(kEnterprises);
  ASSERT_OK(restarted.portraits()->Checkpoint());
  ExpectRowsConsistent(kEnterprises);
  // New enterprises get rows too.
  Upsert(kEnterprises, kEnterprises + 2);
  ExpectRowsConsistent(kEnterprises + 2);
}

// A checkpoint of many states writes them in several batches (3 states each here), the
// checkpoint's sequence in the last. A crash between batches leaves some states and rows
// written ahead of the recorded checkpoint, and recovery brings them all up to date. The
// batches bypass the write-ahead log and the two families are flushed one after the
// other, so a crash can also keep a state written ahead but lose its row: recovery
// rewrites the row of every state the log names, even one already current.
TEST_F(FeatureRowsTest, ACheckpointInSeveralBatchesSurvivesACrashBetweenThem) {
  Upsert(0, kEnterprises);
  EventIngestor::Options options = ByHand();
  options.portraits.checkpoint_batch_states = 3;
  const std::string first = MakeCreditCode("330106", 0);
  {
    EventIngestor ingestor(&store_, &clock_, options);
    ASSERT_OK(ingestor.Start());
    Ingest(ingestor, 0, 30);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    ExpectRowsConsistent(kEnterprises);
    EXPECT_EQ(PortraitStates(base_.get()).Get(first)->event_count(), 3);
    const std::string first_row = StoredRow(0);
    Ingest(ingestor, 30, 60);
    // The first two batches are written; the third and every later write fail.
    store_.FailWritesFrom(3);
    EXPECT_THAT(ingestor.portraits()->Checkpoint(), StatusIs(absl::StatusCode::kInternal));
    ExpectRowsConsistent(kEnterprises);
    EXPECT_EQ(PortraitStates(base_.get()).Get(first)->event_count(), 5);  // ahead
    // The state's family was flushed, the row's was not.
    storage::WriteBatch lost;
    lost.Put(storage::ColumnFamily::kFeatureRows, first, first_row);
    ASSERT_OK(base_->Write(lost, storage::WriteOptions()));
  }
  store_.ClearFaults();
  EventIngestor restarted(&store_, &clock_, options);
  ASSERT_OK(restarted.Start());
  EXPECT_EQ(restarted.portraits()->stats().recovered_states, kEnterprises);
  // Events 30-59: two each for codes 0-5, three each for 6-11. The six states written
  // ahead (codes 0-5, the first two batches) already include theirs: each state records
  // the log sequence it includes, and recovery folds in only what comes after it.
  EXPECT_EQ(restarted.portraits()->stats().replayed_events, 6 * 3);
  EXPECT_EQ(restarted.portraits()->stats().rebuilt_states, 0);
  ExpectRowsConsistent(kEnterprises);
  for (int i = 0; i < kEnterprises; ++i) {
    const std::string code = MakeCreditCode("330106", i);
    absl::StatusOr<internal::PortraitState> history = StateFromEvents(base_.get(), code);
    ASSERT_OK(history);
    absl::StatusOr<internal::PortraitState> stored = PortraitStates(base_.get()).Get(code);
    ASSERT_OK(stored);
    EXPECT_EQ(stored->ingest_sequence(), 2) << code;  // the second commit's record
    EXPECT_EQ(stored->ingest_event_count(), stored->event_count()) << code;
    ClearIngestMark(&*stored);
    EXPECT_EQ(stored->SerializeAsString(), history->SerializeAsString()) << code;
  }
}

TEST_F(FeatureRowsTest, ADirectoryFromBeforeTheRowsIsBackfilledAtStart) {
  Upsert(0, kEnterprises);
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    ASSERT_OK(ingestor.Start());
    Ingest(ingestor, 0, 40);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
  }
  // What an older build leaves: no rows, no marker.
  storage::WriteBatch old;
  for (int i = 0; i < kEnterprises; ++i) {
    old.Delete(storage::ColumnFamily::kFeatureRows, MakeCreditCode("330106", i));
  }
  old.Delete(storage::ColumnFamily::kFeatureRows, kFeatureRowsCompleteKey);
  ASSERT_OK(store_.Write(old));
  EXPECT_FALSE(*FeatureRowsComplete(&store_));
  absl::StatusOr<FeatureRowCheck> missing = CheckFeatureRows(&store_);
  ASSERT_OK(missing);
  EXPECT_EQ(missing->differing.size(), kEnterprises);

  EventIngestor restarted(&store_, &clock_, ByHand());
  ASSERT_OK(restarted.Start());
  EXPECT_TRUE(*FeatureRowsComplete(&store_));
  ExpectRowsConsistent(kEnterprises);
  // Once complete, a restart does not rebuild.
  EXPECT_EQ(*BackfillFeatureRows(&store_), 0);
}

TEST_F(FeatureRowsTest, RowsOfAnotherFormatAreRebuilt) {
  Upsert(0, 4);
  EventIngestor ingestor(&store_, &clock_, ByHand());
  ASSERT_OK(ingestor.Start());
  storage::WriteBatch newer;
  newer.Put(storage::ColumnFamily::kFeatureRows, kFeatureRowsCompleteKey, std::string(1, '\x02'));
  newer.Put(storage::ColumnFamily::kFeatureRows, MakeCreditCode("330106", 2), "\x02whatever");
  ASSERT_OK(store_.Write(newer));
  EXPECT_FALSE(*FeatureRowsComplete(&store_));
  EXPECT_EQ(*BackfillFeatureRows(&store_), 4);
  EXPECT_TRUE(*FeatureRowsComplete(&store_));
  ExpectRowsConsistent(4);
}

TEST_F(FeatureRowsTest, TheCheckNamesAStaleRowAndARowWithoutEnterprise) {
  Upsert(0, kEnterprises);
  EventIngestor ingestor(&store_, &clock_, ByHand());
  ASSERT_OK(ingestor.Start());
  Ingest(ingestor, 0, 8);
  ASSERT_OK(ingestor.portraits()->Checkpoint());
  // Enterprise 1's row as if from before its events; a row for a code with no record.
  storage::WriteBatch stale;
  stale.Put(storage::ColumnFamily::kFeatureRows, MakeCreditCode("330106", 1),
            scoring::FeatureRowOf(MakeEnterprise("330106", 1), internal::PortraitState()));
  stale.Put(storage::ColumnFamily::kFeatureRows, MakeCreditCode("330106", 99), StoredRow(0));
  ASSERT_OK(store_.Write(stale));
  absl::StatusOr<FeatureRowCheck> check = CheckFeatureRows(&store_);
  ASSERT_OK(check);
  EXPECT_EQ(check->checked, kEnterprises);
  std::vector<std::string> expected = {MakeCreditCode("330106", 1),
                                       MakeCreditCode("330106", 99)};
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> differing = check->differing;
  std::sort(differing.begin(), differing.end());
  EXPECT_EQ(differing, expected);
}

}  // namespace
}  // namespace regulation::services
