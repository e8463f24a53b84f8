#include "tools/synth/tables.h"

#include <set>
#include <string>

#include "common/industry_code.h"
#include "common/region_code.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::synth {
namespace {

TEST(TablesTest, RegionsAreValidDistinctAndWeighted) {
  std::set<std::string> codes;
  std::set<std::string> provinces;
  for (const RegionInfo& r : Regions()) {
    EXPECT_OK(ValidateRegionCode(r.code)) << r.code;
    EXPECT_TRUE(codes.insert(r.code).second) << "duplicate " << r.code;
    provinces.insert(std::string(r.code).substr(0, 2));
    EXPECT_GT(r.weight, 0) << r.code;
    EXPECT_LE(std::abs(r.risk_effect), 0.3) << r.code;
    EXPECT_NE(std::string(r.name_prefix), "");
    EXPECT_NE(std::string(r.address_prefix), "");
    EXPECT_NE(std::string(r.short_name), "");
    EXPECT_EQ(std::string(r.court_province).size(), 3u) << r.code;  // one CJK character
  }
  EXPECT_GE(codes.size(), 30u);
  EXPECT_LE(codes.size(), 60u);
  EXPECT_GE(provinces.size(), 10u);
}

TEST(TablesTest, SectionsAndDivisionsAreValidGbt4754Codes) {
  double shares = 0;
  for (const SectionInfo& s : Sections()) {
    shares += s.share;
    EXPECT_OK(ValidateIndustryCode(std::string(1, s.letter))) << s.letter;
    ASSERT_FALSE(s.divisions.empty()) << s.letter;
    for (const DivisionInfo& d : s.divisions) {
      EXPECT_OK(ValidateIndustryCode(d.code)) << d.code;
      EXPECT_EQ(d.code[0], s.letter) << d.code;
      EXPECT_EQ(std::string(d.code).size(), 3u) << d.code;
      EXPECT_GT(d.weight, 0) << d.code;
      EXPECT_NE(d.words[0], nullptr) << d.code;
      EXPECT_EQ(d.licence_kind == nullptr, d.licence_department == nullptr) << d.code;
      EXPECT_EQ(d.samplings_per_year > 0, d.products[0] != nullptr) << d.code;
      EXPECT_TRUE(d.legal_groups & kGroupRegistration) << d.code;
    }
  }
  EXPECT_NEAR(shares, 100.0, 0.5);
}

TEST(TablesTest, LegalBasesNameALawAndADepartment) {
  const std::set<std::string> departments = {"samr", "tax", "housing"};
  for (const LegalBasis& b : LegalBases()) {
    const std::string text = b.text;
    EXPECT_EQ(text.rfind("《", 0), 0u) << text;
    EXPECT_NE(text.find("》第"), std::string::npos) << text;
    EXPECT_EQ(departments.count(b.department), 1u) << text;
    EXPECT_GT(b.severity_weights[0] + b.severity_weights[1] + b.severity_weights[2], 0) << text;
    EXPECT_GT(b.median_amount_yuan, 0) << text;
  }
}

TEST(TablesTest, NameAndAddressWordsAreChinese) {
  for (const char* c : TradeNameCharacters()) EXPECT_EQ(std::string(c).size(), 3u) << c;
  EXPECT_GE(TradeNameCharacters().size(), 100u);
  for (const char* road : RoadNames()) {
    const std::string r = road;
    EXPECT_TRUE(r.size() >= 6 &&
                (r.find("路") != std::string::npos || r.find("街") != std::string::npos ||
                 r.find("大道") != std::string::npos))
        << r;
  }
}

}  // namespace
}  // namespace regulation::synth
