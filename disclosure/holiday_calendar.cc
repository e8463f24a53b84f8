#include "disclosure/holiday_calendar.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"

namespace regulation::disclosure {
namespace {

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

absl::string_view WeekdayName(absl::Weekday w) {
  switch (w) {
    case absl::Weekday::monday:
      return "Monday";
    case absl::Weekday::tuesday:
      return "Tuesday";
    case absl::Weekday::wednesday:
      return "Wednesday";
    case absl::Weekday::thursday:
      return "Thursday";
    case absl::Weekday::friday:
      return "Friday";
    case absl::Weekday::saturday:
      return "Saturday";
    case absl::Weekday::sunday:
      return "Sunday";
  }
  return "day";
}

// Parses exactly "YYYY-MM-DD" naming a real date.
bool ParseDate(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  int year = 0, month = 0, dom = 0;
  if (!absl::SimpleAtoi(text.substr(0, 4), &year) || !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &dom)) {
    return false;
  }
  const absl::CivilDay parsed(year, month, dom);
  // CivilDay normalises out-of-range fields (2026-02-30 becomes 2026-03-02).
  if (parsed.year() != year || parsed.month() != month || parsed.day() != dom) return false;
  *day = parsed;
  return true;
}

}  // namespace

absl::StatusOr<HolidayCalendar> HolidayCalendar::Parse(absl::string_view contents) {
  HolidayCalendar calendar;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    const auto error = [line_number](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", what));
    };
    if (fields.size() != 2) {
      return error(absl::StrCat("expected \"YYYY-MM-DD holiday\" or \"YYYY-MM-DD workday\", got \"",
                                line, "\""));
    }
    absl::CivilDay day;
    if (!ParseDate(fields[0], &day)) {
      return error(absl::StrCat("\"", fields[0], "\" is not a date YYYY-MM-DD"));
    }
    if (calendar.holidays_.count(day) > 0 || calendar.workdays_.count(day) > 0) {
      return error(absl::StrCat(fields[0], " is listed twice"));
    }
    if (fields[1] == "holiday") {
      calendar.holidays_.insert(day);
    } else if (fields[1] == "workday") {
      if (!IsWeekend(day)) {
        return error(absl::StrCat(fields[0], " is a ", WeekdayName(absl::GetWeekday(day)),
                                  "; an adjusted workday must be a Saturday or Sunday"));
      }
      calendar.workdays_.insert(day);
    } else {
      return error(
          absl::StrCat("unknown kind \"", fields[1], "\" (expected \"holiday\" or \"workday\")"));
    }
    calendar.years_.insert(day.year());
  }
  return calendar;
}

absl::StatusOr<HolidayCalendar> HolidayCalendar::LoadFromFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadWholeFile(path);
  if (!contents.ok()) return contents.status();
  absl::StatusOr<HolidayCalendar> calendar = Parse(*contents);
  if (!calendar.ok()) {
    return absl::Status(calendar.status().code(),
                        absl::StrCat(path, ": ", calendar.status().message()));
  }
  return calendar;
}

bool HolidayCalendar::IsHoliday(absl::CivilDay day) const { return holidays_.count(day) > 0; }

bool HolidayCalendar::IsAdjustedWorkday(absl::CivilDay day) const {
  return workdays_.count(day) > 0;
}

bool HolidayCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (IsWeekend(day)) return IsAdjustedWorkday(day);
  return !IsHoliday(day);
}

absl::CivilDay HolidayCalendar::AddWorkingDays(absl::CivilDay start, int n) const {
  const int step = n >= 0 ? 1 : -1;
  int remaining = n >= 0 ? n : -n;
  absl::CivilDay day = start;
  while (remaining > 0) {
    day += step;
    if (IsWorkingDay(day)) --remaining;
  }
  return day;
}

int HolidayCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  if (to < from) return -WorkingDaysBetween(to, from);
  // Weekdays in (from, to] by whole weeks and a remainder, then the calendar's exceptions
  // in that range: a holiday on a weekday is one fewer, an adjusted workday on a weekend
  // one more (IsWorkingDay's rule). O(log n + exceptions), whatever the span: a caller's
  // date far in the future costs no more than next week.
  const int64_t days = to - from;
  int64_t count = days / 7 * 5;
  for (absl::CivilDay day = from + 1 + days / 7 * 7; day <= to; ++day) {
    if (!IsWeekend(day)) ++count;
  }
  for (auto it = holidays_.upper_bound(from); it != holidays_.end() && *it <= to; ++it) {
    if (!IsWeekend(*it)) --count;
  }
  for (auto it = workdays_.upper_bound(from); it != workdays_.end() && *it <= to; ++it) {
    if (IsWeekend(*it)) ++count;
  }
  return static_cast<int>(count);
}

bool HolidayCalendar::CoversYear(absl::civil_year_t year) const { return years_.count(year) > 0; }

std::vector<absl::civil_year_t> HolidayCalendar::CoveredYears() const {
  return std::vector<absl::civil_year_t>(years_.begin(), years_.end());
}

}  // namespace regulation::disclosure
