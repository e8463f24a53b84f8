#ifndef SERVICES_ALERTS_COMPLAINT_HISTORY_H_
#define SERVICES_ALERTS_COMPLAINT_HISTORY_H_

// What the complaint rule needs of one enterprise's stored history to decide whether a
// complaint crossed the threshold (ComplaintsCrossThreshold): the counted complaints
// that can matter, read as a key range rather than the whole history.
//
// ComplaintsCrossThreshold(times, index) looks at the complaints in the window ending at
// the complaint (t - window, t] and, when there is one before it at p, at the window
// ending there (p - window, p]. If p > t - window that lies within [t - 2 window, t]; if
// p <= t - window the count at t is 1, so the answer depends on p only when the rule's
// count is 1, and then only on whether an earlier complaint exists at all. So the range
// [t - 2 window, t] decides every case but that one, which reads the whole history
// (ReadComplaintHistory's `whole`). The cost of a complaint's evaluation is then bounded
// by the complaints near it in time, not by how many events the enterprise has
// accumulated (the ingestion benchmark's alert work grew with the store before).
//
// Most complaints need no read at all: the enterprise's portrait state keeps every
// occurrence time of its complaints (and of its substantiated ones) inside the longest
// window, three years, before its latest event (scoring/portrait_state.h), so when the
// windows ending at the complaint and at the one before it lie inside that horizon the
// state holds every time the answer depends on (ComplaintCrossedThresholdInState). It
// cannot order two complaints at the same moment (the store orders them by event id), so
// such ties go to the store.
//
// Thread safety: free functions; they read the store, or the state given, only.

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/alert.pb.h"
#include "regulation/v1/event.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

struct ComplaintHistory {
  // The counted complaints' times (EventTimeMicros), in stored (time, id) order.
  std::vector<int64_t> times;
  // Where `event` is in `times`; times.size() when it is not stored (superseded).
  size_t index = 0;
  // Whether the read covered the whole history (otherwise [t - 2 window, t] only).
  bool whole = false;
};

// The counted complaints of `event`'s enterprise in [t - 2 window, t], or all of them
// when `whole`; t is `event`'s time. REQUIRES: CountsAsComplaint(rule, event).
// DATA_LOSS for a stored event that does not parse; storage errors as the store gives them.
absl::StatusOr<ComplaintHistory> ReadComplaintHistory(storage::KvStore* store,
                                                      const v1::AlertRules::Complaints& rule,
                                                      const v1::Event& event, bool whole);

// Whether `event` crossed the threshold: ComplaintsCrossThreshold on the range read,
// and on the whole history in the one case the range cannot decide. Sets `*counted` to
// the count in its window when it did.
absl::StatusOr<bool> ComplaintCrossedThreshold(storage::KvStore* store,
                                               const v1::AlertRules::Complaints& rule,
                                               const v1::Event& event, int* counted);

// ComplaintCrossedThreshold's answer from `state`, the current portrait state of
// `event`'s enterprise (which has folded `event` in), without reading the store; nullopt
// when the state cannot decide: the window ending at t reaches past the three years the
// state keeps, or (when the count at t reaches the rule's) so does the window ending at
// the complaint before; another counted complaint is at the same moment t (or none is:
// the state is not the one `event` went into); or the rule counts 1, no earlier complaint
// is kept and some older one exists (the whole history decides). Sets `*counted` as that
// function does.
// REQUIRES: CountsAsComplaint(rule, event).
std::optional<bool> ComplaintCrossedThresholdInState(const internal::PortraitState& state,
                                                     const v1::AlertRules::Complaints& rule,
                                                     const v1::Event& event, int* counted);

}  // namespace regulation::services

#endif  // SERVICES_ALERTS_COMPLAINT_HISTORY_H_
