#include "services/telemetry/state_sampler.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "services/telemetry/plan_census.h"
#include "services/telemetry/result_census.h"
#include "services/telemetry/score_drift.h"

namespace regulation::telemetry {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;

prometheus::Family<prometheus::Gauge>& GaugeFamily(prometheus::Registry& registry,
                                                   const char* name, const char* help) {
  return BuildGauge().Name(name).Help(help).Register(registry);
}

prometheus::Gauge& Gauge(prometheus::Registry& registry, const char* name, const char* help) {
  return GaugeFamily(registry, name, help).Add({});
}

double UnixSeconds(absl::Time t) { return absl::ToDoubleSeconds(t - absl::UnixEpoch()); }

// Keys in a column family; for the directory's size.
absl::StatusOr<int64_t> CountKeys(storage::KvStore* store, storage::ColumnFamily cf) {
  int64_t n = 0;
  std::unique_ptr<storage::Iterator> it = store->NewIterator(cf);
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  if (!it->status().ok()) return it->status();
  return n;
}

}  // namespace

struct StateSampler::Gauges {
  explicit Gauges(prometheus::Registry& r)
      : plans(GaugeFamily(r, "regulation_plans", "Inspection plans, by state")),
        plans_draft(plans.Add({{"state", "draft"}})),
        plans_committed(plans.Add({{"state", "committed"}})),
        plans_drawn(plans.Add({{"state", "drawn"}})),
        plans_closed(plans.Add({{"state", "closed"}})),
        unstaffed(Gauge(r, "regulation_unstaffed_targets",
                        "Targets of drawn plans that no team could be staffed for")),
        unpublished(GaugeFamily(r, "regulation_results_unpublished",
                                "Inspection results not yet published, by state "
                                "(submitted: awaiting the agency's approval)")),
        submitted(unpublished.Add({{"state", "submitted"}})),
        returned(unpublished.Add({{"state", "returned"}})),
        approved(unpublished.Add({{"state", "approved"}})),
        past_deadline(Gauge(r, "regulation_results_past_deadline",
                            "Results not published by their publication deadline")),
        due_soon(Gauge(r, "regulation_results_due_soon",
                       "Results not yet published whose deadline is within a few working "
                       "days (regulatord --deadline_warning_working_days)")),
        queue_records(Gauge(r, "regulation_publication_queue_records",
                            "Public records staged and waiting for the disclosure log")),
        queue_oldest_age(Gauge(r, "regulation_publication_queue_oldest_age_seconds",
                               "How long the record at the head of the publication queue has "
                               "been waiting, as far as this process has seen it")),
        enterprises(Gauge(r, "regulation_directory_enterprises",
                          "Enterprises in the directory")),
        model_info(GaugeFamily(r, "regulation_model_active_info",
                               "1 for the active risk model, labelled with its version")),
        model_scores(GaugeFamily(r, "regulation_model_scores",
                                 "Stored batch scores of the active model, by probability "
                                 "bin [bin/10, (bin+1)/10)")),
        training_scores(GaugeFamily(r, "regulation_model_training_scores",
                                    "The active model's held-out validation rows, by the same "
                                    "bins")),
        reference_scores(GaugeFamily(r, "regulation_model_reference_scores",
                                     "The active model's first complete batch scoring, by the "
                                     "same bins")),
        psi(GaugeFamily(r, "regulation_model_score_psi",
                        "Population stability index of the active model's stored scores "
                        "against a reference: its validation rows, or its first complete "
                        "batch scoring (0.25 and above: significant drift)")),
        psi_validation(psi.Add({{"reference", "validation"}})),
        last_success(Gauge(r, "regulation_state_sample_timestamp_seconds",
                           "When the periodic state sampler last refreshed every gauge")),
        failures(BuildCounter()
                     .Name("regulation_state_sample_failures_total")
                     .Help("Refreshes of the state sampler in which a source failed")
                     .Register(r)
                     .Add({})) {}

  prometheus::Family<prometheus::Gauge>& plans;
  prometheus::Gauge& plans_draft;
  prometheus::Gauge& plans_committed;
  prometheus::Gauge& plans_drawn;
  prometheus::Gauge& plans_closed;
  prometheus::Gauge& unstaffed;
  prometheus::Family<prometheus::Gauge>& unpublished;
  prometheus::Gauge& submitted;
  prometheus::Gauge& returned;
  prometheus::Gauge& approved;
  prometheus::Gauge& past_deadline;
  prometheus::Gauge& due_soon;
  prometheus::Gauge& queue_records;
  prometheus::Gauge& queue_oldest_age;
  prometheus::Gauge& enterprises;
  prometheus::Family<prometheus::Gauge>& model_info;
  prometheus::Gauge* model_info_gauge = nullptr;  // the active version's, once known
  prometheus::Family<prometheus::Gauge>& model_scores;
  prometheus::Family<prometheus::Gauge>& training_scores;
  prometheus::Family<prometheus::Gauge>& reference_scores;
  prometheus::Family<prometheus::Gauge>& psi;
  prometheus::Gauge& psi_validation;
  prometheus::Gauge* psi_first_scoring = nullptr;  // once a reference exists
  prometheus::Gauge& last_success;
  prometheus::Counter& failures;
};

StateSampler::StateSampler(SamplerSources sources, ServerMetrics* metrics, SamplerOptions options)
    : sources_(sources),
      metrics_(metrics),
      options_(options),
      gauges_(std::make_unique<Gauges>(*metrics->registry())) {}

StateSampler::~StateSampler() {
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void StateSampler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void StateSampler::Loop() {
  while (true) {
    if (absl::Status refreshed = RefreshOnce(); !refreshed.ok()) {
      LogWarning(absl::StrCat("metrics sampler: ", refreshed.ToString()));
    }
    absl::MutexLock lock(&stop_mu_);
    const auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(stop_mu_) { return stopping_; };
    if (stop_mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.interval)) return;
  }
}

absl::Status StateSampler::RefreshOnce() {
  absl::MutexLock lock(&refresh_mu_);
  absl::Status first_error;
  for (absl::Status status : {RefreshPlans(), RefreshResults(), RefreshQueue(),
                              RefreshDirectory(), RefreshScores()}) {
    if (!status.ok() && first_error.ok()) first_error = status;
  }
  if (first_error.ok()) {
    gauges_->last_success.Set(UnixSeconds(absl::Now()));
  } else {
    gauges_->failures.Increment();
  }
  return first_error;
}

absl::Status StateSampler::RefreshPlans() {
  absl::StatusOr<PlanCensus> plans = CountPlans(sources_.store);
  if (!plans.ok()) return plans.status();
  gauges_->plans_draft.Set(static_cast<double>(plans->draft));
  gauges_->plans_committed.Set(static_cast<double>(plans->committed));
  gauges_->plans_drawn.Set(static_cast<double>(plans->drawn));
  gauges_->plans_closed.Set(static_cast<double>(plans->closed));
  gauges_->unstaffed.Set(static_cast<double>(plans->unstaffed_targets));
  return absl::OkStatus();
}

absl::Status StateSampler::RefreshResults() {
  absl::StatusOr<ResultCensus> results =
      CountResults(sources_.results, options_.due_soon_working_days);
  if (!results.ok()) return results.status();
  gauges_->submitted.Set(static_cast<double>(results->submitted));
  gauges_->returned.Set(static_cast<double>(results->returned));
  gauges_->approved.Set(static_cast<double>(results->approved));
  gauges_->past_deadline.Set(static_cast<double>(results->past_deadline));
  gauges_->due_soon.Set(static_cast<double>(results->due_soon));
  return absl::OkStatus();
}

absl::Status StateSampler::RefreshQueue() {
  int64_t records = 0;
  std::string head;
  std::unique_ptr<storage::Iterator> it =
      sources_.store->NewIterator(storage::ColumnFamily::kPublicationQueue);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (records++ == 0) head = std::string(it->key());
  }
  if (!it->status().ok()) return it->status();
  const absl::Time now = absl::Now();
  if (head != queue_head_) {
    queue_head_ = head;
    queue_head_seen_ = now;
  }
  gauges_->queue_records.Set(static_cast<double>(records));
  gauges_->queue_oldest_age.Set(records == 0 ? 0 : absl::ToDoubleSeconds(now - queue_head_seen_));
  return absl::OkStatus();
}

absl::Status StateSampler::RefreshDirectory() {
  absl::StatusOr<int64_t> enterprises =
      CountKeys(sources_.store, storage::ColumnFamily::kEnterprises);
  if (!enterprises.ok()) return enterprises.status();
  gauges_->enterprises.Set(static_cast<double>(*enterprises));
  enterprises_ = *enterprises;
  return absl::OkStatus();
}

absl::Status StateSampler::RefreshScores() {
  std::shared_ptr<const services::ActiveModel> active = sources_.models->Active();
  const std::string version = active == nullptr ? "" : active->model.version();
  const int64_t runs = metrics_->score_all_runs_ended();
  if (scored_version_ == version && scored_after_runs_ == runs) return absl::OkStatus();

  if (gauges_->model_info_gauge != nullptr) {
    gauges_->model_info.Remove(gauges_->model_info_gauge);
    gauges_->model_info_gauge = nullptr;
  }
  ScoreBins stored{}, training{};
  if (active != nullptr) {
    gauges_->model_info_gauge = &gauges_->model_info.Add({{"version", version}});
    gauges_->model_info_gauge->Set(1);
    absl::StatusOr<internal::ModelRecord> record = sources_.models->GetRecord(version);
    if (!record.ok()) return record.status();
    absl::StatusOr<ScoreBins> expected = TrainingScoreBins(*record);
    // A model without report bins has no drift to show; its scores are still counted.
    if (expected.ok()) training = *expected;
    absl::StatusOr<ScoreBins> actual = StoredScoreBins(sources_.store, version);
    if (!actual.ok()) return actual.status();
    stored = *actual;
  }
  absl::StatusOr<std::optional<ScoreBins>> reference = RefreshReference(version, stored);
  if (!reference.ok()) return reference.status();
  for (int bin = 0; bin < kScoreBins; ++bin) {
    const prometheus::Labels labels = {{"bin", absl::StrCat(bin)}};
    gauges_->model_scores.Add(labels).Set(static_cast<double>(stored[bin]));
    gauges_->training_scores.Add(labels).Set(static_cast<double>(training[bin]));
    gauges_->reference_scores.Add(labels).Set(
        reference->has_value() ? static_cast<double>((**reference)[bin]) : 0);
  }
  gauges_->psi_validation.Set(PopulationStabilityIndex(training, stored));
  if (reference->has_value()) {
    if (gauges_->psi_first_scoring == nullptr) {
      gauges_->psi_first_scoring = &gauges_->psi.Add({{"reference", "first_scoring"}});
    }
    gauges_->psi_first_scoring->Set(PopulationStabilityIndex(**reference, stored));
  } else if (gauges_->psi_first_scoring != nullptr) {
    gauges_->psi.Remove(gauges_->psi_first_scoring);
    gauges_->psi_first_scoring = nullptr;
  }
  scored_version_ = version;
  scored_after_runs_ = runs;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ScoreBins>> StateSampler::RefreshReference(
    const std::string& version, const ScoreBins& stored) {
  if (options_.reference_dir.empty() || version.empty()) return std::optional<ScoreBins>();
  absl::StatusOr<std::optional<ScoreBins>> reference =
      ReadScoreReference(options_.reference_dir, version);
  if (!reference.ok() || reference->has_value()) return reference;
  // The first batch scoring that covers the whole directory becomes the reference.
  int64_t scored = 0;
  for (int64_t n : stored) scored += n;
  if (scored == 0 || scored < enterprises_) return std::optional<ScoreBins>();
  if (absl::Status written = WriteScoreReference(options_.reference_dir, version, stored);
      !written.ok()) {
    return written;
  }
  return std::optional<ScoreBins>(stored);
}

}  // namespace regulation::telemetry
