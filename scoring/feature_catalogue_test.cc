#include "scoring/feature_catalogue.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "scoring/portrait_state.h"

namespace regulation::scoring {
namespace {

constexpr int64_t kDay = kMicrosPerDay;

int IndexOf(absl::string_view name) {
  const auto catalogue = FeatureCatalogue();
  for (size_t i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].name == name) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

v1::Enterprise Enterprise() {
  v1::Enterprise e;
  e.set_region_code("330106");
  e.set_industry_code("H62");
  e.set_registered_capital_yuan(999);
  e.mutable_establishment_date()->set_year(2020);
  e.mutable_establishment_date()->set_month(1);
  e.mutable_establishment_date()->set_day(1);
  e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  return e;
}

TEST(FeatureCatalogue, NamesAreUniqueAndTheDigestIsStable) {
  absl::flat_hash_set<absl::string_view> names;
  for (const FeatureSpec& f : FeatureCatalogue())
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
  EXPECT_EQ(FeatureSchemaDigest().size(), 64u);
  EXPECT_EQ(FeatureSchemaDigest(), FeatureSchemaDigest());
}

TEST(FeatureCatalogue, DocsListEveryFeatureInOrderWithItsDirection) {
  std::ifstream file(std::string(getenv("TEST_SRCDIR")) + "/regulation/docs/features.md");
  ASSERT_TRUE(file.good());
  std::vector<std::pair<std::string, std::string>> rows;  // name, direction
  std::string line;
  while (std::getline(file, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    if (cells.size() < 7) continue;
    std::string name(absl::StripAsciiWhitespace(cells[2]));
    if (name.size() < 3 || name.front() != '`') continue;
    rows.emplace_back(name.substr(1, name.size() - 2),
                      std::string(absl::StripAsciiWhitespace(cells[5])));
  }
  const auto catalogue = FeatureCatalogue();
  ASSERT_EQ(rows.size(), catalogue.size()) << "docs/features.md is out of step";
  const std::map<Direction, std::string> words = {{Direction::kIncreasesRisk, "increases risk"},
                                                  {Direction::kDecreasesRisk, "decreases risk"},
                                                  {Direction::kNone, "none"}};
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].first, catalogue[i].name) << "row " << i + 1;
    EXPECT_EQ(rows[i].second, words.at(catalogue[i].direction)) << catalogue[i].name;
  }
}

TEST(FeatureCatalogue, FeaturesOfAKnownHistory) {
  const int64_t now = absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(2026, 1, 1, 12, 0, 0), absl::FixedTimeZone(8 * 3600)));
  internal::PortraitState state;
  v1::Event penalty;
  penalty.set_event_id("p1");
  penalty.mutable_administrative_penalty()->set_amount_yuan(9999);
  penalty.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
  FoldEvent(penalty, now - 100 * kDay, &state);
  penalty.set_event_id("p2");
  penalty.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_MINOR);
  FoldEvent(penalty, now - 700 * kDay, &state);
  v1::Event listed;
  listed.set_event_id("a1");
  listed.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_ADDED);
  FoldEvent(listed, now - 10 * kDay, &state);

  const std::vector<double> f = ComputeFeatures(Enterprise(), state, now);
  ASSERT_EQ(f.size(), FeatureCatalogue().size());
  EXPECT_NEAR(f[IndexOf("age_years")], 6.0, 0.01);
  EXPECT_DOUBLE_EQ(f[IndexOf("capital_log10")], 3.0);
  EXPECT_EQ(f[IndexOf("industry_section")], 8);  // H
  EXPECT_EQ(f[IndexOf("province")], 33);
  EXPECT_EQ(f[IndexOf("penalties_1y")], 1);
  EXPECT_EQ(f[IndexOf("penalties_3y")], 2);
  EXPECT_DOUBLE_EQ(f[IndexOf("penalty_amount_log10_3y")], std::log10(1.0 + 2 * 9999));
  EXPECT_EQ(f[IndexOf("serious_penalties_3y")], 1);
  EXPECT_EQ(f[IndexOf("days_since_penalty")], 100);
  EXPECT_EQ(f[IndexOf("abnormal_listed")], 1);
  EXPECT_EQ(f[IndexOf("days_since_inspection")], kDaysSinceNever);
  EXPECT_EQ(f[IndexOf("events_3y")], 3);
  // A year later the recent penalty has left the one-year window.
  const std::vector<double> later = ComputeFeatures(Enterprise(), state, now + 365 * kDay);
  EXPECT_EQ(later[IndexOf("penalties_1y")], 0);
  EXPECT_EQ(later[IndexOf("penalties_3y")], 2);
}

}  // namespace
}  // namespace regulation::scoring
