#include "scheduler/entropy/hex.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace regulation::scheduler::entropy {
namespace {

// The value of hex digit `c`, or -1.
int DigitValue(char c, HexCase letter_case) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (letter_case == HexCase::kEither && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> DecodeHex(absl::string_view field, absl::string_view hex, size_t size,
                                      HexCase letter_case) {
  const char* what = letter_case == HexCase::kLowerOnly ? "lowercase hex" : "hex";
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", what, " of whole bytes, got ", hex.size(), " digits"));
  }
  std::string bytes(hex.size() / 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int high = DigitValue(hex[2 * i], letter_case);
    const int low = DigitValue(hex[2 * i + 1], letter_case);
    if (high < 0 || low < 0) {
      const size_t at = high < 0 ? 2 * i : 2 * i + 1;
      return absl::InvalidArgumentError(absl::StrCat(field, ": must be ", what, ", got \"",
                                                     absl::CHexEscape(hex.substr(at, 1)),
                                                     "\" at character ", at + 1));
    }
    bytes[i] = static_cast<char>(high << 4 | low);
  }
  if (size != 0 && bytes.size() != size) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be ", size, " bytes (",
                                                   2 * size, " hex digits), got ",
                                                   bytes.size()));
  }
  return bytes;
}

std::string EncodeHex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

}  // namespace regulation::scheduler::entropy
