#include "services/access/parse_errors.h"

#include <google/protobuf/stubs/logging.h>

#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace regulation::access {
namespace {

thread_local std::string invalid_utf8_field;

// protobuf (3.21) writes: "String field 'pkg.Message.field' contains invalid UTF-8 data when
// parsing a protocol buffer. Use the 'bytes' type if you intend to send raw bytes. "
void HandleProtobufLog(google::protobuf::LogLevel level, const char* file, int line,
                       const std::string& message) {
  constexpr absl::string_view kPrefix = "String field '";
  if (absl::StartsWith(message, kPrefix) &&
      absl::StrContains(message, "contains invalid UTF-8 data when parsing")) {
    const size_t end = message.find('\'', kPrefix.size());
    if (end != std::string::npos) {
      invalid_utf8_field = message.substr(kPrefix.size(), end - kPrefix.size());
      return;
    }
  }
  const std::string text = absl::StrCat("protobuf ", file, ":", line, ": ", message);
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      LogInfo(text);
      break;
    case google::protobuf::LOGLEVEL_WARNING:
      LogWarning(text);
      break;
    default:
      LogError(text);
  }
}

}  // namespace

void CaptureProtobufParseErrors() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&HandleProtobufLog); });
}

std::string TakeInvalidUtf8Field() { return std::exchange(invalid_utf8_field, std::string()); }

}  // namespace regulation::access
