#include "common/text_policy.h"

#include "absl/strings/str_format.h"
#include "common/field_error.h"
#include "common/utf8.h"

namespace regulation {

absl::string_view RefusedCharacterKind(uint32_t code) {
  if (code < 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F) || code == 0x2028 ||
      code == 0x2029) {
    return "control characters";
  }
  if ((code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069)) {
    return "bidirectional formatting characters";
  }
  if ((code >= 0x200B && code <= 0x200D) || code == 0x2060 || code == 0xFEFF) {
    return "zero-width characters or byte-order marks";
  }
  return {};
}

bool IsUnicodeWhiteSpace(uint32_t code) {
  return (code >= 0x09 && code <= 0x0D) || code == 0x20 || code == 0x85 || code == 0xA0 ||
         code == 0x1680 || (code >= 0x2000 && code <= 0x200A) || code == 0x2028 ||
         code == 0x2029 || code == 0x202F || code == 0x205F || code == 0x3000;
}

absl::Status ValidateText(absl::string_view field, absl::string_view value, const TextRule& rule) {
  if (value.empty()) {
    return rule.required ? InvalidField(field, "is required") : absl::OkStatus();
  }
  if (rule.max_bytes > 0 && value.size() > rule.max_bytes) {
    return InvalidField(field, absl::StrFormat("must be at most %d bytes, got %d", rule.max_bytes,
                                               value.size()));
  }
  size_t chars = 0;
  bool blank = true;
  for (size_t at = 0; at < value.size();) {
    const Utf8Char c = DecodeUtf8At(value, at);
    ++chars;
    if (!c.valid) {
      return InvalidField(field, absl::StrFormat("is not valid UTF-8 (byte %d)", at + 1));
    }
    if (!(rule.multiline && c.code == '\n')) {
      if (absl::string_view kind = RefusedCharacterKind(c.code); !kind.empty()) {
        return InvalidField(field, absl::StrFormat("must not contain %s (U+%04X at character %d)",
                                                   kind, c.code, chars));
      }
    }
    blank = blank && IsUnicodeWhiteSpace(c.code);
    at += c.length;
  }
  if (rule.max_chars > 0 && chars > rule.max_chars) {
    return InvalidField(field, absl::StrFormat("must be at most %d characters, got %d",
                                               rule.max_chars, chars));
  }
  if (blank) return InvalidField(field, "must not be blank (it holds only white space)");
  return absl::OkStatus();
}

}  // namespace regulation
