#ifndef SERVICES_TELEMETRY_STATE_SAMPLER_H_
#define SERVICES_TELEMETRY_STATE_SAMPLER_H_

// The gauges that need a scan of stored state, refreshed by one background thread
// every `interval` (regulatord --metrics_refresh_seconds, default 30) rather than on
// each scrape, so that a scrape stays cheap whatever the data size:
//
//   regulation_plans{state="draft|committed|drawn|closed"}
//   regulation_unstaffed_targets                  drawn targets without a team
//   regulation_results_unpublished{state="submitted|returned|approved"}
//                                                 submitted = awaiting approval
//   regulation_results_past_deadline              not published, deadline passed
//   regulation_results_due_soon                   not published, due within N working days
//   regulation_publication_queue_records          public records waiting for the log
//   regulation_publication_queue_oldest_age_seconds  how long the head of the queue has
//                                                 waited, as this process has seen it
//   regulation_directory_enterprises
//   regulation_model_active_info{version}         1 for the active model
//   regulation_model_scores{bin="0".."9"}         stored batch scores of the active model
//   regulation_model_training_scores{bin}         its held-out validation scores
//   regulation_model_reference_scores{bin}        its first complete batch scoring
//   regulation_model_score_psi{reference="validation"|"first_scoring"}
//                                                 drift of the stored scores from each
//   regulation_state_sample_timestamp_seconds     when the last refresh succeeded
//   regulation_state_sample_failures_total
//
// The score distribution is recomputed only when a ScoreAll run has ended or another
// model became active since the last refresh. The queue's age is counted from the
// first refresh that saw its head record: it restarts from zero when regulatord
// restarts, so a stuck queue alerts again after the alert's threshold.
//
// Thread safety: RefreshOnce may be called from any thread (tests) while the
// background thread runs; refreshes are serialised.
// Ownership: nothing is owned; every source must outlive the sampler.

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/disclosure/result_desk.h"
#include "services/scoring/model_registry.h"
#include "services/telemetry/score_drift.h"
#include "services/telemetry/server_metrics.h"
#include "storage/kv_store.h"

namespace regulation::telemetry {

struct SamplerSources {
  storage::KvStore* store = nullptr;
  services::ResultDesk* results = nullptr;
  services::ModelRegistry* models = nullptr;
};

struct SamplerOptions {
  // Time between refreshes. Default 30 s.
  absl::Duration interval = absl::Seconds(30);
  // "Due soon": at most this many working days left. Default 2.
  int due_soon_working_days = 2;
  // Where each model's first complete batch scoring is kept (score_drift.h). Default
  // empty: not kept, and the first_scoring index is not reported.
  std::string reference_dir;
};

class StateSampler {
 public:
  StateSampler(SamplerSources sources, ServerMetrics* metrics, SamplerOptions options);
  // Stops the background thread, if started, and waits for it.
  ~StateSampler();
  StateSampler(const StateSampler&) = delete;
  StateSampler& operator=(const StateSampler&) = delete;

  // Refreshes now, then every `interval` on a background thread.
  void Start();

  // One refresh. Every gauge whose source answered is updated; the first error is
  // returned (and counted), the others' gauges keep their last values.
  absl::Status RefreshOnce() ABSL_LOCKS_EXCLUDED(refresh_mu_);

 private:
  struct Gauges;

  absl::Status RefreshPlans() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  absl::Status RefreshResults() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  absl::Status RefreshQueue() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  absl::Status RefreshDirectory() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  absl::Status RefreshScores() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  // The model's first complete batch scoring: read, or recorded now from `stored` when
  // it covers the directory; nullopt while there is none.
  absl::StatusOr<std::optional<ScoreBins>> RefreshReference(const std::string& version,
                                                           const ScoreBins& stored)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  void Loop();

  // Constant after construction.
  const SamplerSources sources_;
  ServerMetrics* const metrics_;
  const SamplerOptions options_;
  const std::unique_ptr<Gauges> gauges_;

  absl::Mutex refresh_mu_;
  // The queue's head record and when a refresh first saw it.
  std::string queue_head_ ABSL_GUARDED_BY(refresh_mu_);
  absl::Time queue_head_seen_ ABSL_GUARDED_BY(refresh_mu_);
  // What the score gauges were computed for: the active version and the ScoreAll runs
  // ended at the time.
  std::optional<std::string> scored_version_ ABSL_GUARDED_BY(refresh_mu_);
  int64_t scored_after_runs_ ABSL_GUARDED_BY(refresh_mu_) = -1;
  // The directory's size at the last refresh (a batch scoring is complete when it
  // covers it).
  int64_t enterprises_ ABSL_GUARDED_BY(refresh_mu_) = 0;

  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread thread_;
};

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_STATE_SAMPLER_H_
