#include "services/common/proto_time.h"

#include "absl/strings/str_format.h"

namespace regulation::services {
namespace {

// The range google.protobuf.Timestamp documents: 0001-01-01 to 9999-12-31.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

}  // namespace

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t nanos = absl::ToUnixNanos(t);
  int64_t seconds = nanos / 1000000000;
  int64_t rem = nanos % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem));
  return ts;
}

absl::StatusOr<absl::Time> FromProtoTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds) {
    return absl::InvalidArgumentError(
        absl::StrFormat("seconds %d is outside 0001-01-01..9999-12-31", ts.seconds()));
  }
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrFormat("nanos %d is outside 0..999999999", ts.nanos()));
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

v1::Date ToProtoDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::StatusOr<absl::CivilDay> FromProtoDate(const v1::Date& date) {
  if (date.year() < 1900 || date.year() > 9999) {
    return absl::InvalidArgumentError(absl::StrFormat("year %d is outside 1900-9999", date.year()));
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) {
    return absl::InvalidArgumentError(absl::StrFormat("%04d-%02d-%02d is not a calendar date",
                                                      date.year(), date.month(), date.day()));
  }
  return day;
}

int64_t EventTimeMicros(absl::Time occur_time) {
  const int64_t micros = absl::ToUnixMicros(occur_time);  // rounds down
  return absl::FromUnixMicros(micros) < occur_time ? micros + 1 : micros;
}

}  // namespace regulation::services
