#ifndef DISCLOSURE_SITE_LOCAL_TIME_H_
#define DISCLOSURE_SITE_LOCAL_TIME_H_

// Times on the public site: records hold RFC 3339 UTC ("2026-03-01T08:00:00.000000Z");
// readers are in China. A page shows the time in Asia/Shanghai with the zone named,
// "2026-03-01 16:00:00 CST (UTC+8)", inside <time datetime="2026-03-01T08:00:00Z">, so that
// the exact UTC instant stays machine-readable. Asia/Shanghai has kept UTC+8 without
// daylight saving since 1991, so the conversion is a fixed offset. assets/views.js
// (localTime) repeats it for the in-browser check: keep the two in step.
//
// Thread safety: pure functions.

#include <string>

#include "absl/strings/string_view.h"

namespace regulation::disclosure::site {

struct LocalTime {
  // "2026-03-01 16:00:00 CST (UTC+8)"; the input unchanged when it is not
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z with fields in range.
  std::string text;
  // "2026-03-01T08:00:00Z" (seconds: HTML's datetime allows at most 3 fraction digits);
  // empty when the input was not understood.
  std::string datetime;
};

LocalTime ToLocalTime(absl::string_view utc);

// <time datetime="UTC">local text</time>, escaped; the escaped input alone when it is
// not understood; "" for "".
std::string TimeHtml(absl::string_view utc);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_LOCAL_TIME_H_
