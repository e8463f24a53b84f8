#include "tools/regctl/proto_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/common/proto_time.h"

namespace regulation::regctl {

std::string FormatDate(const v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return "-";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  absl::StatusOr<absl::Time> time = services::FromProtoTimestamp(ts);
  if (!time.ok()) return absl::StrFormat("%ds", ts.seconds());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", *time, ChinaTimeZone());
}

std::string ShortEnumName(const std::string& name, absl::string_view prefix) {
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

std::string RiskClassLetter(v1::RiskClass risk_class) {
  switch (risk_class) {
    case v1::RISK_CLASS_A:
      return "A";
    case v1::RISK_CLASS_B:
      return "B";
    case v1::RISK_CLASS_C:
      return "C";
    case v1::RISK_CLASS_D:
      return "D";
    default:
      return "-";
  }
}

}  // namespace regulation::regctl
