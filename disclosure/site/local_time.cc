#include "disclosure/site/local_time.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "disclosure/site/html.h"

namespace regulation::disclosure::site {
namespace {

constexpr int kOffsetHours = 8;

bool Digits(absl::string_view s, int* out) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(s, out);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

LocalTime ToLocalTime(absl::string_view utc) {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z.
  int y, mo, d, h, mi, s;
  const bool shape = utc.size() >= 20 && utc[4] == '-' && utc[7] == '-' && utc[10] == 'T' &&
                     utc[13] == ':' && utc[16] == ':' && utc.back() == 'Z';
  if (!shape || !Digits(utc.substr(0, 4), &y) || !Digits(utc.substr(5, 2), &mo) ||
      !Digits(utc.substr(8, 2), &d) || !Digits(utc.substr(11, 2), &h) ||
      !Digits(utc.substr(14, 2), &mi) || !Digits(utc.substr(17, 2), &s)) {
    return {std::string(utc), ""};
  }
  const absl::string_view fraction = utc.substr(19, utc.size() - 20);
  int ignored = 0;
  if (!fraction.empty() &&
      (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 10 ||
       !Digits(fraction.substr(1), &ignored))) {
    return {std::string(utc), ""};
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    return {std::string(utc), ""};
  }
  const absl::CivilSecond local = absl::CivilSecond(y, mo, d, h, mi, s) + kOffsetHours * 3600;
  return {absl::StrFormat("%04d-%02d-%02d %02d:%02d:%02d CST (UTC+8)", local.year(), local.month(),
                          local.day(), local.hour(), local.minute(), local.second()),
          absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s)};
}

std::string TimeHtml(absl::string_view utc) {
  const LocalTime t = ToLocalTime(utc);
  if (t.datetime.empty()) return HtmlEscape(t.text);
  return absl::StrCat("<time datetime=\"", t.datetime, "\">", HtmlEscape(t.text), "</time>");
}

}  // namespace regulation::disclosure::site
