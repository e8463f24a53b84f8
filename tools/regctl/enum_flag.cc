#include "tools/regctl/enum_flag.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace regulation::regctl {

absl::StatusOr<int> ParseEnumFlagNumber(const google::protobuf::EnumDescriptor& type,
                                        absl::string_view prefix, absl::string_view flag,
                                        absl::string_view text) {
  std::string name = absl::AsciiStrToUpper(text);
  if (!absl::StartsWith(name, prefix)) name = absl::StrCat(prefix, name);
  const google::protobuf::EnumValueDescriptor* value = type.FindValueByName(name);
  if (value == nullptr || value->number() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": one of ", EnumFlagChoices(type, prefix), ", got \"", text, "\""));
  }
  return value->number();
}

std::string EnumFlagChoices(const google::protobuf::EnumDescriptor& type,
                            absl::string_view prefix) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor& value = *type.value(i);
    if (value.number() == 0 || !absl::StartsWith(value.name(), prefix)) continue;
    names.push_back(absl::AsciiStrToLower(absl::string_view(value.name()).substr(prefix.size())));
  }
  if (names.size() < 2) return absl::StrJoin(names, "");
  const std::string last = names.back();
  names.pop_back();
  return absl::StrCat(absl::StrJoin(names, ", "), " or ", last);
}

}  // namespace regulation::regctl
