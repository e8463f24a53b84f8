#include "tools/regctl/import/utf8.h"

#include "absl/strings/str_cat.h"
#include "common/utf8.h"

namespace regulation::regctl {

absl::Status ValidateUtf8(absl::string_view text) {
  for (const Utf8Char c : Utf8Chars(text)) {
    if (!c.valid) {
      return absl::InvalidArgumentError(absl::StrCat("not valid UTF-8 (byte ", c.offset + 1, ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace regulation::regctl
