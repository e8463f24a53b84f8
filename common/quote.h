#ifndef COMMON_QUOTE_H_
#define COMMON_QUOTE_H_

// Caller input, as it may appear in a status message, a log line or an audit record:
// quoted, at most kMaxQuotedChars characters of it, and with every character the text
// policy refuses (controls, bidirectional formatting, zero-width characters) and every
// invalid byte written as an escape, so that a hostile value can neither bloat a
// message past gRPC's metadata limits nor disguise what it says. Every message that
// repeats caller input goes through Quote.
//
//   Quote("3301")              -> "\"3301\""
//   Quote(std::string(10000, '3')) -> "\"3333…3333…\" (10000 bytes)" with 64 threes
//   Quote("a\x01b")            -> "\"a\\x01b\""
//
// Thread safety: stateless functions.

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation {

inline constexpr size_t kMaxQuotedChars = 64;

// `input` in double quotes, cut after kMaxQuotedChars characters (the cut is marked "…"
// and followed by the input's full size in bytes), escaped as described above.
std::string Quote(absl::string_view input);

// As Quote, without the quotes and the size note: for a value inside a message that
// already frames it, such as a method name.
std::string Bounded(absl::string_view input);

}  // namespace regulation

#endif  // COMMON_QUOTE_H_
