#include "services/scoring/training_rows.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/event.pb.h"
#include "scoring/feature_catalogue.h"
#include "scoring/portrait_state.h"
#include "services/common/proto_time.h"
#include "services/portrait/enterprise_records.h"
#include "services/scoring/enterprise_events.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {


struct Inspection {
  int64_t micros;
  bool problem;
  std::string event_id;
};

}  // namespace

absl::StatusOr<LabelledRows> BuildTrainingRows(
    storage::KvStore* store, absl::Span<const int64_t> window_starts, int64_t label_window_micros,
    const std::function<void(int64_t, int64_t)>& progress, const KeepGoing& keep_going) {
  if (window_starts.empty()) return absl::InvalidArgumentError("window_starts: none given");
  if (!std::is_sorted(window_starts.begin(), window_starts.end()) ||
      std::adjacent_find(window_starts.begin(), window_starts.end()) != window_starts.end()) {
    return absl::InvalidArgumentError("window_starts: must be strictly increasing");
  }
  if (label_window_micros <= 0) {
    return absl::InvalidArgumentError("label_window_days: must be positive");
  }
  LabelledRows rows;
  const size_t cols = scoring::FeatureCatalogue().size();
  rows.data.cols = cols;

  // Count enterprises for progress (a key-only scan is cheap next to the work).
  std::unique_ptr<storage::Snapshot> snapshot = store->GetSnapshot();
  storage::IteratorOptions all;
  all.snapshot = snapshot.get();
  int64_t total = 0;
  {
    storage::ProtoCursor<v1::Enterprise> it = EnterpriseRecords(store).Scan(all);
    for (it.SeekToFirst(); it.Valid(); it.Next()) ++total;
    REG_RETURN_IF_ERROR(it.status());
  }

  storage::ProtoCursor<v1::Enterprise> enterprises = EnterpriseRecords(store).Scan(all);
  int64_t done = 0;
  std::vector<v1::Event> events;
  std::vector<int64_t> event_micros;
  std::vector<Inspection> inspections;
  v1::Enterprise enterprise;
  for (enterprises.SeekToFirst(); enterprises.Valid(); enterprises.Next()) {
    REG_RETURN_IF_ERROR(enterprises.Read(&enterprise));
    const std::string& code = enterprise.credit_code();

    // This enterprise's events, in (time, id) order.
    REG_RETURN_IF_ERROR(ReadEnterpriseEvents(store, snapshot.get(), code, &events, &event_micros));
    inspections.clear();
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].has_inspection_outcome()) {
        inspections.push_back({event_micros[i], events[i].inspection_outcome().problem_found(),
                               events[i].event_id()});
      }
    }

    // Walk the windows in order, folding events up to each start.
    internal::PortraitState state;
    state.set_credit_code(code);
    size_t folded = 0;
    for (size_t w = 0; w < window_starts.size(); ++w) {
      const int64_t start = window_starts[w];
      while (folded < events.size() && event_micros[folded] <= start) {
        scoring::FoldEvent(events[folded], event_micros[folded], &state);
        ++folded;
      }
      bool inspected = false, problem = false;
      int64_t first_micros = 0;
      std::vector<std::string> ids;
      for (const Inspection& inspection : inspections) {
        if (inspection.micros > start && inspection.micros <= start + label_window_micros) {
          if (!inspected) first_micros = inspection.micros;
          inspected = true;
          problem = problem || inspection.problem;
          ids.push_back(inspection.event_id);
        }
      }
      if (!inspected) continue;
      const std::vector<double> features = scoring::ComputeFeatures(enterprise, state, start);
      for (double f : features) rows.data.features.push_back(static_cast<float>(f));
      rows.data.labels.push_back(problem ? 1.0f : 0.0f);
      ++rows.data.rows;
      rows.window_of.push_back(static_cast<int>(w));
      rows.credit_code.push_back(code);
      rows.inspection_event_ids.push_back(std::move(ids));
      rows.first_inspection_micros.push_back(first_micros);
    }
    if (++done % kKeepGoingEvery == 0) REG_RETURN_IF_ERROR(StillWanted(keep_going));
    if (done % 20000 == 0 && progress) progress(done, total);
  }
  REG_RETURN_IF_ERROR(enterprises.status());
  if (progress) progress(done, total);
  return rows;
}

scoring::TrainingData SelectWindow(const LabelledRows& rows, int window, bool equal) {
  return SelectWindows(rows, [&](int w) { return (w == window) == equal; });
}

scoring::TrainingData SelectWindows(const LabelledRows& rows,
                                    const std::function<bool(int window)>& keep) {
  scoring::TrainingData out;
  out.cols = rows.data.cols;
  for (size_t r = 0; r < rows.data.rows; ++r) {
    if (!keep(rows.window_of[r])) continue;
    out.features.insert(out.features.end(), rows.data.features.begin() + r * out.cols,
                        rows.data.features.begin() + (r + 1) * out.cols);
    out.labels.push_back(rows.data.labels[r]);
    ++out.rows;
  }
  return out;
}

TrainingRowSource StoreTrainingRows(storage::KvStore* store) {
  return [store](absl::Span<const int64_t> window_starts, int64_t label_window_micros,
                 const std::function<void(int64_t, int64_t)>& progress,
                 const KeepGoing& keep_going) {
    return BuildTrainingRows(store, window_starts, label_window_micros, progress, keep_going);
  };
}

}  // namespace regulation::services
