#ifndef DISCLOSURE_REDACTION_TEXT_H_
#define DISCLOSURE_REDACTION_TEXT_H_

// Internal to the redactor (redaction.h): the normalised text every detector reads, the
// character classes they share, and what a detector reports. Not for other callers.
//
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/personal_data_kind.h"

namespace regulation::disclosure::internal {

// The input with full-width ASCII variants, odd spaces, dashes and digits of other scripts
// mapped to ASCII (one byte per mapped character) and invisible format characters dropped;
// every other byte copied. `origin[i]` is the input offset of the character that produced
// byte i of `text`; origin[text.size()] == input size.
struct Normalized {
  std::string text;
  std::vector<size_t> origin;
};
Normalized Normalize(absl::string_view in);

// The length (1-4) of the UTF-8 character at s[i] and its code point in *cp; a byte that
// does not start a well-formed character is a character of its own with *cp = -1.
// REQUIRES: i < s.size().
size_t DecodeUtf8(absl::string_view s, size_t i, int32_t* cp);

// The code point at s[i] (-1 for a stray byte or i >= s.size()).
int32_t CodePointAt(absl::string_view s, size_t i);
// The byte offset of the character before s[i] (i must be a character boundary > 0).
size_t PreviousCharacter(absl::string_view s, size_t i);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
// A CJK unified ideograph (the basic block and extension A).
bool IsHan(int32_t cp);

// The length of the terminator at s[pos], or 0 when there is none: ASCII punctuation
// , . ; ! ? ( ) [ ] { } < > " ' | (full-width forms are ASCII after normalisation), line
// breaks and tabs, and 。 、 “ ” ‘ ’ 《 》 〈 〉 「 」 『 』 【 】 〔 〕 〖 〗 …. Not ':' and not
// spaces.
size_t TerminatorLength(absl::string_view s, size_t pos);

// True when `word` occurs in `s` at byte `pos`.
inline bool At(absl::string_view s, size_t pos, absl::string_view word) {
  return pos <= s.size() && s.substr(pos, word.size()) == word;
}
// True when `word` ends in `s` at byte `end` (occupies [end - size, end)).
inline bool EndsAt(absl::string_view s, size_t end, absl::string_view word) {
  return end >= word.size() && end <= s.size() && s.substr(end - word.size(), word.size()) == word;
}

// One stretch of personal data found in the normalised text, [begin, end).
struct Detection {
  size_t begin = 0;
  size_t end = 0;
  PersonalDataKind kind = PersonalDataKind::kIdCardNumber;
  bool check_valid = true;
};

}  // namespace regulation::disclosure::internal

#endif  // DISCLOSURE_REDACTION_TEXT_H_
