#include "services/disclosure/text_field.h"

#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "disclosure/signing_key.h"

namespace regulation::services {

absl::Status ValidateTextField(absl::string_view field, absl::string_view text, size_t max_bytes,
                               bool required) {
  if (required && text.empty()) return InvalidField(field, "is required");
  if (text.size() > max_bytes) {
    return InvalidField(field, absl::StrCat("at most ", max_bytes, " bytes"));
  }
  if (!disclosure::IsValidUtf8(text)) return InvalidField(field, "must be valid UTF-8");
  return absl::OkStatus();
}

}  // namespace regulation::services
