#include "services/telemetry/server_metrics.h"

#include <string>

#include "absl/time/clock.h"

namespace regulation::telemetry {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

// From half a millisecond (a cached read) to two minutes (training a model).
const Histogram::BucketBoundaries& CallBuckets() {
  static const auto* buckets = new Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120};
  return *buckets;
}

// A stream batch: a group commit and an fsync, a millisecond to seconds under load.
const Histogram::BucketBoundaries& BatchBuckets() {
  static const auto* buckets = new Histogram::BucketBoundaries{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

// One commit without its fsync: a tenth of a millisecond to a second.
const Histogram::BucketBoundaries& WriteBuckets() {
  static const auto* buckets = new Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
  return *buckets;
}

prometheus::Labels CallLabels(const RpcLabels& labels) {
  return {{"grpc_service", labels.service},
          {"grpc_method", labels.method},
          {"grpc_type", labels.type}};
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// A metric family: its name and help, shared by every label set of it.
struct Name {
  const char* name;
  const char* help;
};

constexpr Name kEvents = {"regulation_ingest_events_total", "Events ingested, by outcome"};
constexpr Name kScoreAllRuns = {"regulation_score_all_runs_total",
                                "ScoreAll runs ended, by outcome"};
constexpr Name kAuditRecords = {"regulation_audit_records_total",
                                "Audit records appended, by outcome"};
constexpr Name kLogAppends = {"regulation_log_appends_total",
                              "Appends to the disclosure log (each signs a checkpoint), by "
                              "outcome"};

// The registry merges families of the same name, so each label set is one call.
prometheus::Counter& CounterIn(prometheus::Registry& registry, Name name,
                               const prometheus::Labels& labels) {
  return BuildCounter().Name(name.name).Help(name.help).Register(registry).Add(labels);
}

prometheus::Gauge& GaugeIn(prometheus::Registry& registry, Name name) {
  return BuildGauge().Name(name.name).Help(name.help).Register(registry).Add({});
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      calls_started_(BuildCounter()
                         .Name("grpc_server_started_total")
                         .Help("Calls started, by method")
                         .Register(*registry_)),
      calls_handled_(BuildCounter()
                         .Name("grpc_server_handled_total")
                         .Help("Calls completed, by method and status code")
                         .Register(*registry_)),
      call_seconds_(BuildHistogram()
                        .Name("grpc_server_handling_seconds")
                        .Help("Time from a call's start to its status, by method and code")
                        .Register(*registry_)),
      events_applied_(CounterIn(*registry_, kEvents, {{"outcome", "applied"}})),
      events_duplicate_(CounterIn(*registry_, kEvents, {{"outcome", "duplicate"}})),
      events_rejected_(CounterIn(*registry_, kEvents, {{"outcome", "rejected"}})),
      commit_failures_(CounterIn(*registry_,
                                 {"regulation_ingest_commit_failures_total",
                                  "Ingest commits that failed in storage (nothing written)"},
                                 {})),
      batch_seconds_(BuildHistogram()
                         .Name("regulation_ingest_batch_duration_seconds")
                         .Help("IngestEvents: time from a batch being read to its "
                               "acknowledgement, once durable")
                         .Register(*registry_)
                         .Add({}, BatchBuckets())),
      commit_queue_(GaugeIn(*registry_,
                            {"regulation_ingest_commit_queue_batches",
                             "Prepared IngestEvents batches waiting for their stream's "
                             "committer, over all streams"})),
      portrait_write_seconds_(BuildHistogram()
                                  .Name("regulation_portrait_write_duration_seconds")
                                  .Help("One ingest commit: reading ids, enterprises and "
                                        "portraits, folding, and the atomic write of events "
                                        "and portrait states")
                                  .Register(*registry_)
                                  .Add({}, WriteBuckets())),
      score_all_running_(
          GaugeIn(*registry_, {"regulation_score_all_running", "ScoreAll runs in progress"})),
      score_all_scored_(GaugeIn(*registry_, {"regulation_score_all_scored_enterprises",
                                             "Enterprises scored by the running ScoreAll, or "
                                             "by the last one"})),
      score_all_last_duration_(GaugeIn(*registry_,
                                       {"regulation_score_all_last_duration_seconds",
                                        "How long the last ScoreAll run took"})),
      score_all_last_success_(GaugeIn(*registry_,
                                      {"regulation_score_all_last_success_timestamp_seconds",
                                       "When the last successful ScoreAll run ended (Unix "
                                       "time); 0 when none has since start"})),
      score_all_ok_(CounterIn(*registry_, kScoreAllRuns, {{"outcome", "ok"}})),
      score_all_failed_(CounterIn(*registry_, kScoreAllRuns, {{"outcome", "failed"}})),
      audit_written_(CounterIn(*registry_, kAuditRecords, {{"outcome", "written"}})),
      audit_failed_(CounterIn(*registry_, kAuditRecords, {{"outcome", "failed"}})),
      log_appends_ok_(CounterIn(*registry_, kLogAppends, {{"outcome", "ok"}})),
      log_appends_failed_(CounterIn(*registry_, kLogAppends, {{"outcome", "failed"}})),
      log_appends_fenced_(CounterIn(*registry_, kLogAppends, {{"outcome", "fenced"}})),
      log_last_checkpoint_(GaugeIn(*registry_,
                                   {"regulation_log_last_checkpoint_timestamp_seconds",
                                    "When this process last signed a checkpoint of the "
                                    "disclosure log, or opened the log (Unix time)"})),
      log_fenced_(GaugeIn(*registry_, {"regulation_log_fenced",
                                       "1 while the log refuses to sign because a published "
                                       "checkpoint is newer than it or disagrees with it"})) {}

void ServerMetrics::CallStarted(const RpcLabels& labels) {
  calls_started_.Add(CallLabels(labels)).Increment();
}

void ServerMetrics::CallHandled(const RpcLabels& labels, int grpc_code, absl::Duration duration) {
  prometheus::Labels with_code = CallLabels(labels);
  with_code.emplace("grpc_code", StatusCodeName(grpc_code));
  calls_handled_.Add(with_code).Increment();
  call_seconds_.Add(with_code, CallBuckets()).Observe(Seconds(duration));
}

void ServerMetrics::Committed(int64_t applied, int64_t duplicates, int64_t rejected,
                              absl::Duration duration, bool ok) {
  portrait_write_seconds_.Observe(Seconds(duration));
  if (!ok) {
    commit_failures_.Increment();
    return;
  }
  events_applied_.Increment(static_cast<double>(applied));
  events_duplicate_.Increment(static_cast<double>(duplicates));
  events_rejected_.Increment(static_cast<double>(rejected));
}

void ServerMetrics::BatchAcknowledged(absl::Duration latency) {
  batch_seconds_.Observe(Seconds(latency));
}

void ServerMetrics::CommitQueueChanged(int delta) {
  commit_queue_.Increment(static_cast<double>(delta));
}

void ServerMetrics::Started() {
  score_all_running_.Increment();
  score_all_scored_.Set(0);
}

void ServerMetrics::Scored(int64_t scored) { score_all_scored_.Set(static_cast<double>(scored)); }

void ServerMetrics::Finished(const absl::Status& status, absl::Duration duration) {
  score_all_running_.Decrement();
  score_all_last_duration_.Set(Seconds(duration));
  if (status.ok()) {
    score_all_ok_.Increment();
    score_all_last_success_.Set(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  } else {
    score_all_failed_.Increment();
  }
  score_all_runs_ended_.fetch_add(1);
}

void ServerMetrics::AuditAppended(bool ok) { (ok ? audit_written_ : audit_failed_).Increment(); }

void ServerMetrics::LogAppended(AppendOutcome outcome) {
  switch (outcome) {
    case AppendOutcome::kOk:
      log_appends_ok_.Increment();
      return;
    case AppendOutcome::kFailed:
      log_appends_failed_.Increment();
      return;
    case AppendOutcome::kFenced:
      log_appends_fenced_.Increment();
      return;
  }
}

void ServerMetrics::CheckpointSigned(absl::Time when) {
  log_last_checkpoint_.Set(absl::ToDoubleSeconds(when - absl::UnixEpoch()));
}

void ServerMetrics::SetLogFenced(bool fenced) { log_fenced_.Set(fenced ? 1 : 0); }

}  // namespace regulation::telemetry
