#ifndef COMMON_TEXT_POLICY_H_
#define COMMON_TEXT_POLICY_H_

// The one policy for human-readable text that enters through the API: names, titles,
// addresses, reasons, findings, legal bases. Every validator checks its text fields here,
// so that what one service stores another can display, sign and publish safely.
//
// A value passes when it is
//   - well-formed UTF-8;
//   - free of control characters: C0 (U+0000-U+001F), DEL (U+007F) and C1
//     (U+0080-U+009F, including U+0085 NEXT LINE), and of the line and paragraph
//     separators U+2028, U+2029; a multi-line rule lets line feeds (U+000A) through;
//   - free of bidirectional embeddings, overrides and isolates (U+202A-U+202E,
//     U+2066-U+2069), which make text display in another order than it is stored;
//   - free of invisible characters: zero-width space, non-joiner and joiner
//     (U+200B-U+200D), word joiner (U+2060) and the byte-order mark (U+FEFF);
//   - not blank: something is left after trimming Unicode white space;
//   - within the rule's length limits, and present when the rule requires it.
//
// Example:
//   REG_RETURN_IF_ERROR(ValidateText("enterprise.name", e.name(), TextRule::RequiredChars(200)));
//
// Thread safety: stateless functions.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation {

struct TextRule {
  // Whether an empty value is refused ("is required"). Default: optional (empty passes).
  bool required = false;
  // The longest value accepted, in bytes of UTF-8; 0 means no byte limit.
  size_t max_bytes = 0;
  // The longest value accepted, in characters (code points); 0 means no character limit.
  size_t max_chars = 0;
  // Whether line feeds (U+000A) may appear, for multi-line free text. Default false.
  bool multiline = false;

  static TextRule RequiredBytes(size_t max) { return {true, max, 0, false}; }
  static TextRule OptionalBytes(size_t max) { return {false, max, 0, false}; }
  static TextRule RequiredChars(size_t max) { return {true, 0, max, false}; }
  static TextRule OptionalChars(size_t max) { return {false, 0, max, false}; }
  // The same rule, letting line feeds through.
  TextRule Multiline() const {
    TextRule rule = *this;
    rule.multiline = true;
    return rule;
  }
};

// OK, or INVALID_ARGUMENT "<field>: <reason>", where the reason names the first problem
// and, for a refused character, the character and its position (counted in characters
// from 1), e.g. "enterprise.name: must not contain bidirectional formatting characters
// (U+202E at character 5)". Never quotes the value.
absl::Status ValidateText(absl::string_view field, absl::string_view value, const TextRule& rule);

// Why the policy refuses character `code` in text ("a control character", ...), or an
// empty view when it accepts it. Line feeds count as control characters here.
absl::string_view RefusedCharacterKind(uint32_t code);

// Whether `code` is Unicode white space (the White_Space property).
bool IsUnicodeWhiteSpace(uint32_t code);

}  // namespace regulation

#endif  // COMMON_TEXT_POLICY_H_
