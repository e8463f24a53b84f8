// Portrait states as derived state (live_portraits.h): recovered by replaying the events
// after the last checkpoint when a crash comes between an event's write and the
// checkpoint; the repeat filter's false positives still decided by the store; the memory
// budget respected by writing back and dropping states.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/live_portraits.h"
#include "services/portrait/portrait_reader.h"
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

using ::regulation::testing::MakeEnterprise;
using ::regulation::testing::StatusIs;

constexpr int64_t kDay = int64_t{86400} * 1000000;
constexpr int kEnterprises = 20;

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

EventIngestor::Options ByHand() {
  EventIngestor::Options options;
  options.portraits.checkpoint_interval = absl::ZeroDuration();  // no background writer
  return options;
}

class DerivedStateTest : public ::testing::Test {
 protected:
  DerivedStateTest()
      : base_(storage::NewMemoryStore()),
        store_(base_.get()),
        clock_(absl::FromUnixSeconds(1790000000)),
        directory_(&store_, &clock_) {
    v1::BatchUpsertEnterprisesRequest batch;
    for (int i = 0; i < kEnterprises; ++i) *batch.add_enterprises() = MakeEnterprise("330106", i);
    EXPECT_OK(directory_.BatchUpsert(Operator(), batch));
  }

  // Event `n`: a penalty of enterprise n % kEnterprises, n days ago.
  v1::Event Penalty(int n, int64_t amount = 1000) {
    v1::Event e;
    e.set_event_id(absl::StrCat("p-", n));
    e.set_source_department("samr");
    e.set_credit_code(testing::MakeCreditCode("330106", n % kEnterprises));
    const int64_t micros = absl::ToUnixMicros(clock_.Now()) - (n + 1) * kDay;
    e.mutable_occur_time()->set_seconds(micros / 1000000);
    e.mutable_administrative_penalty()->set_amount_yuan(amount);
    e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
    e.mutable_administrative_penalty()->set_legal_basis("《广告法》第五十五条");
    return e;
  }

  // Ingests events [first, last) in one batch through `ingestor`.
  IngestOutcome Ingest(EventIngestor& ingestor, int first, int last) {
    std::vector<v1::Event> events;
    for (int n = first; n < last; ++n) events.push_back(Penalty(n));
    std::vector<const v1::Event*> pointers;
    for (const v1::Event& e : events) pointers.push_back(&e);
    absl::StatusOr<IngestOutcome> outcome = ingestor.Ingest(Operator(), pointers, false);
    EXPECT_OK(outcome);
    return outcome.value_or(IngestOutcome());
  }

  // Every enterprise's kept state equals the one recomputed from its stored events.
  void ExpectStatesMatchHistory(PortraitReader& reader) {
    for (int i = 0; i < kEnterprises; ++i) {
      const std::string code = testing::MakeCreditCode("330106", i);
      absl::StatusOr<internal::PortraitState> kept = reader.StoredState(code);
      absl::StatusOr<internal::PortraitState> history =
          reader.StateFromHistory(code, absl::ToUnixMicros(clock_.Now()));
      ASSERT_OK(kept);
      ASSERT_OK(history);
      EXPECT_EQ(kept->SerializeAsString(), history->SerializeAsString()) << code;
    }
  }

  int64_t StoredEventCount(absl::string_view code) {
    absl::StatusOr<internal::PortraitState> stored = PortraitStates(base_.get()).Get(code);
    return stored.ok() ? stored->event_count() : 0;
  }

  // The process started again after a crash (faults cleared): a new ingestor, recovered.
  std::unique_ptr<EventIngestor> Restart() {
    store_.ClearFaults();
    auto ingestor = std::make_unique<EventIngestor>(&store_, &clock_, ByHand());
    EXPECT_OK(ingestor->Start());
    return ingestor;
  }

  // Writes every enterprise's stored state back as `rewrite` changes it (what another
  // build could have left), straight into the base store.
  void RewriteStoredStates(
      const std::function<void(const std::string& code, internal::PortraitState*)>& rewrite) {
    storage::WriteBatch batch;
    for (int i = 0; i < kEnterprises; ++i) {
      const std::string code = testing::MakeCreditCode("330106", i);
      absl::StatusOr<internal::PortraitState> stored = PortraitStates(base_.get()).Get(code);
      ASSERT_OK(stored);
      rewrite(code, &*stored);
      batch.Put(storage::ColumnFamily::kPortraits, code, stored->SerializeAsString());
    }
    ASSERT_OK(base_->Write(batch, storage::WriteOptions()));
  }

  // After a restart, every state was recomputed from its whole history, and is exact.
  void ExpectEveryStateRebuiltAfterARestart() {
    std::unique_ptr<EventIngestor> restarted = Restart();
    PortraitReader reader(&store_, &directory_, &clock_, restarted->portraits());
    EXPECT_EQ(restarted->portraits()->stats().rebuilt_states, kEnterprises);
    EXPECT_EQ(restarted->portraits()->stats().replayed_events, 0);
    ExpectStatesMatchHistory(reader);
  }

  std::unique_ptr<storage::KvStore> base_;
  testing::FaultInjectionStore store_;
  FakeClock clock_;
  EnterpriseDirectory directory_;
};

// The process dies here: no later write reaches the store.
void CrashHere(testing::FaultInjectionStore& store) { store.FailWritesFrom(1); }

// A crash after events were written but before their states were checkpointed: the
// stored states lag, the ingest log names the enterprises, and a new ingestor rebuilds
// them from the events.
TEST_F(DerivedStateTest, RecoversStatesByReplayingEventsAfterTheCheckpoint) {
  const std::string code0 = testing::MakeCreditCode("330106", 0);
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    EXPECT_EQ(StoredEventCount(code0), 2);  // events 0 and 20
    EXPECT_EQ(Ingest(ingestor, 40, 100).applied, 60);
    EXPECT_EQ(ingestor.portraits()->stats().dirty_states, kEnterprises);
    // The process dies: nothing more is written, not even the ingestor's own final
    // write-back on destruction.
    CrashHere(store_);
    EXPECT_THAT(ingestor.portraits()->Checkpoint(), StatusIs(absl::StatusCode::kInternal));
    PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
    EXPECT_EQ(reader.StoredState(code0)->event_count(), 5);  // read through memory
  }
  store_.ClearFaults();
  EXPECT_EQ(StoredEventCount(code0), 2);  // the store lags: what a crash leaves

  EventIngestor restarted(&store_, &clock_, ByHand());
  PortraitReader reader(&store_, &directory_, &clock_, restarted.portraits());
  ASSERT_OK(restarted.Start());
  EXPECT_EQ(restarted.portraits()->stats().recovered_states, kEnterprises);
  // Only the 60 events after the checkpoint are read and folded, not whole histories.
  EXPECT_EQ(restarted.portraits()->stats().replayed_events, 60);
  EXPECT_EQ(restarted.portraits()->stats().rebuilt_states, 0);
  EXPECT_EQ(StoredEventCount(code0), 5);  // brought up to date and written back
  ExpectStatesMatchHistory(reader);
  // The log was consumed; ingestion continues from the recovered states.
  EXPECT_EQ(Ingest(restarted, 100, 120).items[0].portrait_version, 6);
  // Replays from before the crash are still duplicates (the filter was refilled).
  EXPECT_EQ(Ingest(restarted, 50, 60).duplicates, 10);
  ASSERT_OK(restarted.portraits()->Checkpoint());
  EXPECT_EQ(StoredEventCount(code0), 6);
  ExpectStatesMatchHistory(reader);
}

// A checkpoint writes its states past the write-ahead log, so it may record its
// sequence only once a flush made them durable: after a power loss (every write not
// yet durable undone) the stored states are exactly as current as the checkpoint says.
TEST_F(DerivedStateTest, ACheckpointSurvivesAPowerLoss) {
  const std::string code0 = testing::MakeCreditCode("330106", 0);
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    EXPECT_EQ(Ingest(ingestor, 40, 60).applied, 20);
    store_.DropUnsyncedWrites();
    CrashHere(store_);
  }
  EXPECT_EQ(StoredEventCount(code0), 2);  // what the checkpoint wrote: events 0 and 20
  std::unique_ptr<EventIngestor> restarted = Restart();
  PortraitReader reader(&store_, &directory_, &clock_, restarted->portraits());
  EXPECT_EQ(restarted->portraits()->stats().replayed_events, 20);
  EXPECT_EQ(restarted->portraits()->stats().rebuilt_states, 0);
  ExpectStatesMatchHistory(reader);
  EXPECT_EQ(StoredEventCount(code0), 3);
}

// An event that replaces one already folded (a corrected result, CommitDerived with the
// same id and other content) cannot be replayed onto the stored state, which still
// counts the replaced event: recovery recomputes that state from its whole history.
TEST_F(DerivedStateTest, ASupersedingEventAfterTheCheckpointIsRecoveredFromTheHistory) {
  const std::string code = testing::MakeCreditCode("330106", 5);
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
    storage::WriteBatch none;
    ASSERT_OK(ingestor.CommitDerived(Penalty(5, 1000), &none).status());  // a duplicate
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    storage::WriteBatch corrected;
    absl::StatusOr<IngestOutcome::Kind> kind = ingestor.CommitDerived(Penalty(5, 7), &corrected);
    ASSERT_OK(kind);
    EXPECT_EQ(*kind, IngestOutcome::Kind::kApplied);
    EXPECT_EQ(Ingest(ingestor, 40, 60).applied, 20);
    CrashHere(store_);
  }
  std::unique_ptr<EventIngestor> restarted = Restart();
  PortraitReader reader(&store_, &directory_, &clock_, restarted->portraits());
  const LivePortraits::Stats stats = restarted->portraits()->stats();
  EXPECT_EQ(stats.recovered_states, kEnterprises);
  EXPECT_EQ(stats.rebuilt_states, 1);
  EXPECT_EQ(stats.replayed_events, 20 - 1);  // enterprise 5's event 45 is in its history
  ExpectStatesMatchHistory(reader);
  EXPECT_EQ(reader.StoredState(code)->event_count(), 3);  // events 5 (corrected), 25, 45
}

// A build unaware of the ingest mark keeps it as it was (protobuf keeps unknown fields)
// while it folds more events in: here one that wrote states ahead of its checkpoint and
// then died. Their marks name an older sequence; trusting it would count events 40-59
// twice. Their event counts no longer match the mark, so recovery recomputes them.
TEST_F(DerivedStateTest, StatesAnUnawareBuildFoldedIntoAreRecoveredFromTheHistory) {
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    EXPECT_EQ(Ingest(ingestor, 40, 60).applied, 20);
    RewriteStoredStates([this](const std::string& code, internal::PortraitState* stored) {
      absl::StatusOr<internal::PortraitState> current = StateFromEvents(base_.get(), code);
      ASSERT_OK(current);
      current->set_ingest_sequence(stored->ingest_sequence());  // kept as it was
      current->set_ingest_event_count(stored->ingest_event_count());
      *stored = *std::move(current);
    });
    CrashHere(store_);
  }
  ExpectEveryStateRebuiltAfterARestart();
}

// States a build before recorded sequences wrote (ingest_sequence 0) do not say which
// logged events they include: recovery recomputes them from their whole history.
TEST_F(DerivedStateTest, StatesWithoutASequenceAreRecoveredFromTheHistory) {
  {
    EventIngestor ingestor(&store_, &clock_, ByHand());
    EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
    ASSERT_OK(ingestor.portraits()->Checkpoint());
    RewriteStoredStates([](const std::string&, internal::PortraitState* stored) {
      ASSERT_GT(stored->ingest_sequence(), 0);
      ClearIngestMark(stored);
    });
    EXPECT_EQ(Ingest(ingestor, 40, 60).applied, 20);
    CrashHere(store_);
  }
  ExpectEveryStateRebuiltAfterARestart();
}

// A filter that answers "maybe" for nearly every id (64 bits for 150 ids): each new id is
// a false positive, read from the store, found absent and applied; real repeats are
// still duplicates, and reuse with other content still refused.
TEST_F(DerivedStateTest, FilterFalsePositivesAreDecidedByTheStore) {
  EventIngestor::Options options = ByHand();
  options.expected_event_ids = 1;
  options.filter_bits_per_id = 1;
  EventIngestor ingestor(&store_, &clock_, options);
  EXPECT_EQ(Ingest(ingestor, 0, 50).applied, 50);
  EXPECT_EQ(Ingest(ingestor, 50, 100).applied, 50);
  EXPECT_EQ(Ingest(ingestor, 100, 150).applied, 50);
  const EventIngestor::FilterStats stats = ingestor.filter_stats();
  EXPECT_GT(stats.false_positives, 50);
  EXPECT_EQ(stats.false_positives, stats.possible_repeats);  // no real repeat yet

  EXPECT_EQ(Ingest(ingestor, 0, 150).duplicates, 150);
  v1::Event changed = Penalty(7, 2);
  const v1::Event* pointer = &changed;
  absl::StatusOr<IngestOutcome> reused =
      ingestor.Ingest(Operator(), absl::MakeConstSpan(&pointer, 1), true);
  ASSERT_OK(reused);
  EXPECT_THAT(reused->items[0].status, StatusIs(absl::StatusCode::kAlreadyExists));
  PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
  ExpectStatesMatchHistory(reader);
}

// A budget of a few states: every commit over it writes the states back and drops
// them, resident memory stays within the budget after each commit, and reads of dropped
// states come from the store, exact.
TEST_F(DerivedStateTest, MemoryBudgetIsRespectedByWritingBackAndDropping) {
  EventIngestor::Options options = ByHand();
  options.portraits.budget_bytes = 1000;  // below the ten states one commit publishes
  EventIngestor ingestor(&store_, &clock_, options);
  PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
  for (int first = 0; first < 200; first += 10) {
    EXPECT_EQ(Ingest(ingestor, first, first + 10).applied, 10);
    const LivePortraits::Stats stats = ingestor.portraits()->stats();
    EXPECT_LE(stats.resident_bytes, options.portraits.budget_bytes) << "after " << first;
    EXPECT_EQ(stats.dirty_states, 0);
  }
  const LivePortraits::Stats stats = ingestor.portraits()->stats();
  EXPECT_GT(stats.checkpoints, 0);
  EXPECT_GT(stats.evicted_states, kEnterprises);
  EXPECT_LT(stats.resident_states, kEnterprises);
  ExpectStatesMatchHistory(reader);
  for (int i = 0; i < kEnterprises; ++i) {
    EXPECT_EQ(StoredEventCount(testing::MakeCreditCode("330106", i)), 10);
  }
}

// Without a budget problem states stay in memory, ahead of the store, until written
// back: what readers that scan the store (ScoreAll) call first.
TEST_F(DerivedStateTest, WriteBackBringsTheStoreUpToDate) {
  EventIngestor ingestor(&store_, &clock_, ByHand());
  PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
  EXPECT_EQ(Ingest(ingestor, 0, 20).applied, 20);
  const std::string code = testing::MakeCreditCode("330106", 3);
  EXPECT_EQ(reader.StoredState(code)->event_count(), 1);
  EXPECT_EQ(StoredEventCount(code), 0);
  ASSERT_OK(reader.WriteBackStates());
  EXPECT_EQ(StoredEventCount(code), 1);
  EXPECT_EQ(ingestor.portraits()->stats().dirty_states, 0);
}

// A commit folds its events into the kept states before its write: when the write
// fails, the states must forget them (rebuilt from the stored events), so that neither
// readers nor the retried commit count an event that was never stored.
TEST_F(DerivedStateTest, AFailedWriteLeavesNoTraceInTheKeptStates) {
  EventIngestor ingestor(&store_, &clock_, ByHand());
  PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
  const std::string code0 = testing::MakeCreditCode("330106", 0);
  EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
  store_.FailNthWrite(1);
  std::vector<v1::Event> events;
  for (int n = 40; n < 60; ++n) events.push_back(Penalty(n));
  std::vector<const v1::Event*> pointers;
  for (const v1::Event& e : events) pointers.push_back(&e);
  EXPECT_THAT(ingestor.Ingest(Operator(), pointers, false).status(),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(reader.StoredState(code0)->event_count(), 2);
  // The retry applies them once.
  EXPECT_EQ(Ingest(ingestor, 40, 60).items[0].portrait_version, 3);
  ASSERT_OK(ingestor.portraits()->Checkpoint());
  EXPECT_EQ(StoredEventCount(code0), 3);
  ExpectStatesMatchHistory(reader);
}

// The same, when the store cannot be read either as the write fails, so that the states
// cannot be rebuilt at once: they are marked stale, read from the events while so, and
// rebuilt before the next commit folds into them.
TEST_F(DerivedStateTest, StatesNotRebuiltAfterAFailedWriteAreRebuiltBeforeUse) {
  EventIngestor ingestor(&store_, &clock_, ByHand());
  PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
  const std::string code0 = testing::MakeCreditCode("330106", 0);
  EXPECT_EQ(Ingest(ingestor, 0, 40).applied, 40);
  std::vector<v1::Event> events;
  for (int n = 40; n < 60; ++n) events.push_back(Penalty(n));
  std::vector<const v1::Event*> pointers;
  for (const v1::Event& e : events) pointers.push_back(&e);
  const EventIngestor::BatchWriter failing = [this](storage::WriteBatch, const storage::WriteOptions&,
                                                   int64_t) {
    store_.FailReads(true);
    return absl::UnavailableError("disk gone");
  };
  EXPECT_THAT(ingestor.Ingest(Operator(), pointers, false, failing).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(reader.StoredState(code0).ok());  // neither memory nor the store answers
  store_.ClearFaults();
  EXPECT_EQ(reader.StoredState(code0)->event_count(), 2);  // from the events
  EXPECT_EQ(Ingest(ingestor, 40, 60).items[0].portrait_version, 3);
  ASSERT_OK(ingestor.portraits()->Checkpoint());
  EXPECT_EQ(StoredEventCount(code0), 3);
  ExpectStatesMatchHistory(reader);
}

// While a commit holds a state (between its fold and its write), a reader of that state
// and a checkpoint wait: neither sees nor writes back events not yet stored.
TEST_F(DerivedStateTest, ReadersWaitForAnOpenFoldAndCheckpointsDoNotWriteIt) {
  LivePortraits::Options options;
  options.checkpoint_interval = absl::ZeroDuration();
  LivePortraits portraits(&store_, options);
  const std::string code = testing::MakeCreditCode("330106", 1);
  absl::StatusOr<LivePortraits::Fold> fold = portraits.BeginFold({code});
  ASSERT_OK(fold);
  fold->states()[0]->set_event_count(7);
  fold->MarkChanged(0);
  std::atomic<int64_t> read{-1};
  std::thread reader([&] {
    absl::StatusOr<internal::PortraitState> state = portraits.Get(code);
    read = state.ok() ? state->event_count() : -2;
  });
  // Nothing is published yet: a checkpoint has nothing to write, and does not write the
  // state being folded into.
  ASSERT_OK(portraits.Checkpoint());
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(read.load(), -1);
  EXPECT_EQ(StoredEventCount(code), 0);
  const int64_t sequence = portraits.NextSequence();
  fold->Publish(sequence);
  reader.join();
  EXPECT_EQ(read.load(), 7);
  ASSERT_OK(portraits.Checkpoint());
  EXPECT_EQ(StoredEventCount(code), 7);
  EXPECT_EQ(portraits.stats().checkpointed_sequence, sequence);
}

// A checkpoint encodes its states between folds, each marked with the commits it
// includes then: one a fold held while the checkpoint began is written once that fold
// is published, with the later mark, while the recorded checkpoint stays where it began.
TEST_F(DerivedStateTest, ACheckpointWaitsForAFoldIntoAStateItWritesAndMarksItLater) {
  LivePortraits::Options options;
  options.checkpoint_interval = absl::ZeroDuration();
  LivePortraits portraits(&store_, options);
  const std::string code = testing::MakeCreditCode("330106", 1);
  const auto fold_to = [&](int64_t count) {
    absl::StatusOr<LivePortraits::Fold> fold = portraits.BeginFold({code});
    EXPECT_OK(fold);
    fold->states()[0]->set_event_count(count);
    fold->MarkChanged(0);
    return std::move(fold).value();
  };
  LivePortraits::Fold first = fold_to(3);
  const int64_t first_sequence = portraits.NextSequence();
  first.Publish(first_sequence);  // listed for the checkpoint

  LivePortraits::Fold second = fold_to(7);
  std::atomic<bool> checkpointed{false};
  std::thread writer([&] { checkpointed = portraits.Checkpoint().ok(); });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_FALSE(checkpointed.load());  // its chunk waits for the open fold
  EXPECT_EQ(StoredEventCount(code), 0);
  const int64_t second_sequence = portraits.NextSequence();
  second.Publish(second_sequence);
  writer.join();
  EXPECT_TRUE(checkpointed.load());

  absl::StatusOr<std::string> stored = store_.Get(storage::ColumnFamily::kPortraits, code);
  ASSERT_OK(stored);
  internal::PortraitState state;
  ASSERT_TRUE(state.ParseFromString(*stored));
  EXPECT_EQ(state.event_count(), 7);
  EXPECT_EQ(state.ingest_sequence(), second_sequence);
  EXPECT_EQ(portraits.stats().checkpointed_sequence, first_sequence);
}

// Commits, readers and the background checkpoint writer all at once (run under TSan by
// `tools/test --tsan`): each reader sees every state's version only grow, and in the
// end the kept and the stored states equal the events'.
TEST_F(DerivedStateTest, CommitsReadersAndCheckpointsRunTogether) {
  EventIngestor::Options options;
  options.portraits.checkpoint_interval = absl::Milliseconds(1);
  options.portraits.checkpoint_batch_states = 4;
  EventIngestor ingestor(&store_, &clock_, options);
  PortraitReader reader(&store_, &directory_, &clock_, ingestor.portraits());
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      std::vector<int64_t> seen(kEnterprises, 0);
      for (int k = 0; !done.load(); ++k) {
        const int i = (k * 7 + r) % kEnterprises;
        absl::StatusOr<internal::PortraitState> state =
            ingestor.portraits()->Get(testing::MakeCreditCode("330106", i));
        ASSERT_OK(state);
        EXPECT_GE(state->event_count(), seen[i]);
        seen[i] = state->event_count();
      }
    });
  }
  for (int first = 0; first < 400; first += 10) EXPECT_EQ(Ingest(ingestor, first, first + 10).applied, 10);
  done = true;
  for (std::thread& t : readers) t.join();
  ASSERT_OK(ingestor.portraits()->Checkpoint());
  EXPECT_EQ(StoredEventCount(testing::MakeCreditCode("330106", 0)), 20);
  ExpectStatesMatchHistory(reader);
}

}  // namespace
}  // namespace regulation::services
