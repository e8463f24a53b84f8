#ifndef SERVICES_SCORING_ENTERPRISE_EVENTS_H_
#define SERVICES_SCORING_ENTERPRISE_EVENTS_H_

// One enterprise's stored events, in (time, id) order, for the batch jobs that fold
// history (training rows, backtests).

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/event.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

// Replaces `events` with `code`'s events as `snapshot` sees them (nullptr: now) and
// `micros` with the time each is folded at (EventTimeMicros). DATA_LOSS for a corrupt
// event; storage errors as the store gives them.
absl::Status ReadEnterpriseEvents(storage::KvStore* store, const storage::Snapshot* snapshot,
                                  absl::string_view code, std::vector<v1::Event>* events,
                                  std::vector<int64_t>* micros);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_ENTERPRISE_EVENTS_H_
