#ifndef DISCLOSURE_NUMBER_DETECTOR_H_
#define DISCLOSURE_NUMBER_DETECTOR_H_

// Internal to the redactor: the personal numbers in normalised text
// (docs/redaction-and-deadlines.md §3.1-3.6, 3.13, 3.16): identity card numbers, mobile
// and landline numbers (also a local number after 电话 / 座机 / 宅电 ..., and the further
// numbers of a list), Luhn-valid bank cards, and bank account or card numbers of any check
// after 银行账号 / 卡号 / 账户 / 开户行 .... Unified social credit codes are never taken;
// after a reference word (注册号, 许可证编号, 批号, 订单号 ...) only an identity card number
// with a correct check character is.
//
// A detection always starts and ends on the boundary of a digit group: a number is taken
// whole or not at all.
//
// Thread safety: a pure function.

#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/redaction_text.h"

namespace regulation::disclosure::internal {

// Appends the numbers found in `normalized`.
void FindPersonalNumbers(absl::string_view normalized, std::vector<Detection>* out);

}  // namespace regulation::disclosure::internal

#endif  // DISCLOSURE_NUMBER_DETECTOR_H_
