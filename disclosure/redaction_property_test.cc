// Generated-text property test for RedactPersonalData: random Chinese findings seeded
// with random personal data in every supported format (names after role words, accounts
// after an account word that fail the Luhn check, passports, permits and plates included)
// and with non-personal anchors (approval and batch numbers, pseudonyms, titles, an
// enterprise's registered address, codes holding a plate).
// Properties, for every document:
//   1. no seeded value survives (numbers compared as digits only, after full-width
//      normalisation, against the digits of the whole output);
//   2. every anchor (credit codes, amounts, dates, law citations, decision numbers,
//      enterprise addresses) survives verbatim;
//   3. the report counts exactly the seeded values of each kind;
//   4. the output stays within MaxRedactedSize, and no match begins or ends inside a run
//      of digits (ASCII or full width).
// The generator computes check digits with its own code, not the library's.

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "disclosure/redaction.h"
#include "gtest/gtest.h"

namespace regulation::disclosure {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Uniform(0, N - 1)];
  }
  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + Uniform(0, 9)));
    return s;
  }

 private:
  std::mt19937 rng_;
};

// --- Independent check-digit code ----------------------------------------------------------

char IdCheck(const std::string& first17) {
  static constexpr int kW[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kW[i];
  return "10X98765432"[sum % 11];
}

std::string LuhnComplete(const std::string& body) {
  for (char d = '0'; d <= '9'; ++d) {
    const std::string s = body + d;
    int sum = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      int v = s[s.size() - 1 - i] - '0';
      if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 == 0) return s;
  }
  return "";
}

constexpr char kCreditAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

char CreditCheck(const std::string& first17) {
  int sum = 0;
  int w = 1;
  for (int i = 0; i < 17; ++i) {
    sum += static_cast<int>(std::string(kCreditAlphabet).find(first17[i])) * w;
    w = w * 3 % 31;
  }
  return kCreditAlphabet[(31 - sum % 31) % 31];
}

// GB 11714 check character of an 8-digit organisation code body, or 0 for 'X'.
char OrganizationCheck(const std::string& body) {
  static constexpr int kW[] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (body[i] - '0') * kW[i];
  const int c = 11 - sum % 11;
  return c == 10 ? 0 : c == 11 ? '0' : static_cast<char>('0' + c);
}

// ASCII to full width (digits, letters, punctuation); spaces to U+3000.
std::string FullWidth(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') {
      out += "\u3000";
    } else if (c > ' ' && c < 0x7F) {
      const int cp = c + 0xFEE0;
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Full width back to ASCII (the test's own normaliser).
std::string ToAscii(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    if (c == 0xEF && i + 2 < s.size()) {
      const int cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out.push_back(static_cast<char>(cp - 0xFEE0));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string DigitsOnly(const std::string& s) {
  std::string out;
  for (char c : ToAscii(s)) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

struct Seeded {
  std::string text;    // As written in the document.
  std::string secret;  // What must not survive: digits only, or text.
  bool digits = true;  // Whether `secret` is compared against the output's digits.
  PersonalDataKind kind;
};

constexpr std::array<const char*, 12> kProvinces = {"11", "13", "31", "32", "33", "35",
                                                    "37", "44", "51", "61", "65", "81"};

Seeded IdNumber(Generator& g) {
  std::string first17 = std::string(g.Pick(kProvinces)) + g.Digits(4);
  const int year = g.Uniform(1930, 2012), month = g.Uniform(1, 12), day = g.Uniform(1, 28);
  first17 += absl::StrCat(year, month < 10 ? "0" : "", month, day < 10 ? "0" : "", day);
  first17 += g.Digits(3);
  const std::string id = first17 + IdCheck(first17);
  std::string text = id;
  switch (g.Uniform(0, 4)) {
    case 0:
      text = FullWidth(id);
      break;
    case 1:
      text = id.substr(0, 6) + " " + id.substr(6, 8) + " " + id.substr(14);
      break;
    case 2:
      if (text.back() == 'X') text.back() = 'x';
      break;
    default:
      break;
  }
  return Seeded{text, first17, true, PersonalDataKind::kIdCardNumber};
}

Seeded Mobile(Generator& g) {
  const std::string m = "1" + std::to_string(g.Uniform(3, 9)) + g.Digits(9);
  const std::string a = m.substr(0, 3), b = m.substr(3, 4), c = m.substr(7);
  const std::array<std::string, 13> formats = {
      m,
      a + " " + b + " " + c,
      a + "-" + b + "-" + c,
      "+86 " + m,
      "+86-" + a + "-" + b + "-" + c,
      "86" + m,
      "+86" + m,
      "(+86)" + m,
      "（+86）" + a + " " + b + " " + c,
      "0086 " + m,
      FullWidth(m),
      FullWidth(a + "-" + b + "-" + c),
      a + "\u3000" + b + "\u3000" + c,
  };
  return Seeded{g.Pick(formats), m, true, PersonalDataKind::kMobilePhone};
}

Seeded Landline(Generator& g) {
  static constexpr std::array<const char*, 12> kAreas = {
      "010", "020", "021", "023", "027", "029", "0571", "0574", "0755", "0731", "0851", "0991"};
  const std::string area = g.Pick(kAreas);
  const std::string local = std::to_string(g.Uniform(2, 9)) + g.Digits(g.Chance(80) ? 7 : 6);
  const std::string half1 = local.substr(0, local.size() - 4),
                    half2 = local.substr(local.size() - 4);
  const std::array<std::string, 11> formats = {
      area + "-" + local,
      "(" + area + ")" + local,
      "（" + area + "）" + local,
      area + " " + half1 + " " + half2,
      area + local,
      area + "-" + local + "-" + g.Digits(3),
      area + "-" + local + "转" + g.Digits(4),
      "+86 " + area.substr(1) + " " + local,
      FullWidth(area + "-" + local),
      area + "—" + local,
      "(" + area + ") " + half1 + "-" + half2,
  };
  return Seeded{g.Pick(formats), area + local, true, PersonalDataKind::kLandlinePhone};
}

Seeded BankCard(Generator& g) {
  std::string card;
  do {
    const int length = g.Uniform(16, 19);
    card = LuhnComplete("62" + g.Digits(length - 3));
    // A Luhn-valid 18-digit card that also passes the identity card check would be
    // (rightly) counted as an identity card number; keep the kinds unambiguous.
    // Likewise a documented false negative: an 18-digit card that is also a well-formed
    // all-digit credit code (GB 32100 check, department, province, GB 11714 check) is
    // kept as a credit code.
  } while (card.size() == 18 &&
           (IdCheck(card.substr(0, 17)) == card[17] ||
            (CreditCheck(card.substr(0, 17)) == card[17] && card[2] >= '1' && card[2] <= '8' &&
             OrganizationCheck(card.substr(8, 8)) == card[16])));
  std::string grouped_space, grouped_hyphen;
  for (size_t i = 0; i < card.size(); i += 4) {
    if (i > 0) {
      grouped_space += " ";
      grouped_hyphen += "-";
    }
    grouped_space += card.substr(i, 4);
    grouped_hyphen += card.substr(i, 4);
  }
  const std::array<std::string, 4> formats = {card, grouped_space, grouped_hyphen, FullWidth(card)};
  return Seeded{g.Pick(formats), card, true, PersonalDataKind::kBankCardNumber};
}

Seeded Email(Generator& g) {
  static constexpr std::array<const char*, 6> kNames = {"zhang",    "li.si", "wang_wu",
                                                        "zhao.liu", "chen",  "sun+qi"};
  static constexpr std::array<const char*, 6> kDomains = {
      "163.com", "qq.com", "126.com", "example.com.cn", "mail.sina.cn", "hz.gov.cn"};
  const std::string local = absl::StrCat(g.Pick(kNames), g.Uniform(1, 9999));
  const std::string domain = g.Pick(kDomains);
  const std::string email = absl::StrCat(local, "@", domain);
  switch (g.Uniform(0, 5)) {
    case 0:
      return Seeded{FullWidth(email), email, false, PersonalDataKind::kEmailAddress};
    case 1:  // Written to dodge spam filters: the secret is the local part and domain.
      return Seeded{absl::StrCat(local, g.Chance(50) ? "(at)" : "[at]", domain), local, false,
                    PersonalDataKind::kEmailAddress};
    default:
      return Seeded{email, email, false, PersonalDataKind::kEmailAddress};
  }
}

Seeded Address(Generator& g) {
  static constexpr std::array<const char*, 6> kTriggers = {"住址：",   "家住",   "家庭住址为",
                                                           "户籍地：", "现住址", "居住于"};
  static constexpr std::array<const char*, 5> kCities = {
      "杭州市西湖区", "宁波市海曙区", "温州市鹿城区", "上海市浦东新区", "北京市朝阳区"};
  static constexpr std::array<const char*, 5> kRoads = {"文三路", "中山西路", "解放路", "世纪大道",
                                                        "建国路"};
  const std::string address =
      absl::StrCat(g.Pick(kCities), g.Pick(kRoads), g.Uniform(1, 999), "号", g.Uniform(1, 30), "幢",
                   g.Uniform(1, 6), "单元", g.Uniform(101, 2999), "室");
  return Seeded{std::string(g.Pick(kTriggers)) + address, address, false,
                PersonalDataKind::kHomeAddress};
}

Seeded Health(Generator& g) {
  static constexpr std::array<const char*, 4> kTriggers = {"经诊断为", "患有", "病历记载：",
                                                           "确诊为"};
  static constexpr std::array<const char*, 5> kConditions = {
      "高血压二级", "2型糖尿病", "乙型病毒性肝炎", "活动性肺结核", "抑郁症"};
  const std::string condition = g.Pick(kConditions);
  return Seeded{std::string(g.Pick(kTriggers)) + condition, condition, false,
                PersonalDataKind::kHealthInformation};
}

Seeded MessagingAccount(Generator& g) {
  if (g.Chance(50)) {
    // 5-10 digits: an 11-digit QQ number shaped like a mobile number is reported as one.
    const std::string qq = std::to_string(g.Uniform(1, 9)) + g.Digits(g.Uniform(4, 9));
    return Seeded{absl::StrCat(g.Chance(50) ? "QQ：" : "QQ号 ", qq), qq, true,
                  PersonalDataKind::kMessagingAccount};
  }
  const std::string id = absl::StrCat("wxid_", g.Uniform(100000, 999999));
  static constexpr std::array<const char*, 5> kKeywords = {"微信号：", "微信 ", "VX：", "wx号",
                                                           "抖音号"};
  return Seeded{absl::StrCat(g.Pick(kKeywords), id), id, false,
                PersonalDataKind::kMessagingAccount};
}

Seeded Name(Generator& g) {
  static constexpr std::array<const char*, 13> kSurnames = {
      "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳", "司马", "诸葛"};
  static constexpr std::array<const char*, 24> kGiven = {
      "伟", "芳", "娜", "敏", "静", "丽", "磊", "军", "洋", "勇", "艳", "杰",
      "娟", "涛", "超", "霞", "鹏", "飞", "宇", "浩", "俊", "婷", "琳", "晨"};
  static constexpr std::array<const char*, 9> kRoles = {
      "当事人", "负责人", "法定代表人：", "店长", "员工", "顾客", "投诉人", "户名：", "收款人"};
  std::string name = absl::StrCat(g.Pick(kSurnames), g.Pick(kGiven));
  if (g.Chance(60)) name += g.Pick(kGiven);
  return Seeded{absl::StrCat(g.Pick(kRoles), name), name, false, PersonalDataKind::kPersonName};
}

Seeded Account(Generator& g) {
  static constexpr std::array<const char*, 5> kWords = {"银行账号", "账号：", "卡号", "收款账户为",
                                                        "开户行及账号：中国银行"};
  static constexpr std::array<int, 7> kLengths = {12, 13, 14, 16, 17, 19, 20};
  std::string account;
  do {
    account = "1202" + g.Digits(g.Pick(kLengths) - 4);
  } while (!LuhnComplete(account.substr(0, account.size() - 1)).empty() &&
           LuhnComplete(account.substr(0, account.size() - 1)) == account);
  return Seeded{absl::StrCat(g.Pick(kWords), account), account, true,
                PersonalDataKind::kBankAccountNumber};
}

Seeded TravelDocument(Generator& g) {
  static constexpr std::array<const char*, 6> kLetters = {"E", "G", "C", "W", "L", "H"};
  const std::string number =
      absl::StrCat(g.Pick(kLetters), g.Uniform(3, 8), g.Digits(7));
  return Seeded{absl::StrCat(g.Chance(50) ? "护照号码" : "持", number), number, false,
                PersonalDataKind::kTravelDocumentNumber};
}

Seeded Plate(Generator& g) {
  static constexpr std::array<const char*, 6> kProvinces = {"浙", "沪", "苏", "京", "粤", "川"};
  static constexpr std::array<const char*, 4> kSeparators = {"", "·", " ", ""};
  const std::string body = g.Chance(30) ? "D" + g.Digits(5) : g.Digits(5);
  const std::string plate = absl::StrCat(g.Pick(kProvinces), std::string(1, 'A' + g.Uniform(0, 7)),
                                         g.Pick(kSeparators), body);
  return Seeded{absl::StrCat("车牌号", plate), plate, false, PersonalDataKind::kLicensePlate};
}

std::string CreditCode(Generator& g) {
  std::string first17;
  if (g.Chance(30)) {
    // A legacy all-digit credit code: department 9, type 1, a region, an all-digit
    // organisation code with its GB 11714 check digit, and a digit check character.
    do {
      const std::string body = g.Digits(8);
      const char check = OrganizationCheck(body);
      first17 = "91" + std::string(g.Pick(kProvinces)) + g.Digits(4) + body;
      first17.push_back(check == 0 ? 'X' : check);
    } while (CreditCheck(first17) < '0' || CreditCheck(first17) > '9' || first17[16] == 'X');
  } else {
    first17 = "91" + g.Digits(6);
    for (int i = 0; i < 9; ++i) first17.push_back(kCreditAlphabet[g.Uniform(0, 30)]);
  }
  return first17 + CreditCheck(first17);
}

std::string Anchor(Generator& g) {
  static constexpr std::array<const char*, 5> kLaws = {
      "《食品安全法》第一百二十四条", "《中华人民共和国产品质量法》第四十九条",
      "《行政处罚法》第42条", "《企业信息公示暂行条例》第六条", "《广告法》第五十五条第一款"};
  static constexpr std::array<const char*, 12> kEnterpriseText = {
      "通过登记的住所（经营场所）无法联系",
      "国家住房和城乡建设部",
      "住所：杭州市西湖区文三路90号",
      "登记住址为杭州市拱墅区莫干山路100号2201室",
      "国药准字H20003263",
      "批号E20250301",
      "使用登记证编号梯11浙A12345(18)",
      "张某、李某某对违法事实无异议",
      "消费者王女士投诉",
      "负责人安排员工下架",
      "暂住证已过期",
      "注册号330102600123456"};
  switch (g.Uniform(0, 6)) {
    case 0:
      return CreditCode(g);
    case 1:
      return absl::StrCat(g.Uniform(1, 9999999), "元");
    case 2:
      return absl::StrFormat("%04d-%02d-%02d", g.Uniform(2020, 2027), g.Uniform(1, 12),
                             g.Uniform(1, 28));
    case 3:
      return absl::StrCat(g.Uniform(2020, 2027), "年", g.Uniform(1, 12), "月", g.Uniform(1, 28),
                          "日");
    case 4:
      return g.Pick(kLaws);
    case 5:
      return absl::StrCat("杭市监罚〔", g.Uniform(2020, 2027), "〕", g.Uniform(1, 999), "号");
    default:
      return g.Pick(kEnterpriseText);
  }
}

constexpr std::array<const char*, 8> kFillers = {
    "执法人员对该企业进行了现场检查",
    "检查发现当事人未按规定公示年度报告",
    "当事人对违法事实无异议",
    "责令当事人限期改正",
    "现场检查时当事人配合检查",
    "发现问题经责令已改正",
    "该店铺经营者",
    "经查",
};

constexpr std::array<const char*, 9> kLabels = {
    "当事人", "身份证号码", "联系电话", "手机：", "其银行账户为", "邮箱", "联系人", "另", "",
};

// Between the parts of a document: Chinese punctuation (every property holds), or also
// bare spaces and line breaks (only "nothing survives" holds: an address or health phrase
// then runs on over the following parts, by design).
constexpr std::array<const char*, 4> kPunctuation = {"，", "。", "；", "、"};
constexpr std::array<const char*, 6> kAnySeparator = {"，", "。", "；", "、", " ", "\n"};

struct Document {
  std::string text;
  std::vector<Seeded> seeded;
  std::vector<std::string> anchors;
};

Document MakeDocument(uint32_t seed, bool punctuation_only) {
  Generator g(seed);
  Document doc;
  std::vector<std::string> parts;
  const int items = g.Uniform(3, 12);
  for (int i = 0; i < items; ++i) {
    switch (g.Uniform(0, 15)) {
      case 11:
        doc.seeded.push_back(Name(g));
        break;
      case 12:
        doc.seeded.push_back(Account(g));
        break;
      case 13:
        doc.seeded.push_back(TravelDocument(g));
        break;
      case 14:
        doc.seeded.push_back(Plate(g));
        break;
      case 0:
        doc.seeded.push_back(IdNumber(g));
        break;
      case 1:
        doc.seeded.push_back(Mobile(g));
        break;
      case 2:
        doc.seeded.push_back(Landline(g));
        break;
      case 3:
        doc.seeded.push_back(BankCard(g));
        break;
      case 4:
        doc.seeded.push_back(Email(g));
        break;
      case 5:
        doc.seeded.push_back(Address(g));
        break;
      case 6:
        doc.seeded.push_back(Health(g));
        break;
      case 7:
        doc.seeded.push_back(MessagingAccount(g));
        break;
      case 8:
      case 9:
        doc.anchors.push_back(Anchor(g));
        parts.push_back(absl::StrCat(g.Pick(kFillers), doc.anchors.back()));
        continue;
      default:
        parts.push_back(g.Pick(kFillers));
        continue;
    }
    const Seeded& s = doc.seeded.back();
    // Kinds found from a word before them carry their own; the others get a label.
    const bool labelled =
        s.kind != PersonalDataKind::kHomeAddress && s.kind != PersonalDataKind::kHealthInformation &&
        s.kind != PersonalDataKind::kPersonName && s.kind != PersonalDataKind::kBankAccountNumber &&
        s.kind != PersonalDataKind::kTravelDocumentNumber && s.kind != PersonalDataKind::kLicensePlate;
    parts.push_back(absl::StrCat(labelled ? g.Pick(kLabels) : "", s.text));
  }
  for (const std::string& part : parts) {
    absl::StrAppend(&doc.text, part,
                    punctuation_only ? g.Pick(kPunctuation) : g.Pick(kAnySeparator));
  }
  return doc;
}

// A full-width digit (EF BC 90-99) at byte `i`.
bool FullWidthDigitAt(const std::string& s, size_t i) {
  return i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF &&
         static_cast<unsigned char>(s[i + 1]) == 0xBC &&
         static_cast<unsigned char>(s[i + 2]) >= 0x90 && static_cast<unsigned char>(s[i + 2]) <= 0x99;
}
// An ASCII or full-width digit starting at byte `i`, or ending at byte `i`.
bool DigitAt(const std::string& s, size_t i) {
  return (i < s.size() && s[i] >= '0' && s[i] <= '9') || FullWidthDigitAt(s, i);
}
bool DigitBefore(const std::string& s, size_t i) {
  return (i >= 1 && s[i - 1] >= '0' && s[i - 1] <= '9') || (i >= 3 && FullWidthDigitAt(s, i - 3));
}

// Property 4 for one document.
void ExpectBoundedAndWholeNumbers(uint32_t seed, const std::string& text, const std::string& out) {
  EXPECT_LE(out.size(), MaxRedactedSize(text.size())) << "seed " << seed;
  for (const PersonalDataMatch& m : FindPersonalData(text)) {
    EXPECT_FALSE(DigitBefore(text, m.begin) && DigitAt(text, m.begin))
        << "seed " << seed << ": a match starts inside a number in\n" << text;
    EXPECT_FALSE(DigitBefore(text, m.end) && DigitAt(text, m.end))
        << "seed " << seed << ": a match ends inside a number in\n" << text;
  }
}

// Property 1 for one document.
void ExpectNothingSurvives(uint32_t seed, const Document& doc, const std::string& out) {
  const std::string out_digits = DigitsOnly(out);
  const std::string out_ascii = ToAscii(out);
  for (const Seeded& s : doc.seeded) {
    const std::string& haystack = s.digits ? out_digits : out_ascii;
    EXPECT_EQ(haystack.find(s.secret), std::string::npos)
        << "seed " << seed << ": " << s.text << " survived in\n"
        << out << "\nfrom\n"
        << doc.text;
  }
}

constexpr uint32_t kDocuments = 2000;

TEST(RedactionProperty, SeededPersonalDataNeverSurvivesAndAnchorsAlwaysDo) {
  for (uint32_t seed = 1; seed <= kDocuments; ++seed) {
    const Document doc = MakeDocument(seed, /*punctuation_only=*/true);
    RedactionReport report;
    const std::string out = RedactPersonalData(doc.text, &report);
    ExpectNothingSurvives(seed, doc, out);
    for (const std::string& anchor : doc.anchors) {
      EXPECT_NE(out.find(anchor), std::string::npos)
          << "seed " << seed << ": anchor " << anchor << " lost in\n"
          << out << "\nfrom\n"
          << doc.text;
    }
    std::array<int, kNumPersonalDataKinds> expected_counts{};
    for (const Seeded& s : doc.seeded) ++expected_counts[static_cast<int>(s.kind)];
    for (int k = 0; k < kNumPersonalDataKinds; ++k) {
      EXPECT_EQ(report.counts[k], expected_counts[k])
          << "seed " << seed << ", kind " << PersonalDataKindName(static_cast<PersonalDataKind>(k))
          << "\n"
          << doc.text << "\n"
          << out;
    }
    EXPECT_EQ(report.id_card_numbers_failing_check, 0);
    EXPECT_EQ(RedactPersonalData(out), out) << "seed " << seed << ": not idempotent";
    ExpectBoundedAndWholeNumbers(seed, doc.text, out);
  }
}

TEST(RedactionProperty, NothingSurvivesWhenPartsAreSeparatedBySpacesOrLineBreaks) {
  for (uint32_t seed = 1; seed <= kDocuments; ++seed) {
    const Document doc = MakeDocument(seed, /*punctuation_only=*/false);
    const std::string out = RedactPersonalData(doc.text);
    ExpectNothingSurvives(seed, doc, out);
    EXPECT_EQ(RedactPersonalData(out), out) << "seed " << seed << ": not idempotent";
    ExpectBoundedAndWholeNumbers(seed, doc.text, out);
  }
}

}  // namespace
}  // namespace regulation::disclosure
