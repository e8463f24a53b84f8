#include "services/alerts/complaint_history.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/alerts/alert_rules.h"
#include "services/common/proto_time.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

using ::regulation::testing::MakeCreditCode;
using ::regulation::testing::MakeEnterprise;

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

v1::AlertRules::Complaints Rule(int count, int window_days, bool substantiated_only) {
  v1::AlertRules::Complaints rule;
  rule.set_count(count);
  rule.set_window_days(window_days);
  rule.set_substantiated_only(substantiated_only);
  return rule;
}

// Complaints ingested for real, so that the store's history and the ingestor's states are
// the ones the monitor reads.
class ComplaintHistoryTest : public ::testing::Test {
 protected:
  static constexpr int kEnterprises = 4;

  ComplaintHistoryTest() {
    v1::BatchUpsertEnterprisesRequest batch;
    for (int i = 0; i < kEnterprises; ++i) *batch.add_enterprises() = MakeEnterprise("330106", i);
    EXPECT_OK(directory_.BatchUpsert(Operator(), batch).status());
  }

  v1::Event Complaint(int serial, absl::Time when, bool substantiated) {
    v1::Event e;
    e.set_event_id(absl::StrCat("complaint-", next_id_++));
    e.set_source_department("samr");
    e.set_credit_code(MakeCreditCode("330106", serial));
    *e.mutable_occur_time() = ToProtoTimestamp(when);
    e.mutable_complaint()->set_channel("12315");
    e.mutable_complaint()->set_substantiated(substantiated);
    return e;
  }

  void Ingest(const std::vector<v1::Event>& events) {
    std::vector<const v1::Event*> ptrs;
    for (const v1::Event& e : events) ptrs.push_back(&e);
    absl::StatusOr<IngestOutcome> outcome = ingestor_.Ingest(Operator(), ptrs, false);
    ASSERT_OK(outcome);
    for (const IngestOutcome::Item& item : outcome->items) ASSERT_OK(item.status);
  }

  internal::PortraitState State(const v1::Event& event) {
    absl::StatusOr<internal::PortraitState> state =
        ingestor_.portraits()->Get(event.credit_code());
    EXPECT_OK(state);
    return state.ok() ? *state : internal::PortraitState();
  }

  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  EnterpriseDirectory directory_{store_.get(), &clock_};
  EventIngestor ingestor_{store_.get(), &clock_};
  int next_id_ = 0;
};

// Wherever the state decides, it decides as the store's history does, count included:
// random complaints over seven years (beyond the three the state keeps), many at the
// same moment, checked under rules of every shape.
TEST_F(ComplaintHistoryTest, TheStateAnswersAsTheStoredHistoryWheneverItAnswers) {
  uint64_t seed = 20261207;
  auto next = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  std::vector<v1::Event> events;
  for (int batch = 0; batch < 40; ++batch) {
    std::vector<v1::Event> this_batch;
    for (int k = 0; k < 25; ++k) {
      // Days in the last seven years; a few moments a day, so that ties are common.
      const absl::Time when = clock_.Now() - absl::Hours(24) * (1 + next(7 * 365)) -
                              absl::Hours(6) * next(3);
      this_batch.push_back(Complaint(static_cast<int>(next(kEnterprises)), when, next(3) == 0));
    }
    Ingest(this_batch);
    events.insert(events.end(), this_batch.begin(), this_batch.end());
  }
  // Dense bursts in the last months, so that thresholds are crossed inside the kept years.
  for (int k = 0; k < 200; ++k) {
    events.push_back(Complaint(static_cast<int>(next(kEnterprises)),
                               clock_.Now() - absl::Hours(24) * (1 + next(120)) -
                                   absl::Hours(6) * next(3),
                               next(2) == 0));
    Ingest({events.back()});
  }

  int decided = 0, crossed = 0, asked = 0;
  for (const v1::AlertRules::Complaints& rule :
       {Rule(1, 30, false), Rule(2, 7, false), Rule(3, 90, false), Rule(3, 90, true),
        Rule(5, 30, false), Rule(2, 400, true), Rule(4, 180, false), Rule(1, 3650, false)}) {
    for (const v1::Event& event : events) {
      if (!CountsAsComplaint(rule, event)) continue;
      ++asked;
      int from_store = -1, from_state = -1;
      ASSERT_OK_AND_ASSIGN(const bool stored,
                           ComplaintCrossedThreshold(store_.get(), rule, event, &from_store));
      const std::optional<bool> in_state =
          ComplaintCrossedThresholdInState(State(event), rule, event, &from_state);
      if (!in_state.has_value()) continue;
      ++decided;
      crossed += *in_state;
      ASSERT_EQ(*in_state, stored) << event.event_id() << " under count " << rule.count()
                                   << " in " << rule.window_days() << " days";
      if (stored) {
        EXPECT_EQ(from_state, from_store) << event.event_id();
      }
    }
  }
  // Not a vacuous comparison: the state decided most questions, crossings among them.
  EXPECT_GT(decided, asked / 3) << decided << " of " << asked;
  EXPECT_GT(crossed, 20);
}

TEST_F(ComplaintHistoryTest, TheStateLeavesToTheStoreWhatItCannotOrderOrDoesNotKeep) {
  const absl::Time now = clock_.Now();
  const absl::Duration day = absl::Hours(24);
  const v1::Event first = Complaint(0, now - 2 * day, false);
  const v1::Event twin = Complaint(0, now - 2 * day, false);  // the same moment
  const v1::Event old = Complaint(1, now - 2000 * day, false);
  const v1::Event latest = Complaint(1, now - day, false);
  const v1::Event older = Complaint(2, now - 2000 * day, false);
  const v1::Event middle = Complaint(2, now - 500 * day, false);
  const v1::Event last = Complaint(2, now - day, false);
  Ingest({first, twin, old, latest, older, middle, last});
  int counted = 0;
  // Two complaints at one moment: which is first depends on their ids.
  EXPECT_FALSE(ComplaintCrossedThresholdInState(State(first), Rule(2, 30, false), first, &counted)
                   .has_value());
  // A window ending at the complaint that reaches past the kept three years.
  EXPECT_FALSE(ComplaintCrossedThresholdInState(State(latest), Rule(2, 1200, false), latest,
                                                &counted)
                   .has_value());
  // Counting 1, with an older complaint the state no longer keeps: not the first.
  EXPECT_FALSE(
      ComplaintCrossedThresholdInState(State(latest), Rule(1, 30, false), latest, &counted)
          .has_value());
  ASSERT_OK_AND_ASSIGN(bool crossed, ComplaintCrossedThreshold(store_.get(), Rule(1, 30, false),
                                                               latest, &counted));
  EXPECT_FALSE(crossed);
  // The count at the complaint reaches the threshold, and the window ending at the one
  // before it reaches past the kept years: the store decides (here: crossed).
  EXPECT_FALSE(ComplaintCrossedThresholdInState(State(last), Rule(2, 600, false), last, &counted)
                   .has_value());
  ASSERT_OK_AND_ASSIGN(crossed,
                       ComplaintCrossedThreshold(store_.get(), Rule(2, 600, false), last, &counted));
  EXPECT_TRUE(crossed);
  // Within the kept years, the state answers: below the threshold whatever came before.
  EXPECT_EQ(ComplaintCrossedThresholdInState(State(latest), Rule(2, 30, false), latest, &counted),
            std::optional<bool>(false));
  EXPECT_EQ(ComplaintCrossedThresholdInState(State(latest), Rule(2, 600, false), latest, &counted),
            std::optional<bool>(false));
}

}  // namespace
}  // namespace regulation::services
