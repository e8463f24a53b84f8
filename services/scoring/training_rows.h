#ifndef SERVICES_SCORING_TRAINING_ROWS_H_
#define SERVICES_SCORING_TRAINING_ROWS_H_

// Point-in-time training rows, built from the stored directory and event history.
//
// For each window start W and each enterprise inspected in the label window (W, W + L],
// one row: the enterprise's features as of W (exactly GetPortraitAsOf(W): only events at
// or before W count), labelled 1 when any of those inspections found a problem. So a
// row never sees the future of its own date, and a model trained on earlier windows and
// validated on the latest is evaluated honestly.
//
// One pass over each enterprise's events (in time order) serves every window; memory
// holds the rows and one enterprise's events.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/keep_going.h"
#include "scoring/training_data.h"
#include "storage/kv_store.h"

namespace regulation::services {

struct LabelledRows {
  // All windows' rows; row r belongs to window window_of[r].
  scoring::TrainingData data;
  std::vector<int> window_of;
  std::vector<std::string> credit_code;
  // The inspection_outcome events behind each row's label.
  std::vector<std::vector<std::string>> inspection_event_ids;
  // When the first of those inspections happened (Unix microseconds).
  std::vector<int64_t> first_inspection_micros;
};

// Rows for `window_starts` (increasing, microseconds) with label windows of
// `label_window_micros`. `progress(done, total)` is called now and then with
// enterprises processed; `keep_going` is asked every kKeepGoingEvery enterprises, and its
// error is returned. INVALID_ARGUMENT for unordered or empty windows; DATA_LOSS for
// corrupt records.
absl::StatusOr<LabelledRows> BuildTrainingRows(
    storage::KvStore* store, absl::Span<const int64_t> window_starts, int64_t label_window_micros,
    const std::function<void(int64_t, int64_t)>& progress, const KeepGoing& keep_going = nullptr);

inline constexpr int64_t kKeepGoingEvery = 1000;

// Where training builds its rows: BuildTrainingRows's contract, over the store in
// process, or the portrait service's events when scoring runs apart
// (services/seams/portrait_feed.h).
using TrainingRowSource = std::function<absl::StatusOr<LabelledRows>(
    absl::Span<const int64_t> window_starts, int64_t label_window_micros,
    const std::function<void(int64_t, int64_t)>& progress, const KeepGoing& keep_going)>;

// BuildTrainingRows over `store` (which must outlive the source).
TrainingRowSource StoreTrainingRows(storage::KvStore* store);

// The subset of `rows` whose window is (or is not) `window`.
scoring::TrainingData SelectWindow(const LabelledRows& rows, int window, bool equal);

// The subset of `rows` whose window `keep` accepts, in row order.
scoring::TrainingData SelectWindows(const LabelledRows& rows,
                                    const std::function<bool(int window)>& keep);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_TRAINING_ROWS_H_
