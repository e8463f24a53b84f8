#ifndef SERVICES_SCORING_MODEL_TRAINER_H_
#define SERVICES_SCORING_MODEL_TRAINER_H_

// A training run, end to end: point-in-time rows from the stored history
// (training_rows.h), a time split (the latest window validates, the earlier ones
// train), gradient-boosted trees with the catalogue's monotone constraints and a
// gblinear baseline, honest evaluation on the held-out window (and the oracle AUC when
// the generator's true probabilities are given), the report, and the model stored in
// the registry (READY, not active).
//
// Windows: config.window_starts when given; otherwise kDefaultTrainingWindows windows of
// config.label_window_days ending today (China): three years of quarterly windows by
// default; the latest validates.

#include <functional>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/keep_going.h"
#include "regulation/v1/scoring_service.pb.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/training_rows.h"
#include "storage/kv_store.h"

namespace regulation::services {

inline constexpr int kDefaultTrainingWindows = 12;

// Trains and registers a model; `progress` receives stage messages (the caller streams
// them). The returned message is the final one: the model and its report.
// INVALID_ARGUMENT naming the config field; FAILED_PRECONDITION when a window has no
// labelled rows, or only one class. `keep_going` is asked while rows are built (every
// kKeepGoingEvery enterprises), after every boosting round and between stages; its error
// (CANCELLED, DEADLINE_EXCEEDED) stops the run before anything is registered.
absl::StatusOr<v1::TrainModelProgress> TrainAndRegister(
    const TrainingRowSource& rows, ModelRegistry* registry, Clock* clock,
    const v1::TrainModelRequest& request,
    const std::function<void(const v1::TrainModelProgress&)>& progress,
    const ModelRegistry::StageWith& register_also = nullptr, const KeepGoing& keep_going = nullptr);

// The same, with the rows built over `store`'s events (one process).
inline absl::StatusOr<v1::TrainModelProgress> TrainAndRegister(
    storage::KvStore* store, ModelRegistry* registry, Clock* clock,
    const v1::TrainModelRequest& request,
    const std::function<void(const v1::TrainModelProgress&)>& progress,
    const ModelRegistry::StageWith& register_also = nullptr, const KeepGoing& keep_going = nullptr) {
  return TrainAndRegister(StoreTrainingRows(store), registry, clock, request, progress,
                          register_also, keep_going);
}

}  // namespace regulation::services

#endif  // SERVICES_SCORING_MODEL_TRAINER_H_
