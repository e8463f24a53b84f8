#include "tools/synth/history.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::synth {
namespace {

constexpr int64_t kEnterprises = 20000;
constexpr uint64_t kSeed = 7;

SynthConfig Config() {
  SynthConfig c;
  c.enterprises = kEnterprises;
  c.years = 3;
  c.seed = kSeed;
  c.end_date = absl::CivilDay(2026, 6, 30);
  return c;
}

struct Generated {
  EnterpriseProfile profile;
  History history;
};

// N = 20,000, Y = 3, generated once for all tests.
const std::vector<Generated>& Population() {
  static const auto* population = [] {
    auto* all = new std::vector<Generated>;
    StreamFactory streams(kSeed);
    for (int64_t i = 0; i < kEnterprises; ++i) {
      Generated g;
      g.profile = GenerateProfile(Config(), i, &streams);
      g.history = SimulateHistory(Config(), g.profile, &streams);
      all->push_back(std::move(g));
    }
    return all;
  }();
  return *population;
}

int64_t Seconds(const v1::Event& e) { return e.occur_time().seconds(); }

TEST(HistoryTest, EventsAreOrderedAndInsideTheWindowAndTheEnterprisesLife) {
  const Window window = WindowOf(Config());
  const int64_t last_second_utc_of_end_date =
      (absl::CivilSecond(absl::CivilDay(2026, 7, 1)) - absl::CivilSecond(1970, 1, 1, 0, 0, 0)) - 1;
  for (const Generated& g : Population()) {
    const int64_t established_utc =
        absl::CivilSecond(g.profile.establishment) - absl::CivilSecond(1970, 1, 1, 0, 0, 0);
    const v1::Event* previous = nullptr;
    for (const v1::Event& e : g.history.events) {
      ASSERT_GE(Seconds(e), window.start_seconds) << e.DebugString();
      ASSERT_LT(Seconds(e), window.end_seconds) << e.DebugString();
      // Not in the future of the end date, in China Standard Time or in UTC.
      ASSERT_LE(Seconds(e), last_second_utc_of_end_date) << e.DebugString();
      // Not before the establishment date, in either time zone.
      ASSERT_GE(Seconds(e), established_utc) << e.DebugString();
      ASSERT_GE(ChinaDayOf(Seconds(e)), g.profile.establishment);
      if (previous != nullptr) {
        ASSERT_TRUE(Seconds(*previous) < Seconds(e) ||
                    (Seconds(*previous) == Seconds(e) && previous->event_id() < e.event_id()));
      }
      previous = &e;
    }
    if (g.profile.closed_before_window) {
      EXPECT_TRUE(g.history.events.empty());
    }
  }
}

TEST(HistoryTest, EventIdsAreUniqueAndWellFormed) {
  std::set<std::string> ids;
  for (const Generated& g : Population()) {
    int n = 0;
    for (const v1::Event& e : g.history.events) {
      ++n;
      ASSERT_EQ(e.event_id(), EventId(kSeed, g.profile.index, n));
      ASSERT_TRUE(ids.insert(e.event_id()).second) << e.event_id();
      ASSERT_EQ(e.credit_code(), g.profile.credit_code);
      ASSERT_NE(e.payload_case(), v1::Event::PAYLOAD_NOT_SET);
      ASSERT_EQ(e.occur_time().nanos(), 0);
    }
  }
  EXPECT_EQ(EventId(42, 123, 7), "syn-42-00000123-0007");
}

TEST(HistoryTest, SourceDepartmentsAreRealistic) {
  const std::set<std::string> known = {"samr",    "court",     "tax",    "12315",
                                       "housing", "transport", "health", "education",
                                       "culture", "post",      "nmpa"};
  std::map<std::string, int> seen;
  for (const Generated& g : Population()) {
    for (const v1::Event& e : g.history.events) {
      ASSERT_EQ(known.count(e.source_department()), 1u) << e.source_department();
      ++seen[e.source_department()];
      if (e.has_complaint()) {
        EXPECT_EQ(e.source_department(), "12315");
      }
      if (e.has_court_dishonest_debtor()) {
        EXPECT_EQ(e.source_department(), "court");
      }
      if (e.has_inspection_outcome() || e.has_annual_report() || e.has_abnormal_operation()) {
        EXPECT_EQ(e.source_department(), "samr");
      }
    }
  }
  EXPECT_GT(seen["samr"], seen["12315"]);
  EXPECT_GT(seen["tax"], 0);
  EXPECT_GT(seen["court"], 0);
}

// Checks that `action` alternates ADDED, REMOVED, ADDED ... starting with ADDED.
class ListChecker {
 public:
  explicit ListChecker(std::string name) : name_(std::move(name)) {}
  void See(int action, const v1::Event& e) {
    if (action == v1::LIST_ACTION_ADDED) {
      ASSERT_FALSE(listed_) << name_ << ": added twice " << e.DebugString();
      listed_ = true;
      ++added_;
    } else {
      ASSERT_EQ(action, v1::LIST_ACTION_REMOVED);
      ASSERT_TRUE(listed_) << name_ << ": removed without an addition " << e.DebugString();
      listed_ = false;
      ++removed_;
    }
  }
  int added() const { return added_; }
  int removed() const { return removed_; }

 private:
  std::string name_;
  bool listed_ = false;
  int added_ = 0;
  int removed_ = 0;
};

TEST(HistoryTest, NoListRemovalWithoutAPriorAddition) {
  int abnormal = 0, abnormal_removed = 0, dishonest = 0, court = 0, revoked = 0;
  for (const Generated& g : Population()) {
    ListChecker a("abnormal"), d("dishonest"), c("court");
    bool licence = false;
    for (const v1::Event& e : g.history.events) {
      if (e.has_abnormal_operation()) a.See(e.abnormal_operation().action(), e);
      if (e.has_serious_dishonesty()) d.See(e.serious_dishonesty().action(), e);
      if (e.has_court_dishonest_debtor()) c.See(e.court_dishonest_debtor().action(), e);
      if (e.has_licence_change()) {
        if (e.licence_change().action() == v1::LICENCE_ACTION_GRANTED) {
          licence = true;
        } else {
          ASSERT_TRUE(licence) << "revoked without a grant " << e.DebugString();
          licence = false;
          ++revoked;
        }
      }
    }
    abnormal += a.added();
    abnormal_removed += a.removed();
    dishonest += d.added();
    court += c.added();
  }
  EXPECT_GT(abnormal, kEnterprises / 20);
  EXPECT_GT(abnormal_removed, 0);
  EXPECT_LT(abnormal_removed, abnormal);
  EXPECT_GT(dishonest, 0);
  EXPECT_LT(dishonest, kEnterprises / 100);  // rare
  EXPECT_GT(court, 0);
  EXPECT_LT(court, kEnterprises / 20);
  EXPECT_GT(revoked, 0);
}

TEST(HistoryTest, AnnualReportsCoverEveryYearAfterEstablishment) {
  for (const Generated& g : Population()) {
    std::map<int, std::vector<int>> filings;  // report year -> filings in order
    for (const v1::Event& e : g.history.events) {
      if (!e.has_annual_report()) continue;
      const v1::AnnualReport& r = e.annual_report();
      ASSERT_GE(r.report_year(), g.profile.establishment.year());
      // Filed in the year after the report year or later.
      ASSERT_GT(ChinaDayOf(Seconds(e)).year(), r.report_year());
      filings[r.report_year()].push_back(r.filing());
      if (r.filing() == v1::ANNUAL_REPORT_FILING_ON_TIME) {
        ASSERT_LE(ChinaDayOf(Seconds(e)), absl::CivilDay(r.report_year() + 1, 6, 30));
      } else {
        ASSERT_GE(ChinaDayOf(Seconds(e)), absl::CivilDay(r.report_year() + 1, 7, 1));
      }
    }
    for (const auto& [year, list] : filings) {
      // ON_TIME alone, MISSING alone, or MISSING then LATE.
      ASSERT_LE(list.size(), 2u);
      if (list.size() == 2) {
        ASSERT_EQ(list[0], v1::ANNUAL_REPORT_FILING_MISSING);
        ASSERT_EQ(list[1], v1::ANNUAL_REPORT_FILING_LATE);
      }
    }
    // An enterprise operating on the end date and established by 2023 has a filing (or a
    // MISSING report) for 2023 and 2024, whose deadlines (30 June 2024 and 2025) are in
    // the window; 2025's deadline is the end date itself.
    if (g.history.final_status == v1::ENTERPRISE_STATUS_OPERATING &&
        g.profile.establishment.year() <= 2023) {
      for (int year : {2023, 2024}) {
        ASSERT_EQ(filings.count(year), 1u) << g.profile.credit_code << " " << year;
      }
    }
  }
}

TEST(HistoryTest, InspectionOutcomesAreConsistent) {
  const std::set<int> problem_categories = {2, 3, 4, 5, 6, 9};
  int64_t inspections = 0, problems = 0;
  std::map<int, int> categories;
  for (const Generated& g : Population()) {
    size_t k = 0;
    for (const v1::Event& e : g.history.events) {
      if (!e.has_inspection_outcome()) continue;
      const v1::InspectionOutcome& o = e.inspection_outcome();
      ++inspections;
      problems += o.problem_found();
      ++categories[o.result_category()];
      if (o.problem_found()) {
        EXPECT_EQ(problem_categories.count(o.result_category()), 1u) << o.result_category();
      } else {
        EXPECT_EQ(o.result_category(), v1::NO_PROBLEM_FOUND);
      }
      ASSERT_LT(k, g.history.inspections.size());
      EXPECT_EQ(g.history.inspections[k].problem_found, o.problem_found());
      EXPECT_EQ(g.history.inspections[k].time, Seconds(e));
      ++k;
    }
    EXPECT_EQ(k, g.history.inspections.size());
  }
  // About 5% of enterprises a year.
  EXPECT_GT(inspections, kEnterprises * 3 * 0.035);
  EXPECT_LT(inspections, kEnterprises * 3 * 0.07);
  const double rate = static_cast<double>(problems) / inspections;
  EXPECT_GE(rate, 0.08);
  EXPECT_LE(rate, 0.25);
  // Corrected on order and follow-up pending are the commonest findings.
  EXPECT_GT(categories[6], categories[9]);
  EXPECT_GT(categories[2], categories[4]);
}

// AUC of p_true against the drawn outcomes, by ranks.
double OracleAuc(std::vector<std::pair<double, bool>> scored) {
  std::sort(scored.begin(), scored.end());
  double positives = 0, negatives = 0, concordant = 0;
  for (const auto& [p, y] : scored) {
    if (y) {
      concordant += negatives;
      ++positives;
    } else {
      ++negatives;
    }
  }
  return concordant / (positives * negatives);
}

TEST(HistoryTest, ProblemProbabilityIsPredictableButNotPerfectly) {
  std::vector<std::pair<double, bool>> scored;
  for (const Generated& g : Population()) {
    for (const InspectionRecord& r : g.history.inspections) {
      ASSERT_GT(r.p_true, 0.0);
      ASSERT_LT(r.p_true, 1.0);
      scored.emplace_back(r.p_true, r.problem_found);
    }
  }
  const double auc = OracleAuc(scored);
  EXPECT_GT(auc, 0.75);
  EXPECT_LT(auc, 0.92);
}

TEST(HistoryTest, FirmsPenalisedInTheLastYearAreRiskier) {
  const int64_t end = WindowOf(Config()).end_seconds;
  double with_sum = 0, without_sum = 0;
  int with_n = 0, without_n = 0;
  for (const Generated& g : Population()) {
    if (g.history.final_status != v1::ENTERPRISE_STATUS_OPERATING) continue;
    bool penalised = false;
    for (const v1::Event& e : g.history.events) {
      penalised |= e.has_administrative_penalty() && Seconds(e) > end - 365 * kSecondsPerDay;
    }
    (penalised ? with_sum : without_sum) += g.history.problem_probability_at_end;
    ++(penalised ? with_n : without_n);
  }
  ASSERT_GT(with_n, 100);
  const double with_mean = with_sum / with_n;
  const double without_mean = without_sum / without_n;
  EXPECT_GT(with_mean, 2 * without_mean) << with_mean << " vs " << without_mean;
  EXPECT_GT(with_mean - without_mean, 0.1);
}

TEST(HistoryTest, FinalStatusIsMostlyOperating) {
  std::map<int, int> statuses;
  for (const Generated& g : Population()) ++statuses[g.history.final_status];
  EXPECT_GT(statuses[v1::ENTERPRISE_STATUS_OPERATING], kEnterprises * 0.75);
  EXPECT_GT(statuses[v1::ENTERPRISE_STATUS_SUSPENDED], 0);
  EXPECT_GT(statuses[v1::ENTERPRISE_STATUS_DEREGISTERED], 0);
  EXPECT_GT(statuses[v1::ENTERPRISE_STATUS_REVOKED], 0);
}

TEST(HistoryTest, HistoryDependsOnlyOnSeedAndIndex) {
  StreamFactory fresh(kSeed);
  for (int64_t i : {int64_t{12345}, int64_t{3}, int64_t{19999}}) {
    const EnterpriseProfile p = GenerateProfile(Config(), i, &fresh);
    const History h = SimulateHistory(Config(), p, &fresh);
    const History& expected = Population()[i].history;
    ASSERT_EQ(h.events.size(), expected.events.size());
    for (size_t k = 0; k < h.events.size(); ++k) {
      EXPECT_EQ(h.events[k].SerializeAsString(), expected.events[k].SerializeAsString());
    }
    EXPECT_EQ(h.problem_probability_at_end, expected.problem_probability_at_end);
  }
}

TEST(HistoryTest, RecordReflectsTheFinalState) {
  for (const Generated& g : Population()) {
    const v1::Enterprise e = EnterpriseRecord(g.profile, g.history);
    EXPECT_EQ(e.status(), g.history.final_status);
    EXPECT_EQ(e.registered_capital_yuan(), g.history.final_capital_yuan);
    int64_t capital = g.profile.registered_capital_yuan;
    for (const v1::Event& ev : g.history.events) {
      if (ev.has_registration_change() && ev.registration_change().item() == "capital") {
        capital = ev.registration_change().new_capital_yuan();
      }
    }
    ASSERT_EQ(capital, e.registered_capital_yuan());
  }
}

}  // namespace
}  // namespace regulation::synth
