#include "tools/regctl/date_time_flag.h"

#include <algorithm>
#include <optional>
#include <variant>

#include "absl/strings/str_cat.h"
#include "common/clock.h"

namespace regulation::regctl {
namespace {

// A flag's value: a time with its offset, or a day.
using DateOrTime = std::variant<absl::Time, absl::CivilDay>;

std::optional<DateOrTime> Parse(absl::string_view text) {
  const std::string value(text);
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, value, &time, &error)) return time;
  absl::CivilDay day;
  // ParseCivilTime accepts only YYYY-MM-DD for a day; a normalised date (2026-02-30) is
  // refused by comparing it with its own formatting.
  if (absl::ParseCivilTime(value, &day) && absl::FormatCivilTime(day) == value) return day;
  return std::nullopt;
}

absl::Status Invalid(absl::string_view flag, absl::string_view text, absl::string_view forms) {
  return absl::InvalidArgumentError(
      absl::StrCat(flag, ": expected ", forms, ", got \"", text, "\""));
}

constexpr absl::string_view kTimeOrDate = "RFC 3339 (2026-05-01T08:00:00+08:00) or YYYY-MM-DD";

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, ChinaTimeZone()); }

}  // namespace

absl::StatusOr<absl::CivilDay> ParseDayFlag(absl::string_view flag, absl::string_view text) {
  std::optional<DateOrTime> parsed = Parse(text);
  if (!parsed.has_value() || !std::holds_alternative<absl::CivilDay>(*parsed)) {
    return Invalid(flag, text, "YYYY-MM-DD");
  }
  return std::get<absl::CivilDay>(*parsed);
}

absl::StatusOr<absl::Time> ParseRangeStartFlag(absl::string_view flag, absl::string_view text) {
  std::optional<DateOrTime> parsed = Parse(text);
  if (!parsed.has_value()) return Invalid(flag, text, kTimeOrDate);
  if (const auto* day = std::get_if<absl::CivilDay>(&*parsed)) return StartOf(*day);
  return std::get<absl::Time>(*parsed);
}

absl::StatusOr<absl::Time> ParseRangeEndFlag(absl::string_view flag, absl::string_view text) {
  std::optional<DateOrTime> parsed = Parse(text);
  if (!parsed.has_value()) return Invalid(flag, text, kTimeOrDate);
  if (const auto* day = std::get_if<absl::CivilDay>(&*parsed)) return StartOf(*day + 1);
  return std::get<absl::Time>(*parsed);
}

absl::StatusOr<absl::Time> ParseAsOfFlag(absl::string_view flag, absl::string_view text,
                                         absl::Time now) {
  std::optional<DateOrTime> parsed = Parse(text);
  if (!parsed.has_value()) return Invalid(flag, text, kTimeOrDate);
  const auto* day = std::get_if<absl::CivilDay>(&*parsed);
  if (day == nullptr) return std::get<absl::Time>(*parsed);
  const absl::Time last_nanosecond = StartOf(*day + 1) - absl::Nanoseconds(1);
  return *day == absl::ToCivilDay(now, ChinaTimeZone()) ? std::min(last_nanosecond, now)
                                                         : last_nanosecond;
}

}  // namespace regulation::regctl
