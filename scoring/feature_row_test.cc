#include "scoring/feature_row.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/event.pb.h"
#include "scoring/feature_catalogue.h"
#include "scoring/portrait_state.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

// 2026-06-01T00:00:00Z.
constexpr int64_t kNow = int64_t{1780272000} * 1000000;
constexpr int64_t kDay = kMicrosPerDay;

// The features of `row` and of the protobufs, compared as bits (NaN and -0 included).
void ExpectBitIdentical(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                        int64_t as_of, const std::string& context) {
  const size_t n = FeatureCatalogue().size();
  std::vector<float> expected(n), actual(n, -1.0f);
  ComputeFeaturesInto(enterprise, state, as_of, expected.data());
  const std::string bytes = FeatureRowOf(enterprise, state);
  FeatureRow row;
  ASSERT_OK(row.Parse(bytes, "test"));
  row.ComputeFeaturesInto(as_of, actual.data());
  for (size_t i = 0; i < n; ++i) {
    uint32_t a, b;
    std::memcpy(&a, &expected[i], 4);
    std::memcpy(&b, &actual[i], 4);
    ASSERT_EQ(a, b) << FeatureCatalogue()[i].name << " " << context << ": " << expected[i]
                    << " vs " << actual[i];
  }
}

class RandomHistory {
 public:
  explicit RandomHistory(uint64_t seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  int64_t Micros(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  v1::Enterprise Enterprise() {
    v1::Enterprise e;
    e.set_credit_code("91110000MA01ABCD1X");
    static const char* kRegions[] = {"110105", "440300", "9", ""};
    static const char* kIndustries[] = {"C", "F", "T", ""};
    e.set_region_code(kRegions[Uniform(0, 3)]);
    e.set_industry_code(kIndustries[Uniform(0, 3)]);
    e.set_registered_capital_yuan(Uniform(0, 4) == 0 ? 0 : Micros(-5, int64_t{1} << 40));
    e.mutable_establishment_date()->set_year(Uniform(0, 5) == 0 ? 0 : Uniform(1950, 2030));
    e.mutable_establishment_date()->set_month(Uniform(0, 13));
    e.mutable_establishment_date()->set_day(Uniform(0, 32));
    return e;
  }

  // A state folded from `events` events spread over ten years before kNow, with every
  // kind of event: penalties with amounts, reports, list additions and removals, ...
  internal::PortraitState State(int events) {
    internal::PortraitState state;
    bool listed[3] = {false, false, false};
    for (int i = 0; i < events; ++i) {
      v1::Event e;
      e.set_event_id(absl::StrCat("e", i));
      const int64_t micros = kNow - Micros(0, 3650 * kDay);
      switch (Uniform(0, 10)) {
        case 0:
          e.mutable_administrative_penalty()->set_amount_yuan(Micros(0, 5000000));
          e.mutable_administrative_penalty()->set_severity(
              static_cast<v1::PenaltySeverity>(Uniform(1, 3)));
          break;
        case 1:
          e.mutable_annual_report()->set_filing(static_cast<v1::AnnualReportFiling>(Uniform(1, 3)));
          e.mutable_annual_report()->set_revenue_yuan(Uniform(0, 1) * 1000);
          break;
        case 2:
          e.mutable_complaint()->set_substantiated(Uniform(0, 1));
          break;
        case 3:
          e.mutable_quality_sampling()->set_passed(Uniform(0, 1));
          break;
        case 4:
          e.mutable_inspection_outcome()->set_problem_found(Uniform(0, 1));
          break;
        case 5:
          e.mutable_licence_change()->set_action(static_cast<v1::LicenceAction>(Uniform(1, 2)));
          break;
        case 6:
          e.mutable_registration_change()->set_new_capital_yuan(Uniform(0, 1) * Micros(1, 1e9));
          break;
        default: {
          // A list change (events fold in any order, so membership may be odd in time;
          // FoldEvent keeps them all, as the features must).
          const int list = Uniform(0, 2);
          const v1::ListAction action =
              listed[list] ? v1::LIST_ACTION_REMOVED : v1::LIST_ACTION_ADDED;
          listed[list] = !listed[list];
          if (list == 0) e.mutable_abnormal_operation()->set_action(action);
          if (list == 1) e.mutable_serious_dishonesty()->set_action(action);
          if (list == 2) e.mutable_court_dishonest_debtor()->set_action(action);
          break;
        }
      }
      FoldEvent(e, micros, &state);
    }
    return state;
  }

  // Moments around kNow and around the state's own events (exactly at, just before and
  // after, and at the window edges of, an occurrence).
  std::vector<int64_t> Moments(const internal::PortraitState& state) {
    std::vector<int64_t> moments = {kNow, kNow + 400 * kDay, kNow - 5000 * kDay, 0};
    for (const internal::SignalHistory& h : state.signals()) {
      for (int64_t t : h.recent_micros()) {
        for (int64_t d : {int64_t{0}, int64_t{-1}, int64_t{1}, 365 * kDay, 1095 * kDay,
                          1095 * kDay - 1, 365 * kDay + 1}) {
          if (Uniform(0, 6) == 0) moments.push_back(t + d);
        }
      }
    }
    for (const internal::ListHistory& l : state.lists()) {
      for (const internal::ListChange& c : l.changes()) {
        moments.push_back(c.micros());
        moments.push_back(c.micros() - 1);
      }
    }
    return moments;
  }

 private:
  std::mt19937_64 rng_;
};

TEST(FeatureRowTest, FeaturesAreBitIdenticalToTheProtobufsOverRandomStatesAndMoments) {
  RandomHistory random(20261206);
  int compared = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const v1::Enterprise enterprise = random.Enterprise();
    // Empty states, a few events, many (past the three-year window: pruning).
    const int events = trial % 7 == 0 ? 0 : random.Uniform(1, trial % 3 == 0 ? 200 : 12);
    const internal::PortraitState state = random.State(events);
    for (int64_t as_of : random.Moments(state)) {
      ExpectBitIdentical(enterprise, state, as_of, absl::StrCat("trial ", trial, " at ", as_of));
      if (::testing::Test::HasFatalFailure()) return;
      ++compared;
    }
  }
  EXPECT_GT(compared, 5000);
}

TEST(FeatureRowTest, StatesNoWriterMakesStillMatch) {
  // Duplicate and unknown signal histories, an unknown list, changes out of order, a
  // capital reported over the registered one, negative amounts.
  RandomHistory random(7);
  const v1::Enterprise enterprise = random.Enterprise();
  internal::PortraitState state;
  state.set_reported_capital_yuan(123456);
  for (int signal : {0, 0, 13, 99, -1, 17}) {
    internal::SignalHistory* h = state.add_signals();
    h->set_signal(signal);
    h->set_count_total(signal == 0 ? 7 : 3);
    h->set_last_micros(kNow - 3 * kDay);
    for (int k = 0; k < 3; ++k) {
      h->add_recent_micros(kNow - (k + 1) * 100 * kDay);
      h->add_recent_amounts(signal == 0 ? (k - 1) * 1000 : 0);
    }
  }
  for (int list : {2, 0, 7, 0}) {
    internal::ListHistory* l = state.add_lists();
    l->set_list(list);
    for (int k = 0; k < 3; ++k) {
      internal::ListChange* c = l->add_changes();
      c->set_micros(kNow - (k % 2 == 0 ? 10 : 500) * kDay);
      c->set_added(k % 2 == 0);
    }
  }
  for (int64_t as_of : {kNow, kNow - 200 * kDay, kNow - 450 * kDay, kNow + 2000 * kDay}) {
    ExpectBitIdentical(enterprise, state, as_of, absl::StrCat("at ", as_of));
  }
  // Amounts saturate rather than wrap, in both.
  internal::PortraitState huge;
  internal::SignalHistory* h = huge.add_signals();
  h->set_signal(0);
  h->set_count_total(2);
  h->set_last_micros(kNow);
  for (int k = 0; k < 2; ++k) {
    h->add_recent_micros(kNow - k);
    h->add_recent_amounts(std::numeric_limits<int64_t>::max() - 1);
  }
  ExpectBitIdentical(enterprise, huge, kNow, "saturating");
}

TEST(FeatureRowTest, TheEnterprisePartIsReadBackAndReused) {
  RandomHistory random(11);
  const v1::Enterprise enterprise = random.Enterprise();
  const std::string bytes = FeatureRowOf(enterprise, random.State(5));
  absl::StatusOr<FeatureRowEnterprise> part = ReadFeatureRowEnterprise(bytes);
  ASSERT_OK(part.status());
  EXPECT_TRUE(*part == FeatureRowEnterpriseOf(enterprise));
  // A row rebuilt from that part and a new state equals one built from the record.
  const internal::PortraitState next = random.State(9);
  std::string rebuilt;
  EncodeFeatureRow(*part, next, &rebuilt);
  EXPECT_EQ(rebuilt, FeatureRowOf(enterprise, next));
}

// A row encoded from a state alone, its enterprise part set afterwards: what a
// checkpoint writes (it encodes the states while commits wait, and reads the enterprise
// parts once they no longer do).
TEST(FeatureRowTest, TheEnterprisePartCanBeSetAfterTheState) {
  RandomHistory random(17);
  for (int i = 0; i < 20; ++i) {
    const v1::Enterprise enterprise = random.Enterprise();
    const internal::PortraitState state = random.State(i * 7);
    std::string row;
    EncodeFeatureRow(FeatureRowEnterprise{}, state, &row);
    SetFeatureRowEnterprise(FeatureRowEnterpriseOf(enterprise), &row);
    EXPECT_EQ(row, FeatureRowOf(enterprise, state)) << i;
  }
}

TEST(FeatureRowTest, AnotherFormatIsRefusedAndAMalformedRowIsDataLoss) {
  RandomHistory random(3);
  const std::string good = FeatureRowOf(random.Enterprise(), random.State(30));
  FeatureRow row;
  ASSERT_OK(row.Parse(good, "X"));
  std::string newer = good;
  newer[0] = 2;
  EXPECT_THAT(row.Parse(newer, "91110000MA01ABCD1X"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("91110000MA01ABCD1X has format 2")));
  EXPECT_THAT(row.Parse("", "X"), StatusIs(absl::StatusCode::kDataLoss));
  // Every truncation, and trailing bytes, are DATA_LOSS, never a read past the end.
  for (size_t size = 1; size < good.size(); ++size) {
    EXPECT_THAT(row.Parse(good.substr(0, size), "X"), StatusIs(absl::StatusCode::kDataLoss))
        << size;
  }
  EXPECT_THAT(row.Parse(good + "x", "X"), StatusIs(absl::StatusCode::kDataLoss));
  // A count that claims more than the bytes hold.
  std::string lying = good;
  lying[1 + 24 + 8 + 1 + 18] = '\xff';  // the first signal's n, low byte
  lying[1 + 24 + 8 + 1 + 21] = '\x7f';  // and its high byte
  EXPECT_THAT(row.Parse(lying, "X"), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace regulation::scoring
