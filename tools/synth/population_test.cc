#include "tools/synth/population.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/credit_code.h"
#include "common/industry_code.h"
#include "common/region_code.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::synth {
namespace {

constexpr int64_t kEnterprises = 20000;

SynthConfig Config(uint64_t seed) {
  SynthConfig c;
  c.enterprises = kEnterprises;
  c.years = 3;
  c.seed = seed;
  return c;
}

const std::vector<EnterpriseProfile>& Population() {
  static const auto* population = [] {
    auto* p = new std::vector<EnterpriseProfile>;
    StreamFactory streams(20260630);
    for (int64_t i = 0; i < kEnterprises; ++i) {
      p->push_back(GenerateProfile(Config(20260630), i, &streams));
    }
    return p;
  }();
  return *population;
}

TEST(PopulationTest, CreditCodesAreValidUniqueAndCarryTheRegion) {
  std::set<std::string> codes;
  for (const EnterpriseProfile& p : Population()) {
    ASSERT_OK(ValidateCreditCode(p.credit_code))
        << p.credit_code << ": " << ValidateCreditCode(p.credit_code).message();
    EXPECT_EQ(p.credit_code.substr(0, 2), "91");
    EXPECT_EQ(p.credit_code.substr(2, 6), p.region_code);
    const std::string org = p.credit_code.substr(8, 9);
    EXPECT_EQ(org[8], OrganisationCodeCheck(org.substr(0, 8))) << p.credit_code;
    EXPECT_EQ(org.rfind("MA", 0) == 0, p.establishment >= absl::CivilDay(2015, 10, 1))
        << p.credit_code;
    ASSERT_TRUE(codes.insert(p.credit_code).second) << "duplicate " << p.credit_code;
  }
}

TEST(PopulationTest, RegionAndIndustryCodesPassTheValidators) {
  for (const EnterpriseProfile& p : Population()) {
    ASSERT_OK(ValidateRegionCode(p.region_code)) << p.region_code;
    ASSERT_OK(ValidateIndustryCode(p.industry_code)) << p.industry_code;
    EXPECT_EQ(p.industry_code[0], p.section->letter);
  }
}

TEST(PopulationTest, IndustrySharesFollowTheTable) {
  std::map<char, int> counts;
  for (const EnterpriseProfile& p : Population()) ++counts[p.industry_code[0]];
  double total_share = 0;
  for (const SectionInfo& s : Sections()) total_share += s.share;
  for (const SectionInfo& s : Sections()) {
    const double expected = 100.0 * s.share / total_share;
    const double actual = 100.0 * counts[s.letter] / kEnterprises;
    EXPECT_NEAR(actual, expected, 1.5) << s.letter;
  }
  EXPECT_NEAR(100.0 * counts['F'] / kEnterprises, 37.0, 2.5);  // wholesale and retail
  EXPECT_NEAR(100.0 * counts['L'] / kEnterprises, 12.0, 1.5);
  EXPECT_NEAR(100.0 * counts['C'] / kEnterprises, 10.0, 1.5);
}

TEST(PopulationTest, EstablishmentDatesAreInRangeAndSkewedYoung) {
  const absl::CivilDay end = Config(1).end_date;
  int under_five = 0;
  for (const EnterpriseProfile& p : Population()) {
    ASSERT_GE(p.establishment, kEarliestEstablishment);
    ASSERT_LE(p.establishment, end);
    under_five += (end - p.establishment) < 5 * 365;
  }
  EXPECT_GT(under_five, kEnterprises * 0.4);
  EXPECT_LT(under_five, kEnterprises * 0.7);
}

TEST(PopulationTest, RecordsLookPlausible) {
  int tiny = 0, shells = 0, closed = 0;
  for (const EnterpriseProfile& p : Population()) {
    EXPECT_GE(p.registered_capital_yuan, 10000);
    EXPECT_EQ(p.registered_capital_yuan % 10000, 0);
    EXPECT_EQ(p.name.rfind(p.region->name_prefix, 0), 0u) << p.name;
    EXPECT_EQ(p.name.substr(p.name.size() - 6), "公司") << p.name;
    EXPECT_EQ(p.address.rfind(p.region->address_prefix, 0), 0u) << p.address;
    EXPECT_NE(p.address.find("号"), std::string::npos) << p.address;
    EXPECT_GT(p.employees, 0);
    tiny += p.registered_capital_yuan < kTinyCapitalYuan;
    shells += p.shell;
    closed += p.closed_before_window;
    if (p.closed_before_window) {
      EXPECT_LT(p.establishment, WindowOf(Config(1)).first_day);
    }
  }
  EXPECT_GT(tiny, kEnterprises * 0.03);
  EXPECT_LT(tiny, kEnterprises * 0.25);
  EXPECT_GT(shells, kEnterprises * 0.03);
  EXPECT_LT(shells, kEnterprises * 0.15);
  EXPECT_GT(closed, 0);
  EXPECT_LT(closed, kEnterprises * 0.15);
}

TEST(PopulationTest, AnEnterpriseDependsOnlyOnSeedAndIndex) {
  StreamFactory fresh(20260630);
  for (int64_t i : {int64_t{19999}, int64_t{0}, int64_t{777}}) {
    const EnterpriseProfile p = GenerateProfile(Config(20260630), i, &fresh);
    const EnterpriseProfile& q = Population()[i];
    EXPECT_EQ(p.credit_code, q.credit_code);
    EXPECT_EQ(p.name, q.name);
    EXPECT_EQ(p.address, q.address);
    EXPECT_EQ(p.latent_propensity, q.latent_propensity);
  }
  StreamFactory other(1);
  EXPECT_NE(GenerateProfile(Config(1), 5, &other).name, Population()[5].name);
}

TEST(PopulationTest, LatentPropensityIsHigherForShellsAndRiskySections) {
  double shell_sum = 0, other_sum = 0, h_sum = 0, m_sum = 0;
  int shell_n = 0, other_n = 0, h_n = 0, m_n = 0;
  for (const EnterpriseProfile& p : Population()) {
    (p.shell ? shell_sum : other_sum) += p.latent_propensity;
    ++(p.shell ? shell_n : other_n);
    if (p.section->letter == 'H') h_sum += p.latent_propensity, ++h_n;
    if (p.section->letter == 'M') m_sum += p.latent_propensity, ++m_n;
  }
  EXPECT_GT(shell_sum / shell_n, other_sum / other_n + 0.7);
  EXPECT_GT(h_sum / h_n, m_sum / m_n + 0.4);
}

TEST(OrganisationCodeTest, CheckCharacterFollowsGb11714) {
  // The organisation codes inside GB 32100's examples 91350100M000100Y43 and
  // 91110000600037341L.
  EXPECT_EQ(OrganisationCodeCheck("M000100Y"), '4');
  EXPECT_EQ(OrganisationCodeCheck("60003734"), '1');
  EXPECT_EQ(OrganisationCode(1, 123, false).size(), 9u);
  EXPECT_EQ(OrganisationCode(1, 123, true).substr(0, 2), "MA");
  EXPECT_NE(OrganisationCode(1, 123, true), OrganisationCode(2, 123, true));
}

TEST(RoundCapitalTest, RoundsToWholeTenThousands) {
  Rng rng(1, 2, 3, 4);
  for (double yuan : {1.0, 12345.0, 987654.0, 3.3e6, 1.23e9}) {
    for (int i = 0; i < 20; ++i) {
      const int64_t c = RoundCapital(yuan, &rng);
      EXPECT_GE(c, 10000);
      EXPECT_EQ(c % 10000, 0);
      EXPECT_LT(std::abs(std::log(c / std::max(yuan, 10000.0))), 0.75) << yuan << " " << c;
    }
  }
}

}  // namespace
}  // namespace regulation::synth
