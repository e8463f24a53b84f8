#ifndef DISCLOSURE_PHRASE_DETECTOR_H_
#define DISCLOSURE_PHRASE_DETECTOR_H_

// Internal to the redactor: home addresses and health information, found from the words
// around them (docs/redaction-and-deadlines.md §3.9-3.10).
//
//   Addresses  after a phrase for a natural person's address (住址, 家住, 现居, 租住于,
//              户口所在地, 收货地址 ...; never 住所 or an enterprise's 登记住址). The span
//              ends where the address ends: after its last unit (省 市 区 路 号 幢 单元
//              室 ..., or the house or room number), before a word that cannot be part of
//              an address (从事, 经营, 开设, 联系电话 ...) and before punctuation, except a
//              bracket that holds address parts (…小区（东区）3幢).
//   Health     after 诊断为, 确诊, 患有, 病历 ... up to punctuation or a word that ends the
//              condition (为由, 仍, 并 ...); before 病史 and, when it ends like a disease,
//              before 患者 or 病人 (有高血压病史, 系糖尿病患者). Not an animal's disease
//              (犬只患有犬瘟热).
//
// Every span is at least kMinMatchBytes long, and never begins or ends inside a run of
// ASCII digits.
//
// Thread safety: pure functions.

#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/redaction_text.h"

namespace regulation::disclosure::internal {

// Appends a kHomeAddress detection for each address found in `normalized`.
void FindHomeAddresses(absl::string_view normalized, std::vector<Detection>* out);

// Appends a kHealthInformation detection for each health phrase found in `normalized`.
void FindHealthInformation(absl::string_view normalized, std::vector<Detection>* out);

}  // namespace regulation::disclosure::internal

#endif  // DISCLOSURE_PHRASE_DETECTOR_H_
