#ifndef SCORING_PORTRAIT_STATE_H_
#define SCORING_PORTRAIT_STATE_H_

// The incremental state behind a credit portrait, and how an event changes it.
//
// Every event becomes zero or more *signals* (a penalty, a late annual report, a
// failed quality sample, ...) and list changes. The state keeps, per signal, the
// all-time count, the latest time, and the occurrences within the longest feature
// window (three years) before the latest event; per list, every change. Features at a
// moment T >= the latest event are then exact (scoring/feature_catalogue.h).
//
// Order independence: FoldEvent gives the same state for the same set of events in
// any order. Counts are sums; the latest times are maxima; the kept occurrences are
// exactly those later than (latest event - 3 years), whatever the order they came in,
// because the latest event time only grows; sequences are kept sorted; amounts are
// whole yuan (integers), so sums are exact. This is what lets the state kept up to date
// event by event equal the state recomputed from the stored history (GetPortraitAsOf).
//
// Thread safety: plain functions over values; no shared state.

#include <cstdint>

#include "absl/status/status.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/event.pb.h"

namespace regulation::scoring {

inline constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
// The longest feature window: occurrences older than this before the latest event are
// only counted in all-time totals.
inline constexpr int64_t kLongestWindowMicros = 1095 * kMicrosPerDay;

enum class Signal : int {
  kPenalty = 0,  // amount: fine in yuan
  kSeriousPenalty = 1,
  kReportOnTime = 2,
  kReportLate = 3,
  kReportMissing = 4,
  kReportZeroFinancials = 5,
  kAbnormalListed = 6,
  kDishonestListed = 7,
  kCourtDebtorListed = 8,
  kComplaint = 9,
  kComplaintSubstantiated = 10,
  kQualitySample = 11,
  kQualityFailure = 12,
  kInspection = 13,
  kInspectionProblem = 14,
  kLicenceGranted = 15,
  kLicenceRevoked = 16,
  kRegistrationChange = 17,
};

// Signals this build knows: stored states may also hold a newer writer's, which are not
// features.
inline constexpr int kKnownSignals = static_cast<int>(Signal::kRegistrationChange) + 1;

enum class ListKind : int {
  kAbnormalOperation = 0,     // 经营异常名录
  kSeriousDishonesty = 1,     // 严重违法失信名单
  kCourtDishonestDebtor = 2,  // 失信被执行人
};

// Folds `event`, which happened at `micros`, into `state`.
// REQUIRES: the event is valid (ValidateEvent) and `micros` is its occur_time.
void FoldEvent(const v1::Event& event, int64_t micros, internal::PortraitState* state);

// OK unless `event` removes the enterprise from a list it is not on at that moment, or
// would leave a later removal without a preceding addition: INVALID_ARGUMENT naming
// the payload field relative to the event ("abnormal_operation.action: ...").
absl::Status CheckListChange(const v1::Event& event, int64_t micros,
                             const internal::PortraitState& state);

// Membership of `list` at `micros`: the latest change at or before it.
bool ListedAt(const internal::PortraitState& state, ListKind list, int64_t micros);

// The official credit class in force at `micros`: the latest OfficialCreditClass event at
// or before it (ties by event id). risk_class 0 when none was imported by then.
struct OfficialClassAt {
  int risk_class = 0;  // regulation.v1.RiskClass
  int64_t since_micros = 0;
};
OfficialClassAt OfficialClassAsOf(const internal::PortraitState& state, int64_t micros);

// The history of `signal`, or nullptr when it never occurred.
const internal::SignalHistory* FindSignal(const internal::PortraitState& state, Signal signal);

// Occurrences of `signal` in (as_of - window, as_of], and the sum of their amounts.
struct WindowCount {
  int64_t count = 0;
  int64_t amount = 0;
};
WindowCount CountInWindow(const internal::PortraitState& state, Signal signal, int64_t as_of,
                          int64_t window);
// The same for one signal's history (nullptr: never occurred), for callers that look the
// history up once and count several windows of it.
WindowCount CountInWindow(const internal::SignalHistory* history, int64_t as_of, int64_t window);

}  // namespace regulation::scoring

#endif  // SCORING_PORTRAIT_STATE_H_
