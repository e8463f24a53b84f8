#ifndef COMMON_UTF8_H_
#define COMMON_UTF8_H_

// UTF-8, the one implementation every package uses: decoding one character at a time,
// strictly (no overlong forms, no surrogates, nothing above U+10FFFF), validating,
// iterating, encoding, and cutting text at a character boundary. The text policy
// (text_policy.h), the quoting of caller input (quote.h) and the escaping of HTML and
// JSON (escaping.h) are built on it.
//
//   for (const Utf8Char c : Utf8Chars(text)) {
//     if (!c.valid) return Refuse(c.offset);
//     Use(c.code);
//   }
//
// Thread safety: stateless functions.

#include <cstddef>
#include <cstdint>
#include <string>

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
  // Where the character (or the invalid byte) starts in the text; set by Utf8Chars.
  size_t offset = 0;
};

// The character starting at `text[at]`. REQUIRES: at < text.size().
Utf8Char DecodeUtf8At(absl::string_view text, size_t at);

// Whether `text` is well-formed UTF-8 as DecodeUtf8At defines it.
bool IsValidUtf8(absl::string_view text);

// Number of characters (code points) in well-formed UTF-8; each invalid byte counts as one.
size_t Utf8Length(absl::string_view text);

// Whether `byte` continues a multi-byte character (10xxxxxx): a text cut before it is
// cut inside a character.
inline bool IsUtf8Continuation(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// character: `text` itself when it is short enough.
absl::string_view Utf8Prefix(absl::string_view text, size_t max_bytes);

// Appends the UTF-8 form of `code` to `out`. REQUIRES: code <= 0x10FFFF and not a
// surrogate (U+D800-U+DFFF).
void AppendUtf8(uint32_t code, std::string* out);

// The characters of `text` in order, as DecodeUtf8At decodes them (an invalid byte is
// one invalid Utf8Char), each with its offset. The text must outlive the range.
class Utf8Chars {
 public:
  class Iterator {
   public:
    Utf8Char operator*() const {
      Utf8Char c = DecodeUtf8At(text_, at_);
      c.offset = at_;
      return c;
    }
    Iterator& operator++() {
      at_ += DecodeUtf8At(text_, at_).length;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return at_ != other.at_; }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    friend class Utf8Chars;
    Iterator(absl::string_view text, size_t at) : text_(text), at_(at) {}
    absl::string_view text_;
    size_t at_;
  };

  explicit Utf8Chars(absl::string_view text) : text_(text) {}
  Iterator begin() const { return Iterator(text_, 0); }
  Iterator end() const { return Iterator(text_, text_.size()); }

 private:
  absl::string_view text_;
};

}  // namespace regulation

#endif  // COMMON_UTF8_H_
