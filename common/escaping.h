#ifndef COMMON_ESCAPING_H_
#define COMMON_ESCAPING_H_

// Text placed inside HTML or JSON, escaped in one place so that every page, log line and
// published file escapes the same way.
//
//   HtmlEscape("<b>\"A&B\"</b>")   -> "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
//   JsonQuote("line\n\"two\"")     -> "\"line\\n\\\"two\\\"\""
//
// Thread safety: stateless functions.

#include <string>

#include "absl/strings/string_view.h"

namespace regulation {

// `text` for HTML element content and double- or single-quoted attribute values:
// & < > " ' as &amp; &lt; &gt; &quot; &#39;, CR as &#13; (so that a value keeps its line
// ends exactly), and each byte that is not part of well-formed UTF-8 as U+FFFD.
// Everything else, non-ASCII characters included, as it is.
std::string HtmlEscape(absl::string_view text);

// Appends `value` as a JSON string literal, quotes included, in the draw's canonical form
// (docs/draw-spec.md §9.1, the bytes of Python's json.dumps(s, ensure_ascii=False)):
// '"' and '\' escaped with a backslash; \b \f \n \r \t for those controls; other
// characters below U+0020 as \u00xx (lowercase hex); everything else as it is. A byte
// that is not part of well-formed UTF-8 is written \ufffd, so the result is always valid
// JSON (callers that publish text pass valid UTF-8 and never meet this).
void AppendJsonString(std::string* out, absl::string_view value);

// As AppendJsonString, returned, and with DEL (U+007F) also written \u007f: for log
// lines and other text that reaches a terminal.
std::string JsonQuote(absl::string_view text);

}  // namespace regulation

#endif  // COMMON_ESCAPING_H_
