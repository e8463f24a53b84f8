#ifndef DISCLOSURE_EMBEDDED_HOLIDAYS_H_
#define DISCLOSURE_EMBEDDED_HOLIDAYS_H_

// The holiday calendar shipped with the build (disclosure/holidays/cn-2025-2027.txt,
// compiled in so that a server needs no data file): regulatord's default when no
// --holidays file is given. Parse it with HolidayCalendar::Parse.

#include "absl/strings/string_view.h"

namespace regulation::disclosure {

absl::string_view EmbeddedHolidayCalendar();

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_EMBEDDED_HOLIDAYS_H_
