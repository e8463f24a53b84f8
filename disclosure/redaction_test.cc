#include "disclosure/redaction.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/time_bound.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::ScaledTimeBound;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kIdMask = "［身份证号已隐去］";
constexpr absl::string_view kMobileMask = "［手机号已隐去］";
constexpr absl::string_view kLandlineMask = "［电话号码已隐去］";
constexpr absl::string_view kCardMask = "［银行卡号已隐去］";
constexpr absl::string_view kEmailMask = "［电子邮箱已隐去］";
constexpr absl::string_view kAddressMask = "［地址已隐去］";
constexpr absl::string_view kHealthMask = "［健康信息已隐去］";
constexpr absl::string_view kNameMask = "［姓名已隐去］";
constexpr absl::string_view kAccountMask = "［银行账号已隐去］";
constexpr absl::string_view kDocumentMask = "［证件号码已隐去］";
constexpr absl::string_view kPlateMask = "［车牌号已隐去］";
constexpr absl::string_view kHandleMask = "［联系账号已隐去］";

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

// Found by //tests/fuzz:redaction_fuzzer: a Chinese keyword right after an ASCII letter or
// digit (the end of another account) was skipped as if it were inside a code, and the
// second WeChat ID was published; only a second redaction removed it.
TEST(RedactMessagingAccount, ChineseKeywordRightAfterAnotherAccount) {
  constexpr absl::string_view kMask = "［联系账号已隐去］";
  RedactionReport report;
  const std::string once = RedactPersonalData("微信号：wxid_abc06微信号：wxid_abc061，", &report);
  EXPECT_EQ(once, Cat(Cat("微信号：", kMask, "微信号："), kMask, "，"));
  EXPECT_EQ(report.count(PersonalDataKind::kMessagingAccount), 2);
  EXPECT_EQ(RedactPersonalData(once), once);
  ExpectOne("编号A1微信：zhangsan_01", Cat("编号A1微信：", kMask),
            PersonalDataKind::kMessagingAccount);
}

// Found by //tests/fuzz:redaction_fuzzer: "QQ" right after a mobile number's last digit
// looked like part of a code, so only a second redaction, with the number masked, saw the
// keyword. The matches are now a fixed point: the QQ number is found in the first pass,
// and FindPersonalData reports it at its place in the original text.
TEST(RedactMessagingAccount, KeywordExposedByAnEarlierMask) {
  constexpr absl::string_view kMask = "［联系账号已隐去］";
  const std::string text = "13812345678QQ：123456789，";
  RedactionReport report;
  const std::string once = RedactPersonalData(text, &report);
  EXPECT_EQ(once, Cat(Cat(kMobileMask, "QQ："), kMask, "，"));
  EXPECT_EQ(report.count(PersonalDataKind::kMobilePhone), 1);
  EXPECT_EQ(report.count(PersonalDataKind::kMessagingAccount), 1);
  EXPECT_EQ(RedactPersonalData(once), once);
  const std::vector<PersonalDataMatch> matches = FindPersonalData(text);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(text.substr(matches[1].begin, matches[1].end - matches[1].begin), "123456789");
  // Inside a code the keyword is still no keyword.
  ExpectUnchanged("代码91368871QQW2R75RE2");
}

// --- Personal names ------------------------------------------------------------------------

TEST(RedactName, AfterRoleWords) {
  ExpectOne("当事人负责人张三未按规定公示。", Cat("当事人负责人", kNameMask, "未按规定公示。"),
            PersonalDataKind::kPersonName);
  ExpectOne("法定代表人：李四，", Cat("法定代表人：", kNameMask, "，"), PersonalDataKind::kPersonName);
  ExpectOne("店长为王小明。", Cat("店长为", kNameMask, "。"), PersonalDataKind::kPersonName);
  ExpectOne("户名：郭强）", Cat("户名：", kNameMask, "）"), PersonalDataKind::kPersonName);
  ExpectOne("厨师吴敏在后厨", Cat("厨师", kNameMask, "在后厨"), PersonalDataKind::kPersonName);
  // Compound surnames, and a two-character name cut before a verb.
  ExpectOne("负责人欧阳明辉称", Cat("负责人", kNameMask, "称"), PersonalDataKind::kPersonName);
  ExpectOne("经理诸葛文斌当场签字", Cat("经理", kNameMask, "当场签字"),
            PersonalDataKind::kPersonName);
  ExpectOne("负责人李四确认", Cat("负责人", kNameMask, "确认"), PersonalDataKind::kPersonName);
}

TEST(RedactName, AfterAPrepositionAndARoleOrBeforeAPersonsVerb) {
  ExpectOne("由店长张三签字确认。", Cat("由店长", kNameMask, "签字确认。"),
            PersonalDataKind::kPersonName);
  ExpectOne("经负责人李四同意，", Cat("经负责人", kNameMask, "同意，"), PersonalDataKind::kPersonName);
  ExpectOne("向投诉人赵六了解情况", Cat("向投诉人", kNameMask, "了解情况"),
            PersonalDataKind::kPersonName);
  ExpectOne("从郭强处购进", Cat("从", kNameMask, "处购进"), PersonalDataKind::kPersonName);
  ExpectOne("经询问，王小明称不知情。", Cat("经询问，", kNameMask, "称不知情。"),
            PersonalDataKind::kPersonName);
  ExpectOne("经查，陶然在其家中生产", Cat("经查，", kNameMask, "在其家中生产"),
            PersonalDataKind::kPersonName);
  ExpectOne("骗取兰心等6名消费者", Cat("骗取", kNameMask, "等6名消费者"),
            PersonalDataKind::kPersonName);
}

TEST(RedactName, ListsDotsAndEveryOccurrence) {
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData("员工张三、李四、王小明均未取得健康证明。", &report),
            Cat("员工", kNameMask, "、") + Cat(kNameMask, "、", kNameMask) + "均未取得健康证明。");
  EXPECT_EQ(report.count(PersonalDataKind::kPersonName), 3);
  ExpectOne("经营者阿卜杜拉·买买提在夜市", Cat("经营者", kNameMask, "在夜市"),
            PersonalDataKind::kPersonName);
  ExpectOne("员工古丽娜尔・吐尔逊的护照", Cat("员工", kNameMask, "的护照"),
            PersonalDataKind::kPersonName);
  // Once a role word has introduced 郭强, every 郭强 in the text is a name.
  EXPECT_EQ(RedactPersonalData("供货人郭强称货物合法，郭强手机已关机。", &report),
            Cat("供货人", kNameMask, "称货物合法，") + Cat(kNameMask, "手机已关机。"));
  EXPECT_EQ(report.count(PersonalDataKind::kPersonName), 2);
}

TEST(RedactName, PseudonymsTitlesAndOrdinaryWordsStay) {
  for (absl::string_view text : {
           "当事人张某、李某某对违法事实无异议。",
           "消费者王女士投诉，联系人李经理到场，张师傅在场。",
           "当事人未按规定公示年度报告，责令当事人限期改正。",
           "负责人安排员工下架，店长陈述称产品系正规渠道购进。",
           "当事人对违法事实无异议，负责人现场提供了许可证。",
           "经营者明知产品不合格，当事人曾经因同类违法被处罚。",
           "当事人杭州张小泉刀剪有限公司，负责人杭州某某餐饮管理有限公司派驻。",
           "顾客投诉后，厨师长安全意识淡薄，员工健康证明齐全。",
           "当事人销售的大米标称产地为五常市，企业名称变更。",
           "经查，当事人存在以下违法行为；经查，高温天气下冷链车辆未开启制冷。",
       }) {
    ExpectUnchanged(text);
  }
}

// --- Accounts by context ----------------------------------------------------------------

TEST(RedactBankAccount, AfterAnAccountWordWhateverTheCheck) {
  // 19 digits failing the Luhn check (issue 11's example).
  ExpectOne("银行账号6222021234567890123。", Cat("银行账号", kAccountMask, "。"),
            PersonalDataKind::kBankAccountNumber);
  ExpectOne("开户行及账号：招商银行杭州分行5719 0123 4567 890。",
            Cat("开户行及账号：招商银行杭州分行", kAccountMask, "。"),
            PersonalDataKind::kBankAccountNumber);
  ExpectOne("对公账户33050161712700001234，", Cat("对公账户", kAccountMask, "，"),
            PersonalDataKind::kBankAccountNumber);
  // Grouped 6 + 13: a card whatever its check after 卡号, by the Luhn check without.
  ExpectOne("卡号622202 1234567890123。", Cat("卡号", kAccountMask, "。"),
            PersonalDataKind::kBankAccountNumber);
  ExpectOne("收款622202 1234567890128", Cat("收款", kCardMask), PersonalDataKind::kBankCardNumber);
}

TEST(RedactBankAccount, NotAnAccountNumber) {
  ExpectUnchanged("健身卡（卡号VIP20240318）无法退费。");
  ExpectUnchanged("账户余额12,345元，卡号尾号1234。");
  ExpectUnchanged("开户行：中国工商银行杭州分行。");
  ExpectUnchanged("退还至投诉人账户，共计12345678元。");
}

// --- Travel documents and plates ---------------------------------------------------------

TEST(RedactTravelDocument, PassportsAndPermits) {
  for (absl::string_view number :
       {"E12345678", "G23456789", "EA1234567", "C87654321", "W12345678", "L12345678",
        "H12345678", "M1234567890"}) {
    ExpectOne(Cat("持有", number, "出境"), Cat("持有", kDocumentMask, "出境"),
              PersonalDataKind::kTravelDocumentNumber);
  }
  ExpectOne("护照号码：PE1234567，", Cat("护照号码：", kDocumentMask, "，"),
            PersonalDataKind::kTravelDocumentNumber);
  ExpectOne("台胞证号码08123456。", Cat("台胞证号码", kDocumentMask, "。"),
            PersonalDataKind::kTravelDocumentNumber);
}

TEST(RedactTravelDocument, ApprovalAndBatchNumbersStay) {
  ExpectUnchanged("阿莫西林胶囊（国药准字H20003263）");
  ExpectUnchanged("标示“国食健注G20120123”的保健食品");
  ExpectUnchanged("批号E20250301，有效期至2027年2月。");
  ExpectUnchanged("通行证有效期至20250301。");
}

TEST(RedactLicensePlate, EveryForm) {
  for (absl::string_view plate :
       {"浙A12345", "沪B12345", "浙A·D12345", "苏E·12345D", "浙A88K66", "浙H·12345", "浙A 12345"}) {
    ExpectOne(Cat("车辆号牌为", plate, "，"), Cat("车辆号牌为", kPlateMask, "，"),
              PersonalDataKind::kLicensePlate);
  }
}

TEST(RedactLicensePlate, CodesThatContainAPlateStay) {
  ExpectUnchanged("使用登记证编号梯11浙A12345(18)");
  ExpectUnchanged("药品经营许可证编号浙AA5710123");
  ExpectUnchanged("涉案车辆浙A牌照已核实。");
}

// --- Numbers, e-mails and handles written in other ways ----------------------------------

TEST(RedactLandline, KeywordNotDirectlyBeforeAndLists) {
  ExpectOne("座机（办公室）：88765432。", Cat("座机（办公室）：", kLandlineMask, "。"),
            PersonalDataKind::kLandlinePhone);
  ExpectOne("宅电号码为 8512 3456，", Cat("宅电号码为 ", kLandlineMask, "，"),
            PersonalDataKind::kLandlinePhone);
  ExpectOne("宅电：区号0571，号码86541234。", Cat("宅电：区号0571，号码", kLandlineMask, "。"),
            PersonalDataKind::kLandlinePhone);
  RedactionReport report;
  EXPECT_EQ(RedactPersonalData("电话：0571-86012345、86012346或87654321。", &report),
            Cat("电话：", kLandlineMask, "、") + Cat(kLandlineMask, "或", kLandlineMask) + "。");
  EXPECT_EQ(report.count(PersonalDataKind::kLandlinePhone), 3);
  // A date after a number in a list is a date.
  ExpectOne("电话13812345678，20250315到期", Cat("电话", kMobileMask, "，20250315到期"),
            PersonalDataKind::kMobilePhone);
}

TEST(RedactEmail, WrittenToDodgeSpamFilters) {
  for (absl::string_view email : {"wudawei[at]163.com", "george.w(at)gmail.com",
                                  "dawei_wu@sina。com", "zhang3#qq.com", "li（at）qq．com"}) {
    ExpectOne(Cat("邮箱", email, "。"), Cat("邮箱", kEmailMask, "。"),
              PersonalDataKind::kEmailAddress);
  }
  ExpectUnchanged("话题#食品安全#。");
}

TEST(RedactMessagingAccount, OtherKeywords) {
  ExpectOne("VX：xiaomei_shop88，", Cat("VX：", kHandleMask, "，"),
            PersonalDataKind::kMessagingAccount);
  ExpectOne("wx号mm20250301。", Cat("wx号", kHandleMask, "。"), PersonalDataKind::kMessagingAccount);
  ExpectOne("抖音号xiongmeng_2020）", Cat("抖音号", kHandleMask, "）"),
            PersonalDataKind::kMessagingAccount);
}

// --- Addresses and health, where they start and end ---------------------------------------

TEST(RedactAddress, EndsWhereTheAddressEnds) {
  ExpectOne("暂住杭州市拱墅区湖墅南路88号2幢1单元302室从事餐饮服务。",
            Cat("暂住", kAddressMask, "从事餐饮服务。"), PersonalDataKind::kHomeAddress);
  ExpectOne("现居湖州市吴兴区珍贝路88号（康泰小区）2幢301室，",
            Cat("现居", kAddressMask, "，"), PersonalDataKind::kHomeAddress);
  ExpectOne("在其租住的杭州市文一西路998号5号楼1203室内制作蛋糕",
            Cat("在其租住的", kAddressMask, "内制作蛋糕"), PersonalDataKind::kHomeAddress);
  ExpectOne("户口所在地江西省南昌市东湖区，", Cat("户口所在地", kAddressMask, "，"),
            PersonalDataKind::kHomeAddress);
  ExpectOne("利用其住宅（温州市鹿城区信河街125号）从事加工",
            Cat("利用其住宅（", kAddressMask, "）从事加工"), PersonalDataKind::kHomeAddress);
}

TEST(RedactAddress, EnterpriseAddressesAndPermitsStay) {
  ExpectUnchanged("当事人登记住址为杭州市拱墅区莫干山路100号2201室，经现场核查，无法联系。");
  ExpectUnchanged("暂住证已过期，暂住证编号已登记。");
  ExpectUnchanged("在其暂住处开设小作坊。");
  ExpectUnchanged("住宅小区内的商铺。");
}

TEST(RedactHealth, ConditionBeforeItsTrigger) {
  ExpectOne("其本人有高血压病史，", Cat("其本人有", kHealthMask, "病史，"),
            PersonalDataKind::kHealthInformation);
  ExpectOne("既往有高血压、糖尿病病史。", Cat("既往有", kHealthMask, "病史。"),
            PersonalDataKind::kHealthInformation);
  ExpectOne("该员工系2型糖尿病患者。", Cat("该员工系", kHealthMask, "患者。"),
            PersonalDataKind::kHealthInformation);
  ExpectOne("以其患有抑郁症为由拒绝退费", Cat("以其患有", kHealthMask, "为由拒绝退费"),
            PersonalDataKind::kHealthInformation);
}

TEST(RedactHealth, AnimalsStatutesAndPatientsPhotosStay) {
  ExpectUnchanged("犬只患有犬瘟热，购买后第3天死亡。");
  ExpectUnchanged("患有有碍食品安全疾病的人员不得从事接触直接入口食品的工作。");
  ExpectUnchanged("广告中使用了患者的照片。");
}

// --- Invariants the fuzz tests rely on ---------------------------------------------------

TEST(Redaction, OutputStaysWithinTheStatedBound) {
  // Shortest matches with the longest masks, over and over.
  for (absl::string_view unit : {"QQ12345,", "住址a1,", "病史：ab,", "a@b.cc,"}) {
    std::string text;
    for (int i = 0; i < 200; ++i) text += std::string(unit);
    const std::string out = RedactPersonalData(text);
    EXPECT_LE(out.size(), MaxRedactedSize(text.size())) << unit;
    for (const PersonalDataMatch& m : FindPersonalData(text)) {
      EXPECT_GE(m.end - m.begin, kMinMatchBytes) << unit;
    }
  }
  for (int k = 0; k < kNumPersonalDataKinds; ++k) {
    EXPECT_LE(RedactionMask(static_cast<PersonalDataKind>(k)).size(), kMaxMaskBytes);
  }
}

// Hostile inputs far longer than any finding: each detector's work per character is
// bounded, so these take milliseconds; a detector that searched the rest of the text at
// each trigger would take minutes here.
TEST(Redaction, LongHostileInputsTakeLinearTime) {
  for (absl::string_view unit : {"卡号1 ", "住址(", "座机)", "当事人张伟，当事人王芳，", "阿阿·",
                                 "x@a.", "QQ", "1 ", "病史"}) {
    std::string text;
    while (text.size() < 300000) text += std::string(unit);
    const absl::Time start = absl::Now();
    const std::string out = RedactPersonalData(text);
    EXPECT_LT(absl::Now() - start, ScaledTimeBound(absl::Seconds(10))) << unit;
    EXPECT_LE(out.size(), MaxRedactedSize(text.size())) << unit;
  }
  // Many distinct names, each found after a role word and then looked for everywhere.
  std::string names;
  const std::string surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐";
  const std::string given = "伟芳娜敏静丽磊军洋勇艳杰娟涛超霞鹏飞宇浩俊婷琳晨";
  for (size_t s = 0; s < surnames.size(); s += 3) {
    for (size_t a = 0; a < given.size(); a += 3) {
      for (size_t b = 0; b < given.size(); b += 3) {
        names += "当事人" + surnames.substr(s, 3) + given.substr(a, 3) + given.substr(b, 3) + "称，";
      }
    }
  }
  const absl::Time start = absl::Now();
  EXPECT_EQ(RedactPersonalData(names).find("王伟芳"), std::string::npos);
  EXPECT_LT(absl::Now() - start, ScaledTimeBound(absl::Seconds(10)));
}

// Found by //tests/fuzz:redaction_fuzzer: a condition before 病史 was masked, and a second
// redaction then read forward from 病史 past the mask and removed more.
TEST(Redaction, AConditionMaskedBeforeHistoryStaysTheOnlyChange) {
  const std::string once = RedactPersonalData("人病史糖");
  EXPECT_EQ(RedactPersonalData(once), once);
}

TEST(Redaction, AMatchNeverSplitsADigitRun) {
  const std::string text =
      "账号1234567890123456789012345678901234，批号20250301E12345678，QQ1234567890123456789012"
      "3456，浙A123456789，护照号E1234567890123，电话：8765432187654321。";
  for (const PersonalDataMatch& m : FindPersonalData(text)) {
    const auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
    EXPECT_FALSE(m.begin > 0 && digit(m.begin - 1) && digit(m.begin)) << m.begin;
    EXPECT_FALSE(m.end > 0 && digit(m.end - 1) && digit(m.end)) << m.end;
  }
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
