#include "scheduler/canonical_time.h"

#include "absl/strings/str_format.h"

namespace regulation::scheduler {
namespace {

constexpr char kFormat[] = "%Y-%m-%dT%H:%M:%E6SZ";

}  // namespace

std::string CanonicalTime(absl::Time t) {
  return absl::FormatTime(kFormat, t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseCanonicalTime(absl::string_view field, absl::string_view text) {
  absl::Time t;
  std::string error;
  // The round trip rejects every other spelling (no fraction, an offset, a leap second).
  if (text.size() != 27 || !absl::ParseTime(kFormat, text, absl::UTCTimeZone(), &t, &error) ||
      CanonicalTime(t) != text) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: must be a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ, got \"%s\"", field, text));
  }
  return t;
}

}  // namespace regulation::scheduler
