#ifndef COMMON_KEEP_GOING_H_
#define COMMON_KEEP_GOING_H_

// How a long job learns that its result is no longer wanted. The job asks between units of
// work (a chunk of rows, a boosting round, a group of enterprises) and stops with the
// status it gets: CANCELLED when the caller went away, DEADLINE_EXCEEDED when the caller's
// deadline passed. Jobs stop only where stopping leaves nothing half-written.
//
//   REG_RETURN_IF_ERROR(StillWanted(keep_going));

#include <functional>

#include "absl/status/status.h"

namespace regulation {

// OK to go on, or the status to stop with. An empty KeepGoing always goes on.
using KeepGoing = std::function<absl::Status()>;

inline absl::Status StillWanted(const KeepGoing& keep_going) {
  return keep_going ? keep_going() : absl::OkStatus();
}

}  // namespace regulation

#endif  // COMMON_KEEP_GOING_H_
