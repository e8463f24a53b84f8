#ifndef SERVICES_SCORING_TRAINING_DESK_H_
#define SERVICES_SCORING_TRAINING_DESK_H_

// TrainModel with its request_id honoured: a retry gets the model the first call stored,
// never a second one. The model and its idempotency record are one atomic write, so a
// crash cannot leave a model whose request would train again; a retry that arrives while
// the first run is still training is refused (ABORTED) rather than run twice.
//
// Thread safety: safe for concurrent use.

#include <functional>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/keep_going.h"
#include "regulation/v1/scoring_service.pb.h"
#include "services/access/caller.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/training_rows.h"
#include "storage/kv_store.h"

namespace regulation::services {

class TrainingDesk {
 public:
  // Everything must outlive the desk. `store` holds the models and the idempotency
  // records; `rows` builds the training rows (over `store` in one process, from the
  // portrait service apart).
  TrainingDesk(storage::KvStore* store, TrainingRowSource rows, ModelRegistry* registry,
               Clock* clock)
      : store_(store), rows_(std::move(rows)), registry_(registry), clock_(clock) {}

  // The last progress message: the stored model and its report. `progress` (may be null)
  // gets the stages of a run (none for a replay). A run stops, registering nothing, with
  // the error `keep_going` returns (TrainAndRegister).
  absl::StatusOr<v1::TrainModelProgress> Train(
      const access::Caller& caller, const v1::TrainModelRequest& request,
      const std::function<void(const v1::TrainModelProgress&)>& progress,
      const KeepGoing& keep_going = nullptr);

 private:
  // The answer to a replay: the model the first call stored (`stored` is its version).
  absl::StatusOr<v1::TrainModelProgress> Replay(const std::string& stored);

  storage::KvStore* const store_;
  const TrainingRowSource rows_;
  ModelRegistry* const registry_;
  Clock* const clock_;
  absl::Mutex mu_;
  // Caller subject + request_id of the runs in progress.
  std::set<std::string> running_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_TRAINING_DESK_H_
