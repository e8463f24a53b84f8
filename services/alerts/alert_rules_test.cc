#include "services/alerts/alert_rules.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure.pb.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kCode[] = "91330106MA2B000011";
constexpr int64_t kDay = int64_t{86400} * 1000000;

v1::RiskScore ScoreOf(double p, v1::RiskClass c, int64_t seconds) {
  v1::RiskScore s;
  s.set_credit_code(kCode);
  s.set_probability(p);
  s.set_risk_class(c);
  s.set_model_version("m1");
  s.mutable_score_time()->set_seconds(seconds);
  return s;
}

v1::Event EventWithId(const char* id) {
  v1::Event e;
  e.set_event_id(id);
  e.set_source_department("samr");
  e.set_credit_code(kCode);
  e.mutable_occur_time()->set_seconds(1700000000);
  return e;
}

TEST(AlertRules, DefaultsAreValid) { EXPECT_OK(ValidateAlertRules(DefaultAlertRules())); }

TEST(AlertRules, InvalidSettingsNameTheField) {
  v1::AlertRules rules = DefaultAlertRules();
  rules.mutable_score_jump()->set_min_rise(1.5);
  EXPECT_THAT(ValidateAlertRules(rules), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("rules.score_jump.min_rise")));
  rules = DefaultAlertRules();
  rules.mutable_complaints()->set_count(0);
  EXPECT_THAT(ValidateAlertRules(rules), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("rules.complaints.count")));
  rules = DefaultAlertRules();
  rules.mutable_class_raised()->set_min_class(v1::RISK_CLASS_A);
  EXPECT_THAT(ValidateAlertRules(rules), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("rules.class_raised.min_class")));
  rules = DefaultAlertRules();
  rules.mutable_serious_inspection()->add_categories(42);
  EXPECT_THAT(ValidateAlertRules(rules),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rules.serious_inspection.categories[3]")));
  rules = DefaultAlertRules();
  rules.mutable_serious_inspection()->clear_categories();
  EXPECT_THAT(ValidateAlertRules(rules), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AlertRules, IdIsStablePrintableAndSeparatesItsParts) {
  const std::string id = AlertId(v1::ALERT_RULE_PENALTY, kCode, "event:E1");
  EXPECT_EQ(id, AlertId(v1::ALERT_RULE_PENALTY, kCode, "event:E1"));
  EXPECT_THAT(id, ::testing::MatchesRegex("AL-[0-9a-f]{20}"));
  EXPECT_NE(id, AlertId(v1::ALERT_RULE_LIST_ENTRY, kCode, "event:E1"));
  EXPECT_NE(id, AlertId(v1::ALERT_RULE_PENALTY, kCode, "event:E2"));
  EXPECT_NE(id, AlertId(v1::ALERT_RULE_PENALTY, "91330106MA2B000029", "event:E1"));
}

TEST(AlertRules, ClassRaisedFiresOnARiseIntoTheMinimumClassOnly) {
  const v1::AlertRules rules = DefaultAlertRules();  // min class C, rise 0.2
  // B -> C, a small rise: CLASS_RAISED alone.
  std::vector<v1::Alert> alerts =
      ScoreAlerts(rules, ScoreOf(0.30, v1::RISK_CLASS_B, 100), ScoreOf(0.35, v1::RISK_CLASS_C, 200));
  ASSERT_THAT(alerts, SizeIs(1));
  EXPECT_EQ(alerts[0].rule(), v1::ALERT_RULE_CLASS_RAISED);
  EXPECT_THAT(alerts[0].summary(), HasSubstr("class B -> C"));
  EXPECT_TRUE(alerts[0].department().empty());
  // A -> B is a rise below the minimum class; D -> D and C -> B are not rises.
  EXPECT_THAT(ScoreAlerts(rules, ScoreOf(0.05, v1::RISK_CLASS_A, 100),
                          ScoreOf(0.10, v1::RISK_CLASS_B, 200)),
              IsEmpty());
  EXPECT_THAT(ScoreAlerts(rules, ScoreOf(0.80, v1::RISK_CLASS_D, 100),
                          ScoreOf(0.85, v1::RISK_CLASS_D, 200)),
              IsEmpty());
  EXPECT_THAT(ScoreAlerts(rules, ScoreOf(0.40, v1::RISK_CLASS_C, 100),
                          ScoreOf(0.30, v1::RISK_CLASS_B, 200)),
              IsEmpty());
  v1::AlertRules off = rules;
  off.mutable_class_raised()->set_disabled(true);
  EXPECT_THAT(ScoreAlerts(off, ScoreOf(0.30, v1::RISK_CLASS_B, 100),
                          ScoreOf(0.35, v1::RISK_CLASS_C, 200)),
              IsEmpty());
}

TEST(AlertRules, ScoreJumpFiresAboveTheThresholdNotAtIt) {
  const v1::AlertRules rules = DefaultAlertRules();
  std::vector<v1::Alert> alerts =
      ScoreAlerts(rules, ScoreOf(0.10, v1::RISK_CLASS_B, 100), ScoreOf(0.35, v1::RISK_CLASS_B, 200));
  ASSERT_THAT(alerts, SizeIs(1));
  EXPECT_EQ(alerts[0].rule(), v1::ALERT_RULE_SCORE_JUMP);
  EXPECT_THAT(ScoreAlerts(rules, ScoreOf(0.10, v1::RISK_CLASS_B, 100),
                          ScoreOf(0.25, v1::RISK_CLASS_B, 200)),
              IsEmpty());
  // Both rules: two alerts of one cause, with different ids.
  alerts =
      ScoreAlerts(rules, ScoreOf(0.10, v1::RISK_CLASS_B, 100), ScoreOf(0.70, v1::RISK_CLASS_D, 200));
  ASSERT_THAT(alerts, SizeIs(2));
  EXPECT_EQ(alerts[0].cause(), alerts[1].cause());
  EXPECT_NE(alerts[0].alert_id(), alerts[1].alert_id());
}

TEST(AlertRules, AScoreAlertsCauseIsThePreviousScoreNotTheRun) {
  const v1::AlertRules rules = DefaultAlertRules();
  // The same previous score compared again (a resumed or re-run ScoreAll): the same id.
  const std::vector<v1::Alert> first =
      ScoreAlerts(rules, ScoreOf(0.30, v1::RISK_CLASS_B, 100), ScoreOf(0.35, v1::RISK_CLASS_C, 200));
  const std::vector<v1::Alert> again =
      ScoreAlerts(rules, ScoreOf(0.30, v1::RISK_CLASS_B, 100), ScoreOf(0.36, v1::RISK_CLASS_C, 300));
  ASSERT_THAT(first, SizeIs(1));
  ASSERT_THAT(again, SizeIs(1));
  EXPECT_EQ(first[0].alert_id(), again[0].alert_id());
}

TEST(AlertRules, PenaltyFiresFromTheMinimumSeverity) {
  const v1::AlertRules rules = DefaultAlertRules();  // GENERAL
  v1::Event e = EventWithId("P1");
  e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
  e.mutable_administrative_penalty()->set_amount_yuan(50000);
  std::optional<v1::Alert> alert = EventAlert(rules, e);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->rule(), v1::ALERT_RULE_PENALTY);
  EXPECT_EQ(alert->cause(), "event:P1");
  EXPECT_EQ(alert->department(), "samr");
  e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_MINOR);
  EXPECT_FALSE(EventAlert(rules, e).has_value());
}

TEST(AlertRules, ListEntryFiresOnAdditionNotRemoval) {
  const v1::AlertRules rules = DefaultAlertRules();
  v1::Event e = EventWithId("L1");
  e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
  ASSERT_TRUE(EventAlert(rules, e).has_value());
  EXPECT_EQ(EventAlert(rules, e)->rule(), v1::ALERT_RULE_LIST_ENTRY);
  e.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_ADDED);
  EXPECT_TRUE(EventAlert(rules, e).has_value());
  e.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_REMOVED);
  EXPECT_FALSE(EventAlert(rules, e).has_value());
  e.mutable_court_dishonest_debtor()->set_action(v1::LIST_ACTION_ADDED);
  EXPECT_TRUE(EventAlert(rules, e).has_value());
}

TEST(AlertRules, SeriousInspectionFiresForAConfiguredCategoryOnly) {
  v1::AlertRules rules = DefaultAlertRules();
  v1::Event e = EventWithId("I1");
  e.mutable_inspection_outcome()->set_problem_found(true);
  e.mutable_inspection_outcome()->set_result_category(v1::SERIOUS_REFUSAL_TO_COOPERATE);
  ASSERT_TRUE(EventAlert(rules, e).has_value());
  EXPECT_EQ(EventAlert(rules, e)->rule(), v1::ALERT_RULE_SERIOUS_INSPECTION);
  e.mutable_inspection_outcome()->set_result_category(v1::PROBLEM_CORRECTED_ON_ORDER);
  EXPECT_FALSE(EventAlert(rules, e).has_value());
  rules.mutable_serious_inspection()->add_categories(v1::PROBLEM_CORRECTED_ON_ORDER);
  EXPECT_TRUE(EventAlert(rules, e).has_value());
  rules.mutable_serious_inspection()->set_disabled(true);
  EXPECT_FALSE(EventAlert(rules, e).has_value());
}

TEST(AlertRules, OtherEventsRaiseNothingOnTheirOwn) {
  v1::Event e = EventWithId("C1");
  e.mutable_complaint()->set_channel("12315");
  EXPECT_FALSE(EventAlert(DefaultAlertRules(), e).has_value());
}

TEST(AlertRules, ComplaintsCrossTheThresholdOncePerRun) {
  v1::AlertRules::Complaints rule = DefaultAlertRules().complaints();  // 3 in 90 days
  const std::vector<int64_t> times = {0, 10 * kDay, 20 * kDay, 30 * kDay, 200 * kDay,
                                      210 * kDay, 220 * kDay};
  std::vector<bool> fired;
  for (size_t i = 0; i < times.size(); ++i) fired.push_back(ComplaintsCrossThreshold(rule, times, i));
  // The third complaint crosses; the fourth is still above; after a quiet spell the
  // count falls and the seventh crosses again.
  EXPECT_EQ(fired, (std::vector<bool>{false, false, true, false, false, false, true}));
  EXPECT_EQ(ComplaintsInWindow(rule, times, 3), 4);
  // Spread wider than the window: never.
  const std::vector<int64_t> sparse = {0, 100 * kDay, 200 * kDay};
  for (size_t i = 0; i < sparse.size(); ++i) EXPECT_FALSE(ComplaintsCrossThreshold(rule, sparse, i));
  // Exactly the window apart is outside it.
  const std::vector<int64_t> edge = {0, 45 * kDay, 90 * kDay};
  EXPECT_FALSE(ComplaintsCrossThreshold(rule, edge, 2));
}

TEST(AlertRules, AComplaintsAlertConcernsEveryDepartment) {
  v1::Event e = EventWithId("C3");
  e.set_source_department("12315");
  e.mutable_complaint()->set_channel("12315");
  const v1::Alert alert = ComplaintsAlert(DefaultAlertRules().complaints(), e, 3);
  EXPECT_EQ(alert.rule(), v1::ALERT_RULE_COMPLAINTS);
  EXPECT_EQ(alert.cause(), "event:C3");
  EXPECT_TRUE(alert.department().empty());
  EXPECT_EQ(alert.summary(), "3 complaints within 90 days (threshold 3)");
}

TEST(AlertRules, SubstantiatedOnlyCountsSubstantiatedComplaints) {
  v1::AlertRules::Complaints rule = DefaultAlertRules().complaints();
  v1::Event e = EventWithId("C1");
  e.mutable_complaint()->set_substantiated(false);
  EXPECT_TRUE(CountsAsComplaint(rule, e));
  rule.set_substantiated_only(true);
  EXPECT_FALSE(CountsAsComplaint(rule, e));
  e.mutable_complaint()->set_substantiated(true);
  EXPECT_TRUE(CountsAsComplaint(rule, e));
}

}  // namespace
}  // namespace regulation::services
