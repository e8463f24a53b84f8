#ifndef DISCLOSURE_REDACTION_H_
#define DISCLOSURE_REDACTION_H_

// The one place where free text meant for publication (inspection findings, remarks,
// decision summaries) is turned into its public form. The privacy rule it enforces
// (shared/notes/domain.md, "Disclosure"): never publish a natural person's home address,
// contact details, identity card number, bank account or health status.
//
//   RedactionReport report;
//   std::string public_text = RedactPersonalData(findings, &report);
//   if (report.total() > 0) LogInfo(absl::StrCat("redacted ", report.total(), " items"));
//
// What is removed, each detector's exact rule, the precedence between them and their
// known false positives and negatives are in docs/redaction-and-deadlines.md. In short:
//
//   kind                 mask (replaces the whole match)
//   kIdCardNumber        ［身份证号已隐去］  18-character numbers with a plausible birth
//                                            date, right or wrong check character, and
//                                            15-digit numbers with a plausible date
//   kMobilePhone         ［手机号已隐去］    1[3-9] + 9 digits, optional +86 / 86 / 0086,
//                                            spaces or hyphens between digit groups
//   kLandlinePhone       ［电话号码已隐去］  area code + 7-8 digits, optional (), -, space,
//                                            extension; 7-8 digits after a phone keyword
//   kBankCardNumber      ［银行卡号已隐去］  16-19 digits (optionally in groups of 4)
//                                            passing the Luhn check
//   kEmailAddress        ［电子邮箱已隐去］  local@domain.tld
//   kHomeAddress         ［地址已隐去］      text after 住址 / 家住 / 家庭住址 / 户籍地 ...
//                                            up to the next punctuation
//   kHealthInformation   ［健康信息已隐去］  text after 病历 / 诊断为 / 患有 / 病史 ...
//                                            up to the next punctuation
//   kMessagingAccount    ［联系账号已隐去］  the account after QQ / 微信 / WeChat
//
// Never removed: unified social credit codes (including all-digit ones whose identity
// card check fails), dates, amounts, legal citations, decision numbers. Natural persons'
// names are NOT detected: keep them out of free text.
//
// Full-width digits, letters and punctuation (０-９, Ａ-Ｚ, ＋, －, （）, ＠, U+3000) are
// normalised for detection only; text outside a match is copied byte for byte, and
// invalid UTF-8 is passed through unchanged.
//
// Thread safety: every function here is pure and safe to call from any thread.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace regulation::disclosure {

enum class PersonalDataKind {
  kIdCardNumber = 0,
  kMobilePhone,
  kLandlinePhone,
  kBankCardNumber,
  kEmailAddress,
  kHomeAddress,
  kHealthInformation,
  kMessagingAccount,
};
inline constexpr int kNumPersonalDataKinds = 8;

// A stable lower-case name for logs and metrics, e.g. "id_card_number".
absl::string_view PersonalDataKindName(PersonalDataKind kind);

// The text that replaces a match of `kind` (the table above). No mask contains a digit,
// '@' or a trigger phrase, so redacting redacted text changes nothing.
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
