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

// Redaction rounds at most: a round that finds nothing new ends it early (one round in
// almost every text; two when a mask exposes a neighbour).
constexpr int kMaxRounds = 4;

// One pass of every detector over `text`.
std::vector<PersonalDataMatch> FindOnce(absl::string_view text) {
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

// `text` with each of the sorted, non-overlapping `matches` replaced by its mask.
std::string ApplyMasks(absl::string_view text, const std::vector<PersonalDataMatch>& matches) {
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (const PersonalDataMatch& m : matches) {
    out.append(text.data() + copied, m.begin - copied);
    const absl::string_view mask = RedactionMask(m.kind);
    out.append(mask.data(), mask.size());
    copied = m.end;
  }
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

// Turns `found`, offsets into ApplyMasks(original, masked), into offsets into the
// original: outside a mask by the shift the masks before it made; an end inside a mask
// (or a begin) to that mask's match, so a match that touches a mask covers its match.
void MapOntoOriginal(size_t original_size, const std::vector<PersonalDataMatch>& masked,
                     std::vector<PersonalDataMatch>* found) {
  // Boundaries of the masks in the redacted text, with their match in the original.
  struct Span {
    size_t begin, end;  // in the redacted text
    const PersonalDataMatch* match;
  };
  std::vector<Span> masks;
  size_t consumed = 0;     // original bytes before it
  size_t produced = 0;     // redacted bytes before it
  for (const PersonalDataMatch& m : masked) {
    const size_t shift_begin = produced + (m.begin - consumed);
    const size_t mask_size = RedactionMask(m.kind).size();
    masks.push_back(Span{shift_begin, shift_begin + mask_size, &m});
    produced = shift_begin + mask_size;
    consumed = m.end;
  }
  const auto to_original = [&](size_t offset, bool is_end) -> size_t {
    // Copied text before the first mask whose end is past `offset` keeps its distance
    // from the end of the mask before it.
    size_t mask_end = 0, match_end = 0;
    for (const Span& s : masks) {
      if (offset < s.begin || (is_end && offset == s.begin)) break;
      if (offset < s.end || (is_end && offset == s.end)) {
        return is_end ? s.match->end : s.match->begin;
      }
      mask_end = s.end;
      match_end = s.match->end;
    }
    return std::min(original_size, match_end + (offset - mask_end));
  };
  for (PersonalDataMatch& m : *found) {
    m.begin = to_original(m.begin, /*is_end=*/false);
    m.end = to_original(m.end, /*is_end=*/true);
  }
}

// Sorted and non-overlapping: overlapping matches become one with the first one's kind
// (and its check flag).
std::vector<PersonalDataMatch> MergeMatches(std::vector<PersonalDataMatch> matches) {
  std::sort(matches.begin(), matches.end(),
            [](const PersonalDataMatch& a, const PersonalDataMatch& b) {
              if (a.begin != b.begin) return a.begin < b.begin;
              if (a.end != b.end) return a.end > b.end;
              return a.kind < b.kind;
            });
  std::vector<PersonalDataMatch> merged;
  for (const PersonalDataMatch& m : matches) {
    if (!merged.empty() && m.begin < merged.back().end) {
      merged.back().end = std::max(merged.back().end, m.end);
      continue;
    }
    merged.push_back(m);
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

namespace {

// FindPersonalData, and, when `redacted` is not null, `text` with the matches masked
// (the last round's output, so the masks are applied once).
std::vector<PersonalDataMatch> FindFixedPoint(absl::string_view text, std::string* redacted) {
  // The detectors read context around a match ("QQ" right after a mobile number's last
  // digit is no keyword), so a match's mask can expose a new one beside it. Redacting is
  // repeated on its own output until nothing new appears, and what the later rounds find
  // is mapped back onto `text`: the matches returned are a fixed point, so redacting
  // redacted text changes nothing (the property the fuzzers check).
  std::vector<PersonalDataMatch> matches = FindOnce(text);
  std::string masked;
  bool masked_is_current = false;
  for (int round = 1; round < kMaxRounds && !matches.empty(); ++round) {
    masked = ApplyMasks(text, matches);
    masked_is_current = true;
    std::vector<PersonalDataMatch> more = FindOnce(masked);
    if (more.empty()) break;
    MapOntoOriginal(text.size(), matches, &more);
    more.insert(more.end(), matches.begin(), matches.end());
    std::vector<PersonalDataMatch> merged = MergeMatches(std::move(more));
    if (merged == matches) break;
    matches = std::move(merged);
    masked_is_current = false;
  }
  if (redacted != nullptr) {
    *redacted = masked_is_current ? std::move(masked) : ApplyMasks(text, matches);
  }
  return matches;
}

}  // namespace

std::vector<PersonalDataMatch> FindPersonalData(absl::string_view text) {
  return FindFixedPoint(text, /*redacted=*/nullptr);
}

std::string RedactPersonalData(absl::string_view text, RedactionReport* report) {
  std::string redacted;
  const std::vector<PersonalDataMatch> matches = FindFixedPoint(text, &redacted);
  if (report != nullptr) {
    *report = RedactionReport();
    for (const PersonalDataMatch& m : matches) {
      ++report->counts[static_cast<int>(m.kind)];
      if (m.kind == PersonalDataKind::kIdCardNumber && !m.check_character_valid) {
        ++report->id_card_numbers_failing_check;
      }
    }
  }
  return redacted;
}

}  // namespace regulation::disclosure
