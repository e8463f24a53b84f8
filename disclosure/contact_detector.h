#ifndef DISCLOSURE_CONTACT_DETECTOR_H_
#define DISCLOSURE_CONTACT_DETECTOR_H_

// Internal to the redactor: identifiers written with letters as well as digits
// (docs/redaction-and-deadlines.md §3.7, 3.8, 3.14, 3.15).
//
//   E-mail addresses   local@domain.tld, also with the @ written (at), [at] or # and the
//                      dots of the domain written 。 or (dot).
//   Messaging handles  the account after 微信(号), VX, wx, QQ, 抖音号, 快手号, 钉钉号 ....
//   Travel documents   passports (E12345678, G12345678), permits for Hong Kong, Macao and
//                      Taiwan (C12345678, W…, L12345678, H/M…) anywhere, and any 7-12
//                      character number after 护照, 通行证, 台胞证, 回乡证, 证件号.
//   Licence plates     浙A12345, 浙A·88K66, new-energy 浙A·D12345 and 苏E·12345D.
//
// Approval numbers (国药准字H20003263, 国食健注G20120123) and numbers after a reference
// word (批号, 编号 ...) are not travel documents. Every detection is a whole ASCII
// alphanumeric token: it never begins or ends inside a run of digits.
//
// Thread safety: pure functions.

#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/redaction_text.h"

namespace regulation::disclosure::internal {

void FindEmailAddresses(absl::string_view normalized, std::vector<Detection>* out);
void FindMessagingAccounts(absl::string_view normalized, std::vector<Detection>* out);
void FindTravelDocuments(absl::string_view normalized, std::vector<Detection>* out);
void FindLicensePlates(absl::string_view normalized, std::vector<Detection>* out);

}  // namespace regulation::disclosure::internal

#endif  // DISCLOSURE_CONTACT_DETECTOR_H_
