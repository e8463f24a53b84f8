#ifndef SERVICES_COMMON_PROTO_TIME_H_
#define SERVICES_COMMON_PROTO_TIME_H_

// Conversions between API time types (google.protobuf.Timestamp, regulation.v1.Date)
// and Abseil's, with validation.

#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "regulation/v1/common.pb.h"

namespace regulation::services {

// Exact for every instant from 0001-01-01 to 9999-12-31 (nanoseconds are not saturated).
google::protobuf::Timestamp ToProtoTimestamp(absl::Time t);

// INVALID_ARGUMENT (without a field name: callers prefix it with ForField) when seconds
// or nanos are out of the range google.protobuf.Timestamp allows, 0001-01-01 to
// 9999-12-31: the message states the range. Every instant in it can be computed with
// (portraits and event keys count whole microseconds, which reach far beyond it).
absl::StatusOr<absl::Time> FromProtoTimestamp(const google::protobuf::Timestamp& ts);

// An event's time in whole microseconds (how events are keyed and folded), rounded up: an
// event a fraction of a microsecond after a moment stays after it, so a portrait as of that
// moment never counts it.
int64_t EventTimeMicros(absl::Time occur_time);

v1::Date ToProtoDate(absl::CivilDay day);

// INVALID_ARGUMENT (without a field name) unless the date exists in the calendar and
// its year is 1900-9999.
absl::StatusOr<absl::CivilDay> FromProtoDate(const v1::Date& date);

}  // namespace regulation::services

#endif  // SERVICES_COMMON_PROTO_TIME_H_
