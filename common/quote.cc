#include "common/quote.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/text_policy.h"
#include "common/utf8.h"

namespace regulation {
namespace {

// Appends at most kMaxQuotedChars characters of `input`, escaped; whether it was cut.
bool AppendEscaped(absl::string_view input, std::string* out) {
  size_t chars = 0;
  for (size_t at = 0; at < input.size(); ++chars) {
    if (chars == kMaxQuotedChars) return true;
    const Utf8Char c = DecodeUtf8At(input, at);
    if (!c.valid) {
      absl::StrAppend(out, absl::StrFormat("\\x%02X", static_cast<unsigned char>(input[at])));
    } else if (c.code == '"' || c.code == '\\') {
      absl::StrAppend(out, "\\", input.substr(at, 1));
    } else if (!RefusedCharacterKind(c.code).empty()) {
      absl::StrAppend(out, c.code < 0x100 ? absl::StrFormat("\\x%02X", c.code)
                                          : absl::StrFormat("\\u%04X", c.code));
    } else {
      absl::StrAppend(out, input.substr(at, c.length));
    }
    at += c.length;
  }
  return false;
}

}  // namespace

std::string Quote(absl::string_view input) {
  std::string out = "\"";
  const bool cut = AppendEscaped(input, &out);
  if (cut) {
    absl::StrAppend(&out, "…\" (", input.size(), " bytes)");
  } else {
    out += '"';
  }
  return out;
}

std::string Bounded(absl::string_view input) {
  std::string out;
  if (AppendEscaped(input, &out)) out += "…";
  return out;
}

}  // namespace regulation
