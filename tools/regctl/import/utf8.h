#ifndef TOOLS_REGCTL_IMPORT_UTF8_H_
#define TOOLS_REGCTL_IMPORT_UTF8_H_

// UTF-8 validation for imported text. Protocol buffers require string fields to be valid
// UTF-8, and a message with one bad string fails as a whole on the server, so the
// importers check every value first and reject just that row.
//
// Thread safety: a pure function.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::regctl {

// OK when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF); otherwise INVALID_ARGUMENT
// "not valid UTF-8 (byte N)" with N the 1-based position of the first bad byte.
absl::Status ValidateUtf8(absl::string_view text);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_UTF8_H_
