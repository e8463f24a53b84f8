#include "tools/regctl/import/utf8.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace regulation::regctl {

absl::Status ValidateUtf8(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    const uint8_t lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    int length = 0;
    // Bounds of the second byte, which rule out overlong forms, surrogates and code
    // points above U+10FFFF (RFC 3629, section 4).
    uint8_t low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("not valid UTF-8 (byte ", i + 1, ")"));
    }
    for (int k = 1; k < length; ++k) {
      const uint8_t lo = k == 1 ? low : 0x80;
      const uint8_t hi = k == 1 ? high : 0xBF;
      if (i + k >= size || bytes[i + k] < lo || bytes[i + k] > hi) {
        return absl::InvalidArgumentError(absl::StrCat("not valid UTF-8 (byte ", i + 1, ")"));
      }
    }
    i += length;
  }
  return absl::OkStatus();
}

}  // namespace regulation::regctl
