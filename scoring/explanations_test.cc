#include "scoring/explanations.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

size_t IndexOf(absl::string_view name) {
  const auto catalogue = FeatureCatalogue();
  for (size_t i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].name == name) return i;
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

std::string Describe(absl::string_view feature, double value) {
  absl::StatusOr<std::string> text = DescribeFeature(feature, value);
  EXPECT_OK(text);
  return text.ok() ? *text : "";
}

TEST(DescribeFeature, EveryCatalogueFeatureHasATemplate) {
  for (const FeatureSpec& f : FeatureCatalogue()) {
    EXPECT_TRUE(HasReasonTemplate(f.name)) << f.name;
  }
  EXPECT_FALSE(HasReasonTemplate("no_such_feature"));
  EXPECT_THAT(DescribeFeature("no_such_feature", 1), StatusIs(absl::StatusCode::kNotFound));
}

// One value per catalogue feature and what its sentence must say: the real value, in
// words a case officer reads.
TEST(DescribeFeature, TextsNameTheValues) {
  const std::map<std::string, std::pair<double, std::string>> cases = {
      {"age_years", {1.3, "established 1.3 years ago"}},
      {"capital_log10", {6.0, "registered capital of 1.0 million yuan"}},
      {"industry_section", {8, "industry section H (accommodation and catering)"}},
      {"province", {33, "registered in province 33"}},
      {"penalties_1y", {2, "2 administrative penalties in the last 12 months"}},
      {"penalties_3y", {1, "1 administrative penalty in the last 3 years"}},
      {"penalty_amount_log10_3y", {std::log10(50001.0), "fines totalling 50 thousand yuan"}},
      {"serious_penalties_3y", {3, "3 serious penalties in the last 3 years"}},
      {"days_since_penalty", {40, "last penalty 40 days ago"}},
      {"reports_late_3y", {2, "2 annual reports filed late in the last 3 years"}},
      {"reports_missing_3y", {1, "1 annual report not filed in the last 3 years"}},
      {"reports_zero_financials_3y", {2, "2 annual reports with all-zero financials"}},
      {"reports_on_time_3y", {0, "0 annual reports filed on time"}},
      {"abnormal_listed", {1, "currently on the abnormal-operation list"}},
      {"abnormal_listings_3y", {2, "added to the abnormal-operation list 2 times"}},
      {"dishonest_listed", {1, "currently on the serious illegal and dishonest list"}},
      {"court_debtor_listed", {1, "currently on the courts' dishonest-debtor list"}},
      {"complaints_1y", {4, "4 complaints or reports in the last 12 months"}},
      {"complaints_3y", {9, "9 complaints or reports in the last 3 years"}},
      {"complaints_substantiated_3y", {1, "1 substantiated complaint"}},
      {"quality_samples_3y", {5, "5 product-quality samplings"}},
      {"quality_failures_3y", {2, "2 failed product-quality samplings"}},
      {"inspections_3y", {3, "3 inspections in the last 3 years"}},
      {"inspection_problems_3y", {2, "problems found in 2 inspections in the last 3 years"}},
      {"inspections_total", {7, "7 inspections on record"}},
      {"inspection_problems_total", {4, "problems found in 4 inspections on record"}},
      {"days_since_inspection", {200, "last inspected 200 days ago"}},
      {"licences_revoked_3y", {1, "1 licence revoked in the last 3 years"}},
      {"licences_granted_3y", {6, "6 licences granted in the last 3 years"}},
      {"registration_changes_1y", {3, "3 changes of registered particulars in the last 12 months"}},
      {"registration_changes_3y", {1, "1 change of registered particulars in the last 3 years"}},
      {"events_3y", {25, "25 recorded events in the last 3 years"}},
  };
  for (const FeatureSpec& f : FeatureCatalogue()) {
    auto it = cases.find(std::string(f.name));
    ASSERT_NE(it, cases.end()) << "add a case for " << f.name;
    const std::string text = Describe(f.name, it->second.first);
    EXPECT_NE(text.find(it->second.second), std::string::npos)
        << f.name << ": \"" << text << "\" lacks \"" << it->second.second << "\"";
  }
}

TEST(DescribeFeature, SpecialValuesReadNaturally) {
  EXPECT_EQ(Describe("days_since_penalty", kDaysSinceNever), "no penalty on record");
  EXPECT_EQ(Describe("days_since_inspection", kDaysSinceNever), "never inspected");
  EXPECT_EQ(Describe("abnormal_listed", 0), "not on the abnormal-operation list");
  EXPECT_EQ(Describe("industry_section", 0), "industry section unknown");
  EXPECT_EQ(Describe("industry_section", 1),
            "industry section A (agriculture, forestry, animal husbandry and fishery)");
  EXPECT_EQ(Describe("industry_section", 20), "industry section T (international organisations)");
  EXPECT_EQ(Describe("capital_log10", std::log10(1.0 + 999)), "registered capital of 999 yuan");
  EXPECT_EQ(Describe("days_since_penalty", 1), "last penalty 1 day ago");
}

TEST(ReasonCode, IsTheUpperCaseName) {
  EXPECT_EQ(ReasonCode("penalties_1y"), "PENALTIES_1Y");
  EXPECT_EQ(ReasonCode("abnormal_listed"), "ABNORMAL_LISTED");
}

TEST(TopReasons, LargestPositiveContributionsFirstTiesInCatalogueOrder) {
  const size_t n = FeatureCatalogue().size();
  std::vector<float> contributions(n + 1, 0.0f);
  std::vector<double> values(n, 0.0);
  const size_t penalties = IndexOf("penalties_1y");
  const size_t abnormal = IndexOf("abnormal_listed");
  const size_t complaints = IndexOf("complaints_1y");
  const size_t late = IndexOf("reports_late_3y");
  const size_t age = IndexOf("age_years");
  contributions[penalties] = 0.8f;
  values[penalties] = 2;
  contributions[abnormal] = 0.3f;
  values[abnormal] = 1;
  contributions[complaints] = 0.3f;  // ties with abnormal_listed, comes later
  values[complaints] = 5;
  contributions[late] = 0.1f;
  values[late] = 1;
  contributions[age] = -1.5f;  // lowers the risk: never a reason
  values[age] = 12;
  contributions[n] = 2.0f;  // the bias: never a reason

  const std::vector<v1::ScoreReason> reasons = TopReasons(contributions, values, 3);
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0].code(), "PENALTIES_1Y");
  EXPECT_EQ(reasons[0].feature(), "penalties_1y");
  EXPECT_DOUBLE_EQ(reasons[0].feature_value(), 2);
  EXPECT_NEAR(reasons[0].contribution(), 0.8, 1e-7);
  EXPECT_EQ(reasons[0].text(), "2 administrative penalties in the last 12 months");
  EXPECT_EQ(reasons[1].code(), "ABNORMAL_LISTED");
  EXPECT_EQ(reasons[1].text(), "currently on the abnormal-operation list");
  EXPECT_EQ(reasons[2].code(), "COMPLAINTS_1Y");

  EXPECT_EQ(TopReasons(contributions, values, 10).size(), 4u);  // only 4 positive
  EXPECT_TRUE(TopReasons(contributions, values, 0).empty());
}

TEST(TopReasons, EmptyWhenNothingRaisesTheRiskOrSizesDisagree) {
  const size_t n = FeatureCatalogue().size();
  std::vector<float> contributions(n + 1, -0.1f);
  std::vector<double> values(n, 0.0);
  EXPECT_TRUE(TopReasons(contributions, values, 3).empty());
  contributions.pop_back();
  contributions[0] = 1;
  EXPECT_TRUE(TopReasons(contributions, values, 3).empty());
}

TEST(CheckContributionsSumToMargin, ComparesEachRow) {
  // Two rows of two features plus bias.
  const std::vector<float> contributions = {0.5f, -0.25f, 1.0f, 0.0f, 0.0f, -2.0f};
  EXPECT_OK(CheckContributionsSumToMargin(contributions, {1.25f, -2.0f}, 2));
  const absl::Status off = CheckContributionsSumToMargin(contributions, {1.25f, -1.9f}, 2);
  EXPECT_THAT(off, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE(off.message().find("row 1"), absl::string_view::npos) << off;
  EXPECT_THAT(CheckContributionsSumToMargin(contributions, {1.25f}, 2),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scoring
