#ifndef SERVICES_PORTRAIT_STATE_FROM_EVENTS_H_
#define SERVICES_PORTRAIT_STATE_FROM_EVENTS_H_

// An enterprise's portrait state recomputed from its stored events (kEvents): what
// as-of portraits read, and what recovery and superseding results rebuild a state from.
// FoldEvent is order independent (scoring/portrait_state.h), so this equals the state
// kept event by event.

#include <cstdint>
#include <limits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/internal/portrait_state.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

// Folds the events of `credit_code` that happened at or before `through_micros`,
// leaving out the one stored under `skip_key` (empty: none). DATA_LOSS for a stored
// event that does not parse; storage errors as the store returned them.
absl::StatusOr<internal::PortraitState> StateFromEvents(
    storage::KvStore* store, absl::string_view credit_code,
    int64_t through_micros = std::numeric_limits<int64_t>::max() - 1,
    absl::string_view skip_key = "");

// Folds one stored event (its kEvents value) of `credit_code` into `state`. DATA_LOSS
// when it does not parse or has no valid time.
absl::Status FoldStoredEvent(absl::string_view credit_code, absl::string_view stored,
                             internal::PortraitState* state);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_STATE_FROM_EVENTS_H_
