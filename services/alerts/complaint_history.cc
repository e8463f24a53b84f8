#include "services/alerts/complaint_history.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "scoring/portrait_state.h"
#include "services/alerts/alert_rules.h"
#include "services/common/proto_time.h"
#include "services/portrait/event_keys.h"

namespace regulation::services {

absl::StatusOr<ComplaintHistory> ReadComplaintHistory(storage::KvStore* store,
                                                      const v1::AlertRules::Complaints& rule,
                                                      const v1::Event& event, bool whole) {
  const std::string& code = event.credit_code();
  storage::IteratorOptions bounds = storage::PrefixBounds(code);
  if (!whole) {
    REG_ASSIGN_OR_RETURN(absl::Time when, FromProtoTimestamp(event.occur_time()));
    const int64_t t = EventTimeMicros(when);
    const int64_t window = absl::ToInt64Microseconds(absl::Hours(24) * rule.window_days());
    const int64_t from = t > std::numeric_limits<int64_t>::min() + 2 * window
                             ? t - 2 * window
                             : std::numeric_limits<int64_t>::min();
    bounds.lower_bound = EventKeyFrom(code, from);
    bounds.upper_bound = EventKeyAfter(code, t);
  }
  ComplaintHistory history;
  history.whole = whole;
  bool found = false;
  v1::Event stored;  // reused: one parse per event in range, no vector of events
  std::unique_ptr<storage::Iterator> it = store->NewIterator(storage::ColumnFamily::kEvents, bounds);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!stored.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("a stored event of ", code, " is corrupt"));
    }
    if (!CountsAsComplaint(rule, stored)) continue;
    REG_ASSIGN_OR_RETURN(absl::Time when, FromProtoTimestamp(stored.occur_time()));
    if (!found && stored.event_id() == event.event_id()) {
      history.index = history.times.size();
      found = true;
    }
    history.times.push_back(EventTimeMicros(when));
  }
  REG_RETURN_IF_ERROR(it->status());
  if (!found) history.index = history.times.size();
  return history;
}

absl::StatusOr<bool> ComplaintCrossedThreshold(storage::KvStore* store,
                                               const v1::AlertRules::Complaints& rule,
                                               const v1::Event& event, int* counted) {
  REG_ASSIGN_OR_RETURN(ComplaintHistory history,
                       ReadComplaintHistory(store, rule, event, /*whole=*/false));
  if (history.index >= history.times.size()) return false;  // superseded meanwhile
  // No earlier complaint in the range, and the count at this one alone reaches the
  // threshold (a rule counting 1): whether it crossed depends on whether any earlier
  // complaint exists at all (complaint_history.h).
  if (history.index == 0 && ComplaintsInWindow(rule, history.times, 0) >= rule.count()) {
    REG_ASSIGN_OR_RETURN(history, ReadComplaintHistory(store, rule, event, /*whole=*/true));
    if (history.index >= history.times.size()) return false;
  }
  if (!ComplaintsCrossThreshold(rule, history.times, history.index)) return false;
  *counted = ComplaintsInWindow(rule, history.times, history.index);
  return true;
}

std::optional<bool> ComplaintCrossedThresholdInState(const internal::PortraitState& state,
                                                     const v1::AlertRules::Complaints& rule,
                                                     const v1::Event& event, int* counted) {
  absl::StatusOr<absl::Time> when = FromProtoTimestamp(event.occur_time());
  if (!when.ok()) return std::nullopt;
  const int64_t t = EventTimeMicros(*when);
  const int64_t window = absl::ToInt64Microseconds(absl::Hours(24) * rule.window_days());
  // The state keeps every occurrence after this moment; a window (x - window, x] is
  // whole in it when x - window >= horizon.
  const int64_t horizon = state.max_micros() - scoring::kLongestWindowMicros;
  const auto whole = [&](int64_t x) { return x - window >= horizon; };
  if (!whole(t)) return std::nullopt;
  const internal::SignalHistory* kept = scoring::FindSignal(
      state, rule.substantiated_only() ? scoring::Signal::kComplaintSubstantiated
                                       : scoring::Signal::kComplaint);
  if (kept == nullptr) return std::nullopt;
  std::vector<int64_t> times;  // every kept complaint up to t
  int at_t = 0;
  for (const int64_t micros : kept->recent_micros()) {
    if (micros > t) break;  // kept in increasing order
    times.push_back(micros);
    at_t += micros == t;
  }
  if (at_t != 1) return std::nullopt;
  const size_t index = times.size() - 1;
  const int count = ComplaintsInWindow(rule, times, index);  // exact: its window is whole
  if (count < rule.count()) return false;
  if (index == 0) {
    // No earlier complaint kept (so the count is 1, and so is the rule's): whether any
    // earlier one exists at all decides, and the older ones are counted, not kept.
    if (kept->count_total() > kept->recent_micros_size()) return std::nullopt;
  } else if (!whole(times[index - 1])) {
    return std::nullopt;  // the count at the previous complaint may miss older ones
  }
  if (!ComplaintsCrossThreshold(rule, times, index)) return false;
  *counted = count;
  return true;
}

}  // namespace regulation::services
