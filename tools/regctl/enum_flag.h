#ifndef TOOLS_REGCTL_ENUM_FLAG_H_
#define TOOLS_REGCTL_ENUM_FLAG_H_

// Flags whose value names a proto enum value without its prefix, in any case:
// `--state=open` for OBJECTION_STATE_OPEN. The choices in the error message come from the
// enum itself, so they never fall behind the proto.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace regulation::regctl {

// The number of `type`'s value named `prefix` + `text` (upper-cased; `text` may also carry
// the prefix itself). Value 0, the UNSPECIFIED placeholder, never matches.
// INVALID_ARGUMENT otherwise: "`flag`: one of a, b or c, got "x"".
absl::StatusOr<int> ParseEnumFlagNumber(const google::protobuf::EnumDescriptor& type,
                                        absl::string_view prefix, absl::string_view flag,
                                        absl::string_view text);

// The choices a flag takes, lower-case and without the prefix: "open, upheld or rejected".
std::string EnumFlagChoices(const google::protobuf::EnumDescriptor& type,
                            absl::string_view prefix);

template <typename Enum>
absl::StatusOr<Enum> ParseEnumFlag(absl::string_view prefix, absl::string_view flag,
                                   absl::string_view text) {
  absl::StatusOr<int> number = ParseEnumFlagNumber(
      *google::protobuf::GetEnumDescriptor<Enum>(), prefix, flag, text);
  if (!number.ok()) return number.status();
  return static_cast<Enum>(*number);
}

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ENUM_FLAG_H_
