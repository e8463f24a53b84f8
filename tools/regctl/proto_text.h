#ifndef TOOLS_REGCTL_PROTO_TEXT_H_
#define TOOLS_REGCTL_PROTO_TEXT_H_

// Small renderings of API values shared by regctl's tables: dates, timestamps in China
// Standard Time, enum names without their prefix, risk class letters.
//
// Thread safety: stateless functions.

#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "absl/strings/string_view.h"
#include "regulation/v1/common.pb.h"

namespace regulation::regctl {

// "YYYY-MM-DD"; "-" for an unset date (all zero).
std::string FormatDate(const v1::Date& date);

// "YYYY-MM-DD HH:MM:SS +08:00" in China Standard Time; "-" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// `name` without `prefix` ("INSPECTOR_STATUS_ACTIVE", "INSPECTOR_STATUS_" -> "ACTIVE").
std::string ShortEnumName(const std::string& name, absl::string_view prefix);

// "A".."D"; "-" for RISK_CLASS_UNSPECIFIED or an unknown value.
std::string RiskClassLetter(v1::RiskClass risk_class);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_PROTO_TEXT_H_
