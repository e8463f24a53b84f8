#include "scoring/portrait_state.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

constexpr int64_t kDay = kMicrosPerDay;
constexpr int64_t kStart = int64_t{1700000000} * 1000000;

struct Timed {
  v1::Event event;
  int64_t micros;
};

Timed Penalty(std::string id, int64_t micros, int64_t amount, bool serious = false) {
  Timed t{v1::Event(), micros};
  t.event.set_event_id(std::move(id));
  t.event.mutable_administrative_penalty()->set_amount_yuan(amount);
  t.event.mutable_administrative_penalty()->set_severity(serious ? v1::PENALTY_SEVERITY_SERIOUS
                                                                 : v1::PENALTY_SEVERITY_GENERAL);
  return t;
}

Timed Abnormal(std::string id, int64_t micros, bool added) {
  Timed t{v1::Event(), micros};
  t.event.set_event_id(std::move(id));
  t.event.mutable_abnormal_operation()->set_action(added ? v1::LIST_ACTION_ADDED
                                                         : v1::LIST_ACTION_REMOVED);
  return t;
}

Timed Capital(std::string id, int64_t micros, int64_t capital) {
  Timed t{v1::Event(), micros};
  t.event.set_event_id(std::move(id));
  t.event.mutable_registration_change()->set_item("capital");
  t.event.mutable_registration_change()->set_new_capital_yuan(capital);
  return t;
}

std::string FoldAll(const std::vector<Timed>& events) {
  internal::PortraitState state;
  for (const Timed& t : events) FoldEvent(t.event, t.micros, &state);
  return state.SerializeAsString();
}

TEST(PortraitState, SameEventsInAnyOrderGiveTheSameState) {
  std::vector<Timed> events;
  for (int i = 0; i < 40; ++i) {
    // Spread over five years so that pruning happens, with equal times and amounts.
    events.push_back(
        Penalty(absl::StrCat("p", i), kStart + (i * 47 % 1800) * kDay, 100 * (i % 3), i % 7 == 0));
  }
  events.push_back(Abnormal("a1", kStart + 10 * kDay, true));
  events.push_back(Abnormal("a2", kStart + 400 * kDay, false));
  events.push_back(Abnormal("a3", kStart + 900 * kDay, true));
  events.push_back(Capital("c1", kStart + 50 * kDay, 5000));
  events.push_back(Capital("c2", kStart + 50 * kDay, 7000));
  events.push_back(Capital("c3", kStart + 20 * kDay, 9000));

  const std::string in_order = FoldAll(events);
  std::mt19937 shuffle(7);  // test-only: fixed seed, any order is a valid order
  for (int round = 0; round < 50; ++round) {
    std::shuffle(events.begin(), events.end(), shuffle);
    ASSERT_EQ(FoldAll(events), in_order) << "round " << round;
  }
}

TEST(PortraitState, OldOccurrencesLeaveTheWindowButStayInTotals) {
  internal::PortraitState state;
  FoldEvent(Penalty("old", kStart, 10).event, kStart, &state);
  FoldEvent(Penalty("new", kStart + 1200 * kDay, 20).event, kStart + 1200 * kDay, &state);
  const internal::SignalHistory* h = FindSignal(state, Signal::kPenalty);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->count_total(), 2);
  EXPECT_EQ(h->recent_micros_size(), 1);
  const WindowCount window =
      CountInWindow(state, Signal::kPenalty, kStart + 1200 * kDay, 1095 * kDay);
  EXPECT_EQ(window.count, 1);
  EXPECT_EQ(window.amount, 20);
}

TEST(PortraitState, WindowIsHalfOpenOnTheLeft) {
  internal::PortraitState state;
  FoldEvent(Penalty("p", kStart, 1).event, kStart, &state);
  EXPECT_EQ(CountInWindow(state, Signal::kPenalty, kStart, kDay).count, 1);
  EXPECT_EQ(CountInWindow(state, Signal::kPenalty, kStart + kDay - 1, kDay).count, 1);
  EXPECT_EQ(CountInWindow(state, Signal::kPenalty, kStart + kDay, kDay).count, 0);
}

TEST(PortraitState, ListMembershipFollowsTheLatestChangeByTime) {
  internal::PortraitState state;
  FoldEvent(Abnormal("a", kStart, true).event, kStart, &state);
  FoldEvent(Abnormal("b", kStart + 10 * kDay, false).event, kStart + 10 * kDay, &state);
  EXPECT_FALSE(ListedAt(state, ListKind::kAbnormalOperation, kStart - 1));
  EXPECT_TRUE(ListedAt(state, ListKind::kAbnormalOperation, kStart + 5 * kDay));
  EXPECT_FALSE(ListedAt(state, ListKind::kAbnormalOperation, kStart + 10 * kDay));
}

TEST(PortraitState, RemovalNeedsAPrecedingAddition) {
  internal::PortraitState state;
  const Timed removal = Abnormal("r", kStart, false);
  EXPECT_THAT(CheckListChange(removal.event, removal.micros, state),
              StatusIs(absl::StatusCode::kInvalidArgument));
  FoldEvent(Abnormal("a", kStart - kDay, true).event, kStart - kDay, &state);
  EXPECT_OK(CheckListChange(removal.event, removal.micros, state));
  FoldEvent(removal.event, removal.micros, &state);
  // A second removal right after the first has nothing to remove.
  const Timed again = Abnormal("r2", kStart + kDay, false);
  EXPECT_FALSE(CheckListChange(again.event, again.micros, state).ok());
  // A late removal slipped in before the existing one would orphan it.
  const Timed earlier = Abnormal("r0", kStart - 1, false);
  const absl::Status orphaning = CheckListChange(earlier.event, earlier.micros, state);
  EXPECT_THAT(orphaning, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(orphaning.message().find("existing removal"), absl::string_view::npos) << orphaning;
  // Other lists are independent.
  Timed court = Abnormal("c", kStart, false);
  court.event.mutable_court_dishonest_debtor()->set_action(v1::LIST_ACTION_REMOVED);
  EXPECT_NE(
      CheckListChange(court.event, court.micros, state).message().find("court_dishonest_debtor"),
      absl::string_view::npos);
}

}  // namespace
}  // namespace regulation::scoring
