#ifndef SERVICES_SCORING_MODEL_REGISTRY_H_
#define SERVICES_SCORING_MODEL_REGISTRY_H_

// Stored models and which one is in use; the risk-class policy.
//
// Each trained model is kept (kModels "model/<version>") with its feature schema,
// training-data digest, parameters, metrics, booster bytes and report. Activate
// switches the model every new score uses without a restart: the active model is an
// immutable snapshot behind a shared_ptr, so calls already scoring keep the model they
// started with, and each score names the version that produced it. A model whose
// feature schema differs from the portraits' is refused with FAILED_PRECONDITION.
//
// Loading a model (Open, Activate) also compiles it for fast prediction
// (scoring/booster_compiler.h). A model the compiler does not handle, or whose compiled
// form fails the check against XGBoost, is used through XGBoost alone, with a log line
// saying why: never a different score.
//
// Thread safety: safe for concurrent use.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/internal/scoring_state.pb.h"
#include "regulation/v1/scoring_service.pb.h"
#include "absl/types/span.h"
#include "scoring/booster.h"
#include "scoring/compiled_forest.h"
#include "storage/kv_store.h"

namespace regulation::services {

// The model in use, ready to predict. Immutable once the registry publishes it.
struct ActiveModel {
  v1::Model model;
  // XGBoost's model: SHAP contributions (reasons), and predictions when `forest` is null.
  scoring::Booster booster;
  // The booster compiled at load (scoring/booster_compiler.h), checked to give XGBoost's
  // bits; null when the compiler does not handle the model.
  std::unique_ptr<const scoring::CompiledForest> forest;

  // Probabilities of the rows: the compiled forest's when there is one (the same floats
  // as XGBoost's), XGBoost's otherwise. Statuses of Booster::PredictProbabilities.
  // `options` apply to the compiled forest (XGBoost runs its own threads).
  absl::Status PredictProbabilities(absl::Span<const float> rows_row_major, size_t n_rows,
                                    size_t n_features, std::vector<float>* out,
                                    const scoring::PredictOptions& options = {}) const;
};

class ModelRegistry {
 public:
  // Loads the settings and the active model, if any. DATA_LOSS when a stored model does
  // not match its digest.
  static absl::StatusOr<std::unique_ptr<ModelRegistry>> Open(storage::KvStore* store, Clock* clock);

  // Stores a newly trained model as READY under a new version ("m-YYYYMMDD-NNN").
  // `also`, if given, adds to the same atomic write (e.g. the request's idempotency
  // record, naming the new version).
  using StageWith = std::function<void(const v1::Model&, storage::WriteBatch*)>;
  absl::StatusOr<v1::Model> Register(v1::Model model, std::string booster_bytes,
                                     std::string report_html, std::string report_json,
                                     const StageWith& also = nullptr);

  // NOT_FOUND for an unknown version.
  absl::StatusOr<v1::Model> Get(absl::string_view version);
  absl::StatusOr<internal::ModelRecord> GetRecord(absl::string_view version);
  absl::StatusOr<v1::ListModelsResponse> List(const v1::ListModelsRequest& request);

  // Makes `version` the active model (the previous one becomes RETIRED). NOT_FOUND for
  // an unknown version; FAILED_PRECONDITION when its feature schema differs from the
  // current catalogue's. Activating the active model again is OK and changes nothing.
  absl::StatusOr<v1::Model> Activate(absl::string_view version);

  // The model in use, or nullptr when none was activated yet.
  std::shared_ptr<const ActiveModel> Active() const;

  // The class policy and the cut points in use (b, c, d).
  v1::RiskClassPolicy Policy() const;
  std::vector<double> CutPoints() const;
  // INVALID_ARGUMENT naming the field for a policy that is not increasing or not in (0, 1).
  absl::StatusOr<v1::RiskClassPolicy> UpdatePolicy(v1::RiskClassPolicy policy);
  // Records the cut points a ScoreAll computed for the quantile policy `for_policy` (as
  // Policy() returned it). FAILED_PRECONDITION, changing nothing, when the policy has been
  // updated since: the cut points belong to a policy no longer in force.
  absl::Status SetComputedCutPoints(const std::vector<double>& cut_points,
                                    absl::string_view model_version,
                                    const v1::RiskClassPolicy& for_policy);

 private:
  ModelRegistry(storage::KvStore* store, Clock* clock) : store_(store), clock_(clock) {}
  // Writes `settings` durably; the caller then makes them current.
  absl::Status SaveSettings(const internal::ScoringSettings& settings)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  storage::KvStore* const store_;
  Clock* const clock_;
  mutable absl::Mutex mu_;
  internal::ScoringSettings settings_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const ActiveModel> active_ ABSL_GUARDED_BY(mu_);
};

// The default policy: cut points 0.05, 0.12, 0.25 (docs/scoring.md).
v1::RiskClassPolicy DefaultRiskClassPolicy();

// The class of probability `p` under cut points (b, c, d): below b is A, below c is B,
// below d is C, else D.
v1::RiskClass ClassOf(double p, const std::vector<double>& cut_points);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_MODEL_REGISTRY_H_
