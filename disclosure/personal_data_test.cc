#include "disclosure/personal_data.h"

#include <string>

#include "gtest/gtest.h"

namespace regulation::disclosure {
namespace {

TEST(IdCard, CheckCharacterOfKnownNumbers) {
  // GB 11643-1999's worked example and numbers computed by hand.
  EXPECT_EQ(IdCardCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCardCheckCharacter("33010619900307123"), '6');
  EXPECT_EQ(IdCardCheckCharacter("44030420000229561"), '6');
}

TEST(IdCard, ValidNumbers) {
  EXPECT_TRUE(IsValidIdCardNumber18("11010519491231002X"));
  EXPECT_TRUE(IsValidIdCardNumber18("330106199003071236"));
  EXPECT_TRUE(IsValidIdCardNumber18("440304200002295616"));  // 2000-02-29 exists.
}

TEST(IdCard, WrongCheckCharacterKeepsShapeButFailsValidation) {
  EXPECT_TRUE(HasIdCardShape18("330106199003071235"));
  EXPECT_FALSE(IsValidIdCardNumber18("330106199003071235"));
}

TEST(IdCard, ShapeRejectsImpossibleDatesAndRegions) {
  EXPECT_FALSE(HasIdCardShape18("330106199002301236"));  // 30 February.
  EXPECT_FALSE(HasIdCardShape18("330106190002291236"));  // 1900 was not a leap year.
  EXPECT_FALSE(HasIdCardShape18("330106189912311236"));  // Before 1900.
  EXPECT_FALSE(HasIdCardShape18("330106199013011236"));  // Month 13.
  EXPECT_FALSE(HasIdCardShape18("913301199003071236"));  // Province 91 does not exist.
  EXPECT_FALSE(HasIdCardShape18("33010619900307123"));   // 17 characters.
  EXPECT_FALSE(HasIdCardShape18("33010619900307123x"));  // Lower case is normalised earlier.
  EXPECT_FALSE(HasIdCardShape18("3301061990030712X6"));
}

TEST(IdCard, FifteenDigitNumbers) {
  EXPECT_TRUE(HasIdCardShape15("330106900307123"));
  EXPECT_FALSE(HasIdCardShape15("330106901307123"));  // Month 13.
  EXPECT_FALSE(HasIdCardShape15("990106900307123"));  // Province 99.
  EXPECT_FALSE(HasIdCardShape15("33010690030712"));
}

TEST(EighteenCharacters, PrecedenceBetweenIdCardAndCreditCode) {
  EXPECT_EQ(ClassifyEighteenCharacters("330106199003071236"), EighteenCharacterClass::kIdCard);
  EXPECT_EQ(ClassifyEighteenCharacters("330106199003071235"),
            EighteenCharacterClass::kIdCardBadCheck);
  // All-digit credit codes: not ID-shaped (91 is no province).
  EXPECT_EQ(ClassifyEighteenCharacters("913301063170669072"), EighteenCharacterClass::kCreditCode);
  // ID-shaped (province 12, 1985-06-12) but the ID check fails and GB 32100's passes.
  EXPECT_EQ(ClassifyEighteenCharacters("123301198506129993"), EighteenCharacterClass::kCreditCode);
  // Both checks pass: privacy first.
  EXPECT_EQ(ClassifyEighteenCharacters("123301198506100199"), EighteenCharacterClass::kIdCard);
  // All digits, GB 32100 and Luhn both pass: the organisation code decides.
  EXPECT_EQ(ClassifyEighteenCharacters("913301064990125953"), EighteenCharacterClass::kCreditCode);
  EXPECT_EQ(ClassifyEighteenCharacters("913301064107924942"), EighteenCharacterClass::kOther);
  // GB 32100 check passes but no registering department 0 exists: not a credit code.
  EXPECT_EQ(ClassifyEighteenCharacters("000000000000000000"), EighteenCharacterClass::kOther);
  EXPECT_EQ(ClassifyEighteenCharacters("000000000000000001"), EighteenCharacterClass::kOther);
}

TEST(EighteenCharacters, OrganizationCodeCheck) {
  EXPECT_TRUE(HasValidOrganizationCodeCheck("91110000600037341L"));
  EXPECT_TRUE(HasValidOrganizationCodeCheck("91350100M000100Y43"));
  EXPECT_TRUE(HasValidOrganizationCodeCheck("913301064990125953"));
  EXPECT_FALSE(HasValidOrganizationCodeCheck("913301064107924942"));
  EXPECT_FALSE(HasValidOrganizationCodeCheck("91110000600037342L"));
}

TEST(EighteenCharacters, CreditCodeStructure) {
  EXPECT_TRUE(HasCreditCodeStructure("91350100M000100Y43"));
  EXPECT_TRUE(HasCreditCodeStructure("91110000600037341L"));
  EXPECT_TRUE(HasCreditCodeStructure("91100000100003962T"));  // National level (10).
  EXPECT_TRUE(HasCreditCodeStructure("Y1330106"));
  EXPECT_FALSE(HasCreditCodeStructure("01330106"));  // No department 0.
  EXPECT_FALSE(HasCreditCodeStructure("62596897"));  // Region 59 does not exist.
  EXPECT_FALSE(HasCreditCodeStructure("913"));
}

TEST(Phones, MobileNumbers) {
  EXPECT_TRUE(IsMainlandMobileNumber("13812345678"));
  EXPECT_TRUE(IsMainlandMobileNumber("19912345678"));
  EXPECT_FALSE(IsMainlandMobileNumber("12812345678"));
  EXPECT_FALSE(IsMainlandMobileNumber("1381234567"));
  EXPECT_FALSE(IsMainlandMobileNumber("23812345678"));
}

TEST(Phones, AreaCodes) {
  EXPECT_EQ(AreaCodeLength("01012345678"), 3);
  EXPECT_EQ(AreaCodeLength("021"), 3);
  EXPECT_EQ(AreaCodeLength("0571"), 4);
  EXPECT_EQ(AreaCodeLength("057"), 0);
  EXPECT_EQ(AreaCodeLength("0111"), 0);
  EXPECT_EQ(AreaCodeLength("0086"), 0);
  EXPECT_EQ(AreaCodeLength("571"), 0);
  EXPECT_EQ(AreaCodeLengthWithoutTrunkPrefix("10"), 2);
  EXPECT_EQ(AreaCodeLengthWithoutTrunkPrefix("571"), 3);
  EXPECT_EQ(AreaCodeLengthWithoutTrunkPrefix("13"), 0);
  EXPECT_TRUE(IsLocalLandlineNumber("87654321"));
  EXPECT_TRUE(IsLocalLandlineNumber("8765432"));
  EXPECT_FALSE(IsLocalLandlineNumber("07654321"));
  EXPECT_FALSE(IsLocalLandlineNumber("876543"));
}

TEST(BankCards, Luhn) {
  EXPECT_TRUE(PassesLuhnCheck("79927398713"));  // The textbook example.
  EXPECT_FALSE(PassesLuhnCheck("79927398710"));
  EXPECT_TRUE(IsBankCardNumber("6222021234567890128"));
  EXPECT_TRUE(IsBankCardNumber("4111111111111111"));
  EXPECT_FALSE(IsBankCardNumber("4111111111111112"));
  EXPECT_FALSE(IsBankCardNumber("401288888888183"));  // 15 digits.
}

}  // namespace
}  // namespace regulation::disclosure
