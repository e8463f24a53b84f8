#include "disclosure/redaction.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation::disclosure {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kIdMask = "［身份证号已隐去］";
constexpr absl::string_view kMobileMask = "［手机号已隐去］";
constexpr absl::string_view kLandlineMask = "［电话号码已隐去］";
constexpr absl::string_view kCardMask = "［银行卡号已隐去］";
constexpr absl::string_view kEmailMask = "［电子邮箱已隐去］";
constexpr absl::string_view kAddressMask = "［地址已隐去］";
constexpr absl::string_view kHealthMask = "［健康信息已隐去］";

std::string Cat(absl::string_view a, absl::string_view b, absl::string_view c = "") {
  return std::string(a) + std::string(b) + std::string(c);
}

// Redacts `text` and expects `expected`, and exactly one item of `kind`.
void ExpectOne(absl::string_view text, absl::string_view expected, PersonalDataKind kind) {
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData(text, &report), expected) << "input: " << text;
  EXPECT_EQ(report.count(kind), 1) << "input: " << text;
  EXPECT_EQ(report.total(), 1) << "input: " << text;
}

void ExpectUnchanged(absl::string_view text) {
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData(text, &report), text);
  EXPECT_EQ(report.total(), 0) << "input: " << text;
}

// --- Identity card numbers ---------------------------------------------------------------

TEST(RedactIdCard, EighteenDigitsWithValidCheck) {
  ExpectOne("当事人身份证号330106199003071236，经营者。",
            Cat("当事人身份证号", kIdMask, "，经营者。"), PersonalDataKind::kIdCardNumber);
}

TEST(RedactIdCard, CheckCharacterX) {
  ExpectOne("身份证：11010519491231002X。", Cat("身份证：", kIdMask, "。"),
            PersonalDataKind::kIdCardNumber);
  ExpectOne("身份证：11010519491231002x。", Cat("身份证：", kIdMask, "。"),
            PersonalDataKind::kIdCardNumber);
  ExpectOne("身份证：１１０１０５１９４９１２３１００２Ｘ。", Cat("身份证：", kIdMask, "。"),
            PersonalDataKind::kIdCardNumber);
}

TEST(RedactIdCard, WrongCheckCharacterIsStillRedactedAndReported) {
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData("号码330106199003071235", &report), Cat("号码", kIdMask));
  EXPECT_EQ(report.count(PersonalDataKind::kIdCardNumber), 1);
  EXPECT_EQ(report.id_card_numbers_failing_check, 1);
  const std::vector<PersonalDataMatch> matches = FindPersonalData("号码330106199003071235");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_FALSE(matches[0].check_character_valid);
  EXPECT_TRUE(FindPersonalData("号码330106199003071236")[0].check_character_valid);
}

TEST(RedactIdCard, FullWidthDigitsKeepSurroundingText) {
  ExpectOne("身份证号：３３０１０６１９９００３０７１２３６（复印件）",
            Cat("身份证号：", kIdMask, "（复印件）"), PersonalDataKind::kIdCardNumber);
}

// Characters that render as nothing must not hide a number from the detectors: the reader
// sees the digits joined, so the mask must cover them, format characters included.
TEST(RedactIdCard, InvisibleFormatCharactersDoNotHideANumber) {
  for (const char* invisible : {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD",
                                "\u180E", "\u034F", "\u202E", "\uFE0F", "\U000E0031"}) {
    ExpectOne(Cat("身份证号110105", invisible, "19491231002X，经营者。"),
              Cat("身份证号", kIdMask, "，经营者。"), PersonalDataKind::kIdCardNumber);
    ExpectOne(Cat("手机1381234", invisible, "5678。"), Cat("手机", kMobileMask, "。"),
              PersonalDataKind::kMobilePhone);
  }
  // Between two numbers, or alone, such a character is left as it was.
  ExpectUnchanged("第\u200B3次检查。");
}

TEST(RedactIdCard, DigitsOfOtherScriptsAreReadAsDigits) {
  // Mathematical bold and monospace digits, Arabic-Indic digits.
  ExpectOne("身份证号𝟏𝟏𝟎𝟏𝟎𝟓𝟏𝟗𝟒𝟗𝟏𝟐𝟑𝟏𝟎𝟎𝟐X。", Cat("身份证号", kIdMask, "。"),
            PersonalDataKind::kIdCardNumber);
  ExpectOne("手机𝟷𝟹𝟾𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾。", Cat("手机", kMobileMask, "。"),
            PersonalDataKind::kMobilePhone);
  ExpectOne("手机١٣٨١٢٣٤٥٦٧٨。", Cat("手机", kMobileMask, "。"), PersonalDataKind::kMobilePhone);
}

TEST(RedactIdCard, GroupedWithSpaces) {
  ExpectOne("证件号 330106 19900307 1236 已核对", Cat("证件号 ", kIdMask, " 已核对"),
            PersonalDataKind::kIdCardNumber);
}

TEST(RedactIdCard, FifteenDigitFirstGeneration) {
  ExpectOne("旧证号330106900307123。", Cat("旧证号", kIdMask, "。"),
            PersonalDataKind::kIdCardNumber);
}

TEST(RedactIdCard, EmbeddedInLongerDigitRun) {
  const std::string out = RedactPersonalData("编号99330106199003071236999");
  EXPECT_THAT(out, Not(HasSubstr("330106199003071236")));
  EXPECT_THAT(out, HasSubstr(kIdMask));
}

TEST(RedactIdCard, ImplausibleDateIsNotAnIdNumber) {
  // 18 digits with month 13, failing the Luhn and GB 32100 checks: nothing to redact.
  ExpectUnchanged("序号330106199013071231");
  // The same Luhn-valid: a bank card number (16-19 digits) after all.
  ExpectOne("序号330106199013071232", Cat("序号", kCardMask), PersonalDataKind::kBankCardNumber);
}

// --- Mobile numbers ------------------------------------------------------------------------

TEST(RedactMobile, EveryFormat) {
  const std::vector<std::string> formats = {
      "13812345678",
      "138 1234 5678",
      "138-1234-5678",
      "+86 13812345678",
      "+86-138-1234-5678",
      "8613812345678",
      "+8613812345678",
      "(+86)13812345678",
      "（+86）138 1234 5678",
      "0086 13812345678",
      "86 138 1234 5678",
      "１３８１２３４５６７８",
      "１３８－１２３４－５６７８",
      "138　1234　5678",
      "＋８６　１３８１２３４５６７８",
      "013812345678",
  };
  for (const std::string& phone : formats) {
    ExpectOne(Cat("联系人手机", phone, "，请核实。"), Cat("联系人手机", kMobileMask, "，请核实。"),
              PersonalDataKind::kMobilePhone);
  }
}

TEST(RedactMobile, SeparatedByPunctuationAreTwoMatches) {
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData("13812345678，13987654321、15000000000", &report),
            Cat(kMobileMask, "，", kMobileMask) + Cat("、", kMobileMask));
  EXPECT_EQ(report.count(PersonalDataKind::kMobilePhone), 3);
}

TEST(RedactMobile, NotAMobileNumber) {
  ExpectUnchanged("编号12812345678");  // 12x is not a mobile prefix.
  ExpectUnchanged("编号1381234567");   // Ten digits.
}

// --- Landlines -----------------------------------------------------------------------------

TEST(RedactLandline, EveryFormat) {
  const std::vector<std::string> formats = {
      "0571-87654321",        "(010)12345678",
      "（010）12345678",      "(0571) 8765 4321",
      "021 1234 5678",        "021-1234-5678",
      "057187654321",         "0571-87654321-123",
      "0571-87654321转8001",  "0571-87654321 分机 12",
      "0571 87654321 ext. 9", "+86 571 8765 4321",
      "+86-10-12345678",      "０５７１－８７６５４３２１",
      "0755—86001234",
  };
  for (const std::string& phone : formats) {
    ExpectOne(Cat("电话", phone, "。"), Cat("电话", kLandlineMask, "。"),
              PersonalDataKind::kLandlinePhone);
  }
}

TEST(RedactLandline, LocalNumberOnlyAfterAPhoneKeyword) {
  ExpectOne("联系电话：87654321。", Cat("联系电话：", kLandlineMask, "。"),
            PersonalDataKind::kLandlinePhone);
  ExpectOne("Tel: 8765-4321", Cat("Tel: ", kLandlineMask), PersonalDataKind::kLandlinePhone);
  ExpectOne("传真为 8765432", Cat("传真为 ", kLandlineMask), PersonalDataKind::kLandlinePhone);
  // Without a keyword an 8-digit number is just a number.
  ExpectUnchanged("抽检样品批号87654321。");
}

// --- Bank cards ----------------------------------------------------------------------------

TEST(RedactBankCard, LuhnValidInEveryGrouping) {
  const std::vector<std::string> formats = {
      "6222021234567890128", "6222 0212 3456 7890 128", "6222-0212-3456-7890-128",
      "4111111111111111",    "4111 1111 1111 1111",     "６２２２０２１２３４５６７８９０１２８",
  };
  for (const std::string& card : formats) {
    ExpectOne(Cat("退款账号", card, "。"), Cat("退款账号", kCardMask, "。"),
              PersonalDataKind::kBankCardNumber);
  }
}

TEST(RedactBankCard, LuhnFailureIsNotACard) {
  ExpectUnchanged("流水号4111111111111112。");
  ExpectUnchanged("流水号4111 1111 1111 1112。");
}

TEST(RedactBankCard, AmountIsNotACard) { ExpectUnchanged("货值金额4111111111111111元。"); }

// --- Email addresses -----------------------------------------------------------------------

TEST(RedactEmail, Addresses) {
  ExpectOne("邮箱zhang.san@example.com。", Cat("邮箱", kEmailMask, "。"),
            PersonalDataKind::kEmailAddress);
  ExpectOne("邮箱：Zhang_San+tag@mail.163.com，", Cat("邮箱：", kEmailMask, "，"),
            PersonalDataKind::kEmailAddress);
  ExpectOne("邮箱ｚｈａｎｇ＠１６３．ｃｏｍ。", Cat("邮箱", kEmailMask, "。"),
            PersonalDataKind::kEmailAddress);
  // Digits of a phone inside the local part merge into the one e-mail match.
  ExpectOne("13812345678@qq.com", kEmailMask, PersonalDataKind::kEmailAddress);
}

TEST(RedactEmail, NotAnAddress) {
  ExpectUnchanged("用户名@admin 已停用");
  ExpectUnchanged("a@b");
  ExpectUnchanged("x@y.1");
}

// --- Home addresses ------------------------------------------------------------------------

TEST(RedactAddress, AfterEachTrigger) {
  ExpectOne("住址：杭州市西湖区文三路100号3幢2单元1201室，", Cat("住址：", kAddressMask, "，"),
            PersonalDataKind::kHomeAddress);
  ExpectOne("张某家住杭州市上城区解放路5号。", Cat("张某家住", kAddressMask, "。"),
            PersonalDataKind::kHomeAddress);
  ExpectOne("家庭住址为上海市浦东新区世纪大道1号；", Cat("家庭住址为", kAddressMask, "；"),
            PersonalDataKind::kHomeAddress);
  ExpectOne("户籍地：浙江省温州市鹿城区", Cat("户籍地：", kAddressMask),
            PersonalDataKind::kHomeAddress);
  ExpectOne("现住址 宁波市海曙区 中山西路8号\n下一行", Cat("现住址 ", kAddressMask, "\n下一行"),
            PersonalDataKind::kHomeAddress);
}

TEST(RedactAddress, EnterpriseAddressesAndLookalikesStay) {
  ExpectUnchanged("住所：杭州市西湖区文三路100号。");
  ExpectUnchanged("通过登记的住所（经营场所）无法联系。");
  ExpectUnchanged("国家住房和城乡建设部。");
  ExpectUnchanged("商家住所地在杭州。");
  ExpectUnchanged("地址：杭州市西湖区文三路100号。");
  // A trigger directly followed by punctuation has nothing to redact.
  ExpectUnchanged("住址，不详。");
}

// --- Health --------------------------------------------------------------------------------

TEST(RedactHealth, AfterEachTrigger) {
  ExpectOne("经医院诊断为高血压，", Cat("经医院诊断为", kHealthMask, "，"),
            PersonalDataKind::kHealthInformation);
  ExpectOne("从业人员患有活动性肺结核。", Cat("从业人员患有", kHealthMask, "。"),
            PersonalDataKind::kHealthInformation);
  // What a record says is redacted; that it is a record stays.
  ExpectOne("病历记载：糖尿病二型；", Cat("病历记载：", kHealthMask, "；"),
            PersonalDataKind::kHealthInformation);
}

// --- Messaging accounts --------------------------------------------------------------------

TEST(RedactMessagingAccount, QqAndWeChat) {
  constexpr absl::string_view kMask = "［联系账号已隐去］";
  ExpectOne("QQ：123456789，", Cat("QQ：", kMask, "，"), PersonalDataKind::kMessagingAccount);
  ExpectOne("qq号为 12345678。", Cat("qq号为 ", kMask, "。"), PersonalDataKind::kMessagingAccount);
  ExpectOne("微信号：wxid_abc123", Cat("微信号：", kMask), PersonalDataKind::kMessagingAccount);
  ExpectOne("WeChat: zhang-san_88", Cat("WeChat: ", kMask), PersonalDataKind::kMessagingAccount);
  // A mobile number given as the WeChat ID is one match, reported as the mobile number.
  ExpectOne("微信13812345678", Cat("微信", kMobileMask), PersonalDataKind::kMobilePhone);
  ExpectUnchanged("微信公众号“市场监管”");
  ExpectUnchanged("QQ邮箱");
  ExpectUnchanged("QQ：1234");  // Too short for an account.
}

// --- What must never be redacted -----------------------------------------------------------

TEST(RedactNothing, NonPersonalAnchors) {
  for (absl::string_view text : {
           "统一社会信用代码91350100M000100Y43。",
           "统一社会信用代码：91110000600037341L",
           "统一社会信用代码913301063170669072",  // All digits: a credit code, not an ID.
           "代码123301198506129993",  // ID-shaped, ID check fails, GB 32100 check passes.
           "代码913301064990125953",  // Also Luhn-valid, but a conforming organisation code.
           "代码91368871QQW2R75RE2",  // "QQ" inside a credit code is no messaging keyword.
           "代码91330106MA2B3C4D5X",  // Credit-code shaped with a wrong check: still not personal.
           "检查日期2026-11-27，",
           "2026年11月27日",
           "2026/11/27 09:30",
           "20261127",
           "罚款50000元。",
           "罚没款合计人民币1,234,567.89元",
           "货值金额13812345678元",
           "违反了《食品安全法》第一百二十四条的规定。",
           "依据《中华人民共和国行政处罚法》第42条",
           "杭市监罚〔2025〕123号",
           "浙杭市监处字〔2026〕第00123号",
           "共检查12家企业，发现问题3项。",
           "GB 2760-2014 食品添加剂使用标准",
           "",
       }) {
    ExpectUnchanged(text);
  }
}

TEST(RedactBankCard, LuhnValidAllDigitCreditCodeWithBadOrganizationCodeIsACard) {
  ExpectOne("913301064107924942", kCardMask, PersonalDataKind::kBankCardNumber);
}

TEST(RedactNothing, BothChecksValidPutsPrivacyFirst) {
  // Valid as an ID number and as a credit code: redacted.
  ExpectOne("123301198506100199", kIdMask, PersonalDataKind::kIdCardNumber);
}

// --- Whole-text behaviour ------------------------------------------------------------------

TEST(Redaction, ReportCountsEachKind) {
  const std::string text =
      "当事人李某（身份证号330106199003071236，手机13812345678，住址：杭州市西湖区文三路100号），"
      "座机0571-87654321，银行卡6222021234567890128，邮箱li@example.com，经诊断为高血压。"
      "统一社会信用代码91350100M000100Y43，罚款50000元。";
  RedactionReport report;
  const std::string out = RedactPersonalData(text, &report);
  EXPECT_EQ(report.count(PersonalDataKind::kIdCardNumber), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kMobilePhone), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kLandlinePhone), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kBankCardNumber), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kEmailAddress), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kHomeAddress), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kHealthInformation), 1);
  EXPECT_EQ(report.total(), 7);
  EXPECT_EQ(report.id_card_numbers_failing_check, 0);
  EXPECT_THAT(out, HasSubstr("91350100M000100Y43"));
  EXPECT_THAT(out, HasSubstr("50000元"));
  EXPECT_EQ(out, Cat("当事人李某（身份证号", kIdMask, "，手机") +
                     Cat(kMobileMask, "，住址：", kAddressMask) +
                     Cat("），座机", kLandlineMask, "，银行卡") +
                     Cat(kCardMask, "，邮箱", kEmailMask) + Cat("，经诊断为", kHealthMask, "。") +
                     "统一社会信用代码91350100M000100Y43，罚款50000元。");
}

TEST(Redaction, ReportIsOverwritten) {
  RedactionReport report;
  RedactPersonalData("13812345678", &report);
  RedactPersonalData("无", &report);
  EXPECT_EQ(report.total(), 0);
}

TEST(Redaction, RedactingRedactedTextChangesNothing) {
  const std::string once = RedactPersonalData(
      "住址：杭州市文三路1号，病历显示患有高血压，手机13812345678，邮箱a@b.cn，"
      "身份证330106199003071236，卡号6222021234567890128，电话：87654321。");
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData(once, &report), once);
  EXPECT_EQ(report.total(), 0);
}

TEST(Redaction, MatchesAreOnCharacterBoundariesOfTheInput) {
  const std::string text = "手机：１３８１２３４５６７８。";
  const std::vector<PersonalDataMatch> matches = FindPersonalData(text);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(text.substr(0, matches[0].begin), "手机：");
  EXPECT_EQ(text.substr(matches[0].begin, matches[0].end - matches[0].begin),
            "１３８１２３４５６７８");
  EXPECT_EQ(matches[0].kind, PersonalDataKind::kMobilePhone);
}

TEST(Redaction, InvalidUtf8PassesThrough) {
  const std::string text = std::string("\xff\xfe手机13812345678\xe4\xb8");
  EXPECT_EQ(RedactPersonalData(text),
            std::string("\xff\xfe手机") + std::string(kMobileMask) + std::string("\xe4\xb8"));
}

TEST(Redaction, AdjacentNumbersSeparatedOnlyBySpaces) {
  const std::string out =
      RedactPersonalData("330106199003071236 13812345678 6222 0212 3456 7890 128 0571-87654321");
  EXPECT_EQ(out,
            Cat(kIdMask, " ", kMobileMask) + Cat(" ", kCardMask, " ") + std::string(kLandlineMask));
}

TEST(Redaction, KindNamesAndMasks) {
  EXPECT_EQ(PersonalDataKindName(PersonalDataKind::kIdCardNumber), "id_card_number");
  EXPECT_EQ(PersonalDataKindName(PersonalDataKind::kHealthInformation), "health_information");
  for (int k = 0; k < kNumPersonalDataKinds; ++k) {
    const absl::string_view mask = RedactionMask(static_cast<PersonalDataKind>(k));
    EXPECT_TRUE(FindPersonalData(mask).empty()) << mask;
    for (char c : mask) EXPECT_FALSE(c >= '0' && c <= '9') << mask;
  }
}

}  // namespace
}  // namespace regulation::disclosure
