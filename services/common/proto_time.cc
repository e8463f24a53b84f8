#include "services/common/proto_time.h"

#include "absl/strings/str_format.h"

namespace regulation::services {
namespace {

// The range google.protobuf.Timestamp documents: 0001-01-01 to 9999-12-31.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

}  // namespace

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t) {
  // Whole seconds first (floor), then the nanoseconds left: absl::ToUnixNanos would
  // saturate outside 1677-2262, and the Timestamp range is 0001-9999.
  google::protobuf::Timestamp ts;
  int64_t seconds = absl::ToUnixSeconds(t);  // rounds towards negative infinity
  const absl::Duration rest = t - absl::FromUnixSeconds(seconds);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(rest)));
  return ts;
}

absl::StatusOr<absl::Time> FromProtoTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds || ts.nanos() < 0 ||
      ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "must be a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z (seconds "
        "%d to %d, nanos 0 to 999999999), got seconds=%d nanos=%d",
        kMinSeconds, kMaxSeconds, ts.seconds(), ts.nanos()));
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
