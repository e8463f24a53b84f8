#ifndef TOOLS_REGCTL_AS_OF_H_
#define TOOLS_REGCTL_AS_OF_H_

// The --as_of flag of portrait get and score get.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace regulation::regctl {

// RFC 3339, or YYYY-MM-DD meaning the end of that day in China (for today: now).
// INVALID_ARGUMENT naming --as_of otherwise.
absl::StatusOr<absl::Time> ParseAsOf(const std::string& text);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_AS_OF_H_
