#include "disclosure/redaction.h"

#include <algorithm>
#include <utility>

#include "disclosure/contact_detector.h"
#include "disclosure/name_detector.h"
#include "disclosure/number_detector.h"
#include "disclosure/phrase_detector.h"
#include "disclosure/redaction_text.h"

namespace regulation::disclosure {
namespace {

using internal::Detection;

// Sorted, overlapping detections merged; a merged one keeps the first one's kind. Too
// short ones are dropped (the output bound relies on kMinMatchBytes).
std::vector<Detection> Merge(std::vector<Detection> spans) {
  std::sort(spans.begin(), spans.end(), [](const Detection& a, const Detection& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end > b.end;
    return a.kind < b.kind;
  });
  std::vector<Detection> merged;
  for (const Detection& span : spans) {
    if (span.end < span.begin + kMinMatchBytes) continue;
    if (!merged.empty() && span.begin < merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
      continue;
    }
    merged.push_back(span);
  }
  return merged;
}

}  // namespace

absl::string_view PersonalDataKindName(PersonalDataKind kind) {
  switch (kind) {
    case PersonalDataKind::kIdCardNumber:
      return "id_card_number";
    case PersonalDataKind::kMobilePhone:
      return "mobile_phone";
    case PersonalDataKind::kLandlinePhone:
      return "landline_phone";
    case PersonalDataKind::kBankCardNumber:
      return "bank_card_number";
    case PersonalDataKind::kEmailAddress:
      return "email_address";
    case PersonalDataKind::kHomeAddress:
      return "home_address";
    case PersonalDataKind::kHealthInformation:
      return "health_information";
    case PersonalDataKind::kMessagingAccount:
      return "messaging_account";
    case PersonalDataKind::kPersonName:
      return "person_name";
    case PersonalDataKind::kBankAccountNumber:
      return "bank_account_number";
    case PersonalDataKind::kTravelDocumentNumber:
      return "travel_document_number";
    case PersonalDataKind::kLicensePlate:
      return "license_plate";
  }
  return "unknown";
}

absl::string_view RedactionMask(PersonalDataKind kind) {
  switch (kind) {
    case PersonalDataKind::kIdCardNumber:
      return "［身份证号已隐去］";
    case PersonalDataKind::kMobilePhone:
      return "［手机号已隐去］";
    case PersonalDataKind::kLandlinePhone:
      return "［电话号码已隐去］";
    case PersonalDataKind::kBankCardNumber:
      return "［银行卡号已隐去］";
    case PersonalDataKind::kEmailAddress:
      return "［电子邮箱已隐去］";
    case PersonalDataKind::kHomeAddress:
      return "［地址已隐去］";
    case PersonalDataKind::kHealthInformation:
      return "［健康信息已隐去］";
    case PersonalDataKind::kMessagingAccount:
      return "［联系账号已隐去］";
    case PersonalDataKind::kPersonName:
      return "［姓名已隐去］";
    case PersonalDataKind::kBankAccountNumber:
      return "［银行账号已隐去］";
    case PersonalDataKind::kTravelDocumentNumber:
      return "［证件号码已隐去］";
    case PersonalDataKind::kLicensePlate:
      return "［车牌号已隐去］";
  }
  return "［已隐去］";
}

int RedactionReport::total() const {
  int sum = 0;
  for (int c : counts) sum += c;
  return sum;
}

std::vector<PersonalDataMatch> FindPersonalData(absl::string_view text) {
  const internal::Normalized n = internal::Normalize(text);
  std::vector<Detection> found;
  internal::FindPersonalNumbers(n.text, &found);
  internal::FindEmailAddresses(n.text, &found);
  internal::FindHomeAddresses(n.text, &found);
  internal::FindHealthInformation(n.text, &found);
  internal::FindMessagingAccounts(n.text, &found);
  internal::FindTravelDocuments(n.text, &found);
  internal::FindLicensePlates(n.text, &found);
  internal::FindNames(n.text, &found);
  std::vector<PersonalDataMatch> matches;
  for (const Detection& d : Merge(std::move(found))) {
    matches.push_back(PersonalDataMatch{n.origin[d.begin], n.origin[d.end], d.kind, d.check_valid});
  }
  return matches;
}

std::string RedactPersonalData(absl::string_view text, RedactionReport* report) {
  if (report != nullptr) *report = RedactionReport();
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (const PersonalDataMatch& m : FindPersonalData(text)) {
    out.append(text.data() + copied, m.begin - copied);
    out.append(RedactionMask(m.kind).data(), RedactionMask(m.kind).size());
    copied = m.end;
    if (report != nullptr) {
      ++report->counts[static_cast<int>(m.kind)];
      if (m.kind == PersonalDataKind::kIdCardNumber && !m.check_character_valid) {
        ++report->id_card_numbers_failing_check;
      }
    }
  }
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

}  // namespace regulation::disclosure
