#ifndef COMMON_UTF8_H_
#define COMMON_UTF8_H_

// Decoding UTF-8 one character at a time, strictly: no overlong forms, no surrogates,
// nothing above U+10FFFF. The text policy (text_policy.h) and the quoting of caller
// input (quote.h) are built on it.
//
// Thread safety: stateless functions.

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace regulation {

// One decoded character, or an invalid byte sequence.
struct Utf8Char {
  // The code point; meaningless when !valid.
  uint32_t code = 0;
  // Bytes consumed: the character's length, or 1 for an invalid byte (so that a caller
  // can step over it).
  size_t length = 1;
  bool valid = false;
};

// The character starting at `text[at]`. REQUIRES: at < text.size().
Utf8Char DecodeUtf8At(absl::string_view text, size_t at);

// Whether `text` is well-formed UTF-8 as DecodeUtf8At defines it.
bool IsValidUtf8(absl::string_view text);

// Number of characters (code points) in well-formed UTF-8; each invalid byte counts as one.
size_t Utf8Length(absl::string_view text);

}  // namespace regulation

#endif  // COMMON_UTF8_H_
