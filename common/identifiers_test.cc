#include "common/industry_code.h"
#include "common/region_code.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using ::testing::HasSubstr;

TEST(RegionCode, SixDigitCodesOfRealProvincesPass) {
  EXPECT_OK(ValidateRegionCode("330106"));
  EXPECT_OK(ValidateRegionCode("110000"));
  EXPECT_OK(ValidateRegionCode("820000"));
}

TEST(RegionCode, MalformedCodesAreRejected) {
  EXPECT_THAT(ValidateRegionCode("").message(), HasSubstr("required"));
  EXPECT_THAT(ValidateRegionCode("33010").message(), HasSubstr("six digits"));
  EXPECT_THAT(ValidateRegionCode("3301066").message(), HasSubstr("six digits"));
  EXPECT_THAT(ValidateRegionCode("33O106").message(), HasSubstr("six digits"));
  EXPECT_THAT(ValidateRegionCode("990106").message(), HasSubstr("province"));
}

TEST(RegionCode, PrefixesFromEmptyToSixDigits) {
  EXPECT_OK(ValidateRegionPrefix(""));
  EXPECT_OK(ValidateRegionPrefix("3"));
  EXPECT_OK(ValidateRegionPrefix("3301"));
  EXPECT_FALSE(ValidateRegionPrefix("1000").ok());
  EXPECT_FALSE(ValidateRegionPrefix("3301011").ok());
  EXPECT_FALSE(ValidateRegionPrefix("33-1").ok());
}

TEST(IndustryCode, SectionsAndDivisionsInTheirSection) {
  EXPECT_OK(ValidateIndustryCode("C"));
  EXPECT_OK(ValidateIndustryCode("C13"));
  EXPECT_OK(ValidateIndustryCode("C1311"));
  EXPECT_OK(ValidateIndustryCode("A01"));
  EXPECT_OK(ValidateIndustryCode("T97"));
}

TEST(IndustryCode, WrongSectionOrDivisionIsRejected) {
  EXPECT_THAT(ValidateIndustryCode("").message(), HasSubstr("required"));
  EXPECT_THAT(ValidateIndustryCode("Z").message(), HasSubstr("section letter"));
  EXPECT_THAT(ValidateIndustryCode("c13").message(), HasSubstr("section letter"));
  EXPECT_THAT(ValidateIndustryCode("C01").message(), HasSubstr("not in section C"));
  EXPECT_THAT(ValidateIndustryCode("C1").message(), HasSubstr("two digits"));
  EXPECT_THAT(ValidateIndustryCode("C13111").message(), HasSubstr("2-4 digits"));
}

TEST(IndustryCode, PrefixAcceptsPartialDivision) {
  EXPECT_OK(ValidateIndustryPrefix(""));
  EXPECT_OK(ValidateIndustryPrefix("C"));
  EXPECT_OK(ValidateIndustryPrefix("C1"));
  EXPECT_FALSE(ValidateIndustryPrefix("X").ok());
}

// Found by //tests/fuzz:identifiers_fuzzer: "B3" was accepted although section B holds
// divisions 06-12 only, so a population filter "B3" silently matched nothing.
TEST(IndustryCode, PrefixRefusesAFirstDigitNoDivisionOfTheSectionHas) {
  EXPECT_OK(ValidateIndustryPrefix("B0"));
  EXPECT_OK(ValidateIndustryPrefix("B1"));
  EXPECT_THAT(ValidateIndustryPrefix("B3").message(), HasSubstr("no division of section B"));
  EXPECT_FALSE(ValidateIndustryPrefix("C5").ok());
  EXPECT_FALSE(ValidateIndustryPrefix("A1").ok());
  EXPECT_OK(ValidateIndustryPrefix("T9"));
}

}  // namespace
}  // namespace regulation
