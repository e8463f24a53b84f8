#include "scoring/reason_text_zh.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/explanations.h"
#include "scoring/feature_catalogue.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

std::string Zh(absl::string_view feature, double value) {
  absl::StatusOr<std::string> text = DescribeFeatureZh(feature, value);
  EXPECT_OK(text) << feature;
  return text.value_or("");
}

// True when `text` has a byte outside ASCII (Chinese, in UTF-8).
bool HasNonAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

TEST(DescribeFeatureZh, EveryCatalogueFeatureHasAChineseSentence) {
  for (const FeatureSpec& spec : FeatureCatalogue()) {
    EXPECT_TRUE(HasReasonTemplateZh(spec.name)) << spec.name;
    const std::string text = Zh(spec.name, 1);
    EXPECT_TRUE(HasNonAscii(text)) << spec.name << ": " << text;
  }
  EXPECT_FALSE(HasReasonTemplateZh("no_such_feature"));
  EXPECT_THAT(
      DescribeFeatureZh("no_such_feature", 1),
      StatusIs(absl::StatusCode::kNotFound, "no Chinese reason template for no_such_feature"));
}

TEST(DescribeFeatureZh, SentencesCarryTheValue) {
  EXPECT_EQ(Zh("penalties_1y", 2), "近12个月受到行政处罚2次");
  EXPECT_EQ(Zh("serious_penalties_3y", 1), "近3年受到严重行政处罚1次");
  EXPECT_EQ(Zh("days_since_penalty", 40), "距上次行政处罚40天");
  EXPECT_EQ(Zh("days_since_penalty", kDaysSinceNever), "无行政处罚记录");
  EXPECT_EQ(Zh("days_since_inspection", kDaysSinceNever), "从未接受检查");
  EXPECT_EQ(Zh("abnormal_listed", 1), "目前列入经营异常名录");
  EXPECT_EQ(Zh("abnormal_listed", 0), "未列入经营异常名录");
  EXPECT_EQ(Zh("industry_section", 3), "行业门类C（制造业）");
  EXPECT_EQ(Zh("industry_section", 0), "行业门类未知");
  EXPECT_EQ(Zh("age_years", 12.3), "成立12.3年");
}

TEST(DescribeFeatureZh, AmountsUseWanAndYi) {
  // The catalogue stores log10(1 + yuan).
  EXPECT_EQ(Zh("capital_log10", std::log10(1.0 + 500)), "注册资本500元");
  EXPECT_EQ(Zh("capital_log10", std::log10(1.0 + 30000)), "注册资本3万元");
  EXPECT_EQ(Zh("capital_log10", std::log10(1.0 + 250000000)), "注册资本2.5亿元");
  EXPECT_EQ(Zh("penalty_amount_log10_3y", std::log10(1.0 + 99999999)), "近3年罚款合计1.0亿元");
}

TEST(TopReasons, EachReasonHasItsChineseSentence) {
  const size_t n = FeatureCatalogue().size();
  std::vector<float> contributions(n + 1, 0.0f);
  std::vector<double> values(n, 0.0);
  size_t penalties = n;
  for (size_t i = 0; i < n; ++i) {
    if (FeatureCatalogue()[i].name == "penalties_1y") penalties = i;
  }
  ASSERT_LT(penalties, n);
  contributions[penalties] = 0.5f;
  values[penalties] = 3;
  const std::vector<v1::ScoreReason> reasons = TopReasons(contributions, values, 5);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0].text(), "3 administrative penalties in the last 12 months");
  EXPECT_EQ(reasons[0].text_zh(), "近12个月受到行政处罚3次");
}

}  // namespace
}  // namespace regulation::scoring
