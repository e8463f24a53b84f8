#include "disclosure/site/json_text.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"

namespace regulation::disclosure::site {

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '/':
        out += (i > 0 && s[i - 1] == '<') ? "\\/" : "/";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out += "\"";
  return out;
}

absl::StatusOr<google::protobuf::Value> ParseJson(absl::string_view text, absl::string_view what) {
  google::protobuf::Value value;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &value);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid JSON: ", std::string(status.message())));
  }
  return value;
}

const google::protobuf::Value* Member(const google::protobuf::Value& object,
                                      absl::string_view key) {
  if (object.kind_case() != google::protobuf::Value::kStructValue) return nullptr;
  const auto& fields = object.struct_value().fields();
  auto it = fields.find(std::string(key));
  return it == fields.end() ? nullptr : &it->second;
}

std::string StringMember(const google::protobuf::Value& object, absl::string_view key) {
  const google::protobuf::Value* v = Member(object, key);
  return v != nullptr && v->kind_case() == google::protobuf::Value::kStringValue ? v->string_value()
                                                                               : "";
}

int64_t AsInt(const google::protobuf::Value& value) {
  if (value.kind_case() == google::protobuf::Value::kNumberValue) {
    return static_cast<int64_t>(value.number_value());
  }
  int64_t n = 0;
  if (value.kind_case() == google::protobuf::Value::kStringValue &&
      absl::SimpleAtoi(value.string_value(), &n)) {
    return n;
  }
  return 0;
}

int64_t IntMember(const google::protobuf::Value& object, absl::string_view key) {
  const google::protobuf::Value* v = Member(object, key);
  return v == nullptr ? 0 : AsInt(*v);
}

}  // namespace regulation::disclosure::site
