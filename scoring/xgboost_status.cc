#include "scoring/xgboost_status.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "xgboost/c_api.h"

namespace regulation::scoring {

std::string CleanXgbMessage(absl::string_view message) {
  absl::string_view line = message.substr(0, message.find('\n'));
  // XGBoost prefixes its log lines with "[hh:mm:ss] ".
  if (line.size() > 11 && line[0] == '[' && line[9] == ']' && line[10] == ' ') {
    line.remove_prefix(11);
  }
  line = absl::StripAsciiWhitespace(line);
  return line.empty() ? std::string("unknown XGBoost error") : std::string(line);
}

absl::Status XgbCheck(int rc, absl::string_view what, absl::StatusCode code) {
  if (rc == 0) return absl::OkStatus();
  // Read the thread-local message at once, before any other XGBoost call.
  const char* raw = XGBGetLastError();
  const std::string message = CleanXgbMessage(raw == nullptr ? "" : raw);
  if (code == absl::StatusCode::kOk) code = absl::StatusCode::kInternal;
  return absl::Status(code, absl::StrCat(what, ": ", message));
}

}  // namespace regulation::scoring
