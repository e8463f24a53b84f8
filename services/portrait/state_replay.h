#ifndef SERVICES_PORTRAIT_STATE_REPLAY_H_
#define SERVICES_PORTRAIT_STATE_REPLAY_H_

// Recovery's unit of work (live_portraits.h): one enterprise's portrait state brought
// up to date after a crash from its stored state and the events that the ingest log
// records after the sequence the stored state includes. The work is proportional to
// those events, not to the enterprise's whole history; only where that cannot be exact
// does the state come from the whole history (StateFromEvents).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/internal/portrait_state.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

// What the ingest log's records after the checkpoint say about one enterprise.
struct LoggedEvents {
  // (log sequence, event key) in log order.
  std::vector<std::pair<int64_t, std::string>> events;
  // A record replaced one of its events (a superseded result): folding cannot subtract
  // the replaced event, so the state comes from the whole history.
  bool superseded = false;
};

struct ReplayCounts {
  int64_t replayed_events = 0;  // folded into a stored state
  int64_t rebuilt_states = 0;   // recomputed from the whole history instead
};

// The state of `credit_code` including every event in `logged`, from the stored state
// (`stored`: its kPortraits value, or NOT_FOUND) and the logged events after its mark.
// From the whole history when the state was never stored, predates recorded sequences
// (or a build unaware of them folded events into it since), or when an event to fold is
// no longer stored (a later record superseded it). The result carries no ingest mark.
// DATA_LOSS for what does not parse.
absl::StatusOr<internal::PortraitState> ReplayState(
    storage::KvStore* store, absl::string_view credit_code,
    const absl::StatusOr<std::string>& stored, const LoggedEvents& logged, ReplayCounts* counts);

// `state` serialised into `*encoded` (its capacity reused), marked as including the
// ingest log up to `sequence` and its event count then: the two fields appended, which
// protobuf's parsing lets win over any earlier ones. Sized once, written once.
void EncodeStateWithIngestMark(const internal::PortraitState& state, int64_t sequence,
                               std::string* encoded);

// Clears the ingest mark of a state read back from the store: the store's bookkeeping,
// not the portrait's.
void ClearIngestMark(internal::PortraitState* state);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_STATE_REPLAY_H_
