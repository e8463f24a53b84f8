#ifndef DISCLOSURE_REDACTION_H_
#define DISCLOSURE_REDACTION_H_

// The one place where free text meant for publication (inspection findings, remarks,
// decision summaries) is turned into its public form. The privacy rule it enforces
// (shared/notes/domain.md, "Disclosure"): never publish a natural person's name, home
// address, contact details, identity or travel document number, bank account, licence
// plate or health status.
//
//   RedactionReport report;
//   std::string public_text = RedactPersonalData(findings, &report);
//   if (report.total() > 0) LogInfo(absl::StrCat("redacted ", report.total(), " items"));
//
// What is removed, each detector's exact rule, the precedence between them and their
// known false positives and negatives are in docs/redaction-and-deadlines.md. In short:
//
//   kind                   mask (replaces the whole match)
//   kIdCardNumber          ［身份证号已隐去］  18-character numbers with a plausible birth
//                                              date, right or wrong check character, and
//                                              15-digit numbers with a plausible date
//   kMobilePhone           ［手机号已隐去］    1[3-9] + 9 digits, optional +86 / 86 / 0086,
//                                              spaces or hyphens between digit groups
//   kLandlinePhone         ［电话号码已隐去］  area code + 7-8 digits, optional (), -, space,
//                                              extension; 7-8 digits after a phone keyword
//                                              (电话, 座机, 宅电 ...) or in a list of numbers
//   kBankCardNumber        ［银行卡号已隐去］  16-19 digits (in groups of 4, or 6 + the rest)
//                                              passing the Luhn check
//   kEmailAddress          ［电子邮箱已隐去］  local@domain.tld, also (at) [at] # and 。
//   kHomeAddress           ［地址已隐去］      after 住址 / 家住 / 现居 / 户籍地 / 收货地址 ...
//                                              to where the address ends
//   kHealthInformation     ［健康信息已隐去］  after 诊断为 / 患有 / 病历 ...; before 病史,
//                                              and before 患者 after a disease's name
//   kMessagingAccount      ［联系账号已隐去］  the account after QQ / 微信 / VX / 抖音号 ...
//   kPersonName            ［姓名已隐去］      names after role words (当事人, 店长, 户名 ...),
//                                              prepositions, before 称 / 先生 / 等人, in
//                                              lists, with a middle dot (阿卜杜拉·买买提)
//   kBankAccountNumber     ［银行账号已隐去］  8-30 digits after 银行账号 / 卡号 / 账户 /
//                                              开户行 ..., whatever their check
//   kTravelDocumentNumber  ［证件号码已隐去］  passports, Hong Kong / Macao / Taiwan permits
//   kLicensePlate          ［车牌号已隐去］    浙A12345, 浙A·D12345
//
// Never removed: unified social credit codes (including all-digit ones whose identity
// card check fails), numbers after a reference word (注册号, 许可证编号, 批号, 订单号),
// approval numbers (国药准字H20003263), dates, times, amounts, quantities, legal
// citations, decision numbers, enterprise names and an enterprise's registered address.
// Pseudonyms (张某) and a bare surname with a title (王女士) stay.
//
// Invariants (tested, and relied upon by the fuzz tests):
//   - Bounded output: RedactPersonalData(text).size() <= MaxRedactedSize(text.size()).
//     Every match covers at least kMinMatchBytes input bytes and every mask has at most
//     kMaxMaskBytes, so the output grows by at most (kMaxMaskBytes - kMinMatchBytes) bytes
//     per kMinMatchBytes bytes of input.
//   - Whole numbers: a match never begins or ends between two digits of the normalised
//     text (ASCII, full-width or other-script digits), so a number it removes is removed
//     entirely, with any digits joined to it by invisible format characters.
//   - Idempotent: redacting redacted text changes nothing. A mask can expose a match its
//     detector's context rule hid (QQ right after a mobile number's last digit), so the
//     matches are found again on the redacted text, mapped back, until nothing new appears.
//   - Matches are on UTF-8 character boundaries of the input; text outside a match is
//     copied byte for byte, invalid UTF-8 included.
//
// Full-width digits, letters and punctuation (０-９, Ａ-Ｚ, ＋, －, （）, ＠, U+3000) are
// normalised for detection only.
//
// Thread safety: every function here is pure and safe to call from any thread.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/personal_data_kind.h"

namespace regulation::disclosure {

// A stable lower-case name for logs and metrics, e.g. "id_card_number".
absl::string_view PersonalDataKindName(PersonalDataKind kind);

// The text that replaces a match of `kind` (the table above). No mask contains a digit or
// '@', and each ends in ］, which ends any phrase a word inside the mask could start, so
// redacting redacted text changes nothing.
absl::string_view RedactionMask(PersonalDataKind kind);

// One stretch of personal data in the input.
struct PersonalDataMatch {
  // Byte offsets into the input: [begin, end), always on UTF-8 character boundaries.
  size_t begin = 0;
  size_t end = 0;
  PersonalDataKind kind = PersonalDataKind::kIdCardNumber;
  // For an 18-character identity card number: whether its ISO 7064 MOD 11-2 check
  // character is correct (it is redacted either way). True for every other match.
  bool check_character_valid = true;

  friend bool operator==(const PersonalDataMatch& a, const PersonalDataMatch& b) {
    return a.begin == b.begin && a.end == b.end && a.kind == b.kind &&
           a.check_character_valid == b.check_character_valid;
  }
};

// Every stretch of personal data in `text`, in order, non-overlapping (overlapping
// detections are merged into one match that takes the kind of the one starting first,
// the longer one on a tie, then the lower PersonalDataKind).
std::vector<PersonalDataMatch> FindPersonalData(absl::string_view text);

// What a call of RedactPersonalData removed.
struct RedactionReport {
  // Matches replaced, indexed by PersonalDataKind.
  std::array<int, kNumPersonalDataKinds> counts{};
  // Of counts[kIdCardNumber]: 18-character numbers whose check character is wrong.
  int id_card_numbers_failing_check = 0;

  int count(PersonalDataKind kind) const { return counts[static_cast<int>(kind)]; }
  int total() const;
};

// `text` with every match of FindPersonalData replaced by RedactionMask(kind). When
// `report` is not null it is overwritten with what was replaced.
std::string RedactPersonalData(absl::string_view text, RedactionReport* report = nullptr);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_REDACTION_H_
