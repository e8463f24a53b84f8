#ifndef SERVICES_PORTRAIT_EVENT_VALIDATION_H_
#define SERVICES_PORTRAIT_EVENT_VALIDATION_H_

// The checks an event passes on its own, before anything is read from storage: ids,
// department, credit code, time and payload fields. Checks that need stored state (the
// enterprise exists and is in the caller's jurisdiction, the event is not before its
// establishment, list removals follow additions, ids are not reused) belong to
// EventIngestor.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "regulation/v1/event.pb.h"

namespace regulation::services {

inline constexpr size_t kMaxEventIdLength = 128;
// Event ids that begin with this are the server's own: the inspection events it derives
// from approved results (services/disclosure/result_event.h). Callers may not use them.
inline constexpr absl::string_view kResultEventIdPrefix = "result:";

// The event's occur_time in microseconds since the epoch when every field is valid;
// otherwise INVALID_ARGUMENT naming the first bad field as `<prefix>.<field>`, e.g.
// "event.administrative_penalty.amount_yuan: must not be negative". `now` bounds the
// time: events may not be in the future. Ids with kResultEventIdPrefix are refused.
absl::StatusOr<int64_t> ValidateEvent(const v1::Event& event, absl::string_view prefix,
                                      absl::Time now);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_EVENT_VALIDATION_H_
