#include "tools/regctl/status_command.h"

#include <cmath>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/http_get.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using telemetry::MetricSample;
using telemetry::SumOf;

// The thresholds of deploy/prometheus/regulation-alerts.yml, checked at one moment.
constexpr double kQueueStuckSeconds = 600;
constexpr double kCheckpointStaleSeconds = 1800;
constexpr double kCertificateWarningDays = 30;
constexpr double kDriftThreshold = 0.25;
constexpr double kDiskFreeRatio = 0.10;
constexpr double kSamplerStaleSeconds = 600;

class Figures {
 public:
  Figures(const std::vector<MetricSample>& samples, absl::Time now)
      : samples_(samples), now_(absl::ToDoubleSeconds(now - absl::UnixEpoch())) {}

  std::optional<double> Get(absl::string_view name,
                            const std::map<std::string, std::string>& labels = {}) const {
    return SumOf(samples_, name, labels);
  }
  double Or0(absl::string_view name, const std::map<std::string, std::string>& labels = {}) const {
    return Get(name, labels).value_or(0);
  }
  // Seconds since the Unix time a gauge holds; nullopt when absent or 0 (never).
  std::optional<double> Age(absl::string_view name) const {
    std::optional<double> t = Get(name);
    if (!t.has_value() || *t <= 0) return std::nullopt;
    return now_ - *t;
  }
  double now() const { return now_; }
  const std::vector<MetricSample>& samples() const { return samples_; }

 private:
  const std::vector<MetricSample>& samples_;
  const double now_;
};

std::string Count(double v) { return absl::StrFormat("%.0f", v); }

std::string Count(const std::optional<double>& v) { return v.has_value() ? Count(*v) : "-"; }

std::string Bytes(double v) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? absl::StrFormat("%.0f B", v) : absl::StrFormat("%.1f %s", v, units[u]);
}

std::string Duration(double seconds) {
  if (seconds < 120) return absl::StrFormat("%.0f s", seconds);
  if (seconds < 7200) return absl::StrFormat("%.0f min", seconds / 60);
  if (seconds < 2 * 86400) return absl::StrFormat("%.1f h", seconds / 3600);
  return absl::StrFormat("%.0f d", seconds / 86400);
}

std::string Line(absl::string_view label, absl::string_view figures) {
  return absl::StrFormat("%-19s %s", label, figures);
}

void Calls(const Figures& f, StatusReport* r) {
  std::map<std::string, double> by_code;
  double total = 0;
  for (const MetricSample& s : f.samples()) {
    if (s.name != "grpc_server_handled_total") continue;
    total += s.value;
    auto code = s.labels.find("grpc_code");
    if (code != s.labels.end() && code->second != "OK") by_code[code->second] += s.value;
  }
  std::vector<std::string> codes;
  for (const auto& [code, n] : by_code) {
    if (n > 0) codes.push_back(absl::StrCat(code, " ", Count(n)));
  }
  r->lines.push_back(Line("calls", absl::StrCat(Count(total), " since start; not OK: ",
                                                codes.empty() ? "none" : absl::StrJoin(codes, ", "))));
  const double server_faults = by_code["INTERNAL"] + by_code["DATA_LOSS"] + by_code["UNKNOWN"];
  if (server_faults > 0) {
    r->problems.push_back(absl::StrCat(Count(server_faults),
                                       " calls failed inside the server (INTERNAL, DATA_LOSS, "
                                       "UNKNOWN): see the error lines of the log"));
  }
}

void Ingest(const Figures& f, StatusReport* r) {
  r->lines.push_back(Line(
      "ingest", absl::StrCat("applied ", Count(f.Or0("regulation_ingest_events_total",
                                                      {{"outcome", "applied"}})),
                             ", duplicates ",
                             Count(f.Or0("regulation_ingest_events_total", {{"outcome", "duplicate"}})),
                             ", rejected ",
                             Count(f.Or0("regulation_ingest_events_total", {{"outcome", "rejected"}})),
                             "; commit queue ", Count(f.Get("regulation_ingest_commit_queue_batches")),
                             " batches; failed commits ",
                             Count(f.Or0("regulation_ingest_commit_failures_total")))));
  if (f.Or0("regulation_ingest_commit_failures_total") > 0) {
    r->problems.push_back("ingest commits failed in storage (regulation_ingest_commit_failures_total)");
  }
}

void Results(const Figures& f, StatusReport* r) {
  const double late = f.Or0("regulation_results_past_deadline");
  const double soon = f.Or0("regulation_results_due_soon");
  r->lines.push_back(Line(
      "results", absl::StrCat("awaiting approval ",
                              Count(f.Get("regulation_results_unpublished", {{"state", "submitted"}})),
                              ", returned ",
                              Count(f.Get("regulation_results_unpublished", {{"state", "returned"}})),
                              ", approved not yet logged ",
                              Count(f.Get("regulation_results_unpublished", {{"state", "approved"}})),
                              "; past deadline ", Count(late), ", due soon ", Count(soon))));
  if (late > 0) {
    r->problems.push_back(absl::StrCat(Count(late), " results are past their publication deadline "
                                                    "(regctl results overdue)"));
  }
}

void Disclosure(const Figures& f, StatusReport* r) {
  const double queued = f.Or0("regulation_publication_queue_records");
  const double oldest = f.Or0("regulation_publication_queue_oldest_age_seconds");
  std::optional<double> checkpoint_age = f.Age("regulation_log_last_checkpoint_timestamp_seconds");
  const bool fenced = f.Or0("regulation_log_fenced") > 0;
  r->lines.push_back(Line("publication queue",
                          absl::StrCat(Count(queued), " records",
                                       queued > 0 ? absl::StrCat(", oldest ", Duration(oldest)) : "")));
  r->lines.push_back(Line(
      "disclosure log",
      absl::StrCat(Count(f.Get("regulation_log_tree_size")), " entries; last checkpoint ",
                   checkpoint_age.has_value() ? absl::StrCat(Duration(*checkpoint_age), " ago")
                                              : "-",
                   fenced ? "; FENCED: refuses to sign" : "")));
  if (oldest > kQueueStuckSeconds) {
    r->problems.push_back(absl::StrCat("the publication queue has not moved for ",
                                       Duration(oldest)));
  }
  if (queued > 0 && checkpoint_age.has_value() && *checkpoint_age > kCheckpointStaleSeconds) {
    r->problems.push_back(absl::StrCat("records are queued but no checkpoint was signed for ",
                                       Duration(*checkpoint_age)));
  }
  if (fenced) {
    r->problems.push_back("the disclosure log refuses to sign: it is older than a published "
                          "checkpoint (docs/operations.md, Restore)");
  }
}

void Plans(const Figures& f, StatusReport* r) {
  r->lines.push_back(Line(
      "plans", absl::StrCat("draft ", Count(f.Get("regulation_plans", {{"state", "draft"}})),
                            ", committed ", Count(f.Get("regulation_plans", {{"state", "committed"}})),
                            ", drawn ", Count(f.Get("regulation_plans", {{"state", "drawn"}})),
                            ", closed ", Count(f.Get("regulation_plans", {{"state", "closed"}})),
                            "; unstaffed targets ", Count(f.Get("regulation_unstaffed_targets")))));
}

void Model(const Figures& f, StatusReport* r) {
  std::string version = "none active";
  for (const MetricSample& s : f.samples()) {
    if (s.name == "regulation_model_active_info" && s.value > 0) {
      auto it = s.labels.find("version");
      if (it != s.labels.end()) version = it->second;
    }
  }
  const std::optional<double> psi =
      f.Get("regulation_model_score_psi", {{"reference", "first_scoring"}});
  const std::optional<double> psi_validation =
      f.Get("regulation_model_score_psi", {{"reference", "validation"}});
  const std::optional<double> success = f.Age("regulation_score_all_last_success_timestamp_seconds");
  std::string score_all = "no run since start";
  if (f.Or0("regulation_score_all_running") > 0) {
    score_all = absl::StrCat("running, ", Count(f.Get("regulation_score_all_scored_enterprises")),
                             " of ", Count(f.Get("regulation_directory_enterprises")), " scored");
  } else if (success.has_value()) {
    score_all = absl::StrCat("last ok ", Duration(*success), " ago, took ",
                             Duration(f.Or0("regulation_score_all_last_duration_seconds")));
  }
  r->lines.push_back(Line(
      "model", absl::StrCat(version, "; drift PSI ",
                            psi.has_value() ? absl::StrFormat("%.3f", *psi) : "-",
                            " since deployed, ",
                            psi_validation.has_value() ? absl::StrFormat("%.3f", *psi_validation)
                                                       : "-",
                            " against validation; ScoreAll ", score_all)));
  if (psi.has_value() && *psi > kDriftThreshold) {
    r->problems.push_back(absl::StrFormat(
        "the active model's scores drifted from those it was deployed with (PSI %.3f > %.2f)",
        *psi, kDriftThreshold));
  }
  if (f.Or0("regulation_score_all_runs_total", {{"outcome", "failed"}}) > 0) {
    r->problems.push_back("a ScoreAll run failed since start (resume it with its last token)");
  }
}

void Storage(const Figures& f, StatusReport* r) {
  const std::optional<double> hits = f.Get("regulation_rocksdb_block_cache_hits_total");
  const std::optional<double> misses = f.Get("regulation_rocksdb_block_cache_misses_total");
  std::string hit_rate = "-";
  if (hits.has_value() && misses.has_value() && *hits + *misses > 0) {
    hit_rate = absl::StrFormat("%.1f%%", 100 * *hits / (*hits + *misses));
  }
  const std::optional<double> free = f.Get("regulation_data_dir_free_bytes");
  const std::optional<double> capacity = f.Get("regulation_data_dir_capacity_bytes");
  std::string disk = "-";
  if (free.has_value() && capacity.has_value() && *capacity > 0) {
    disk = absl::StrFormat("%s free of %s (%.0f%%)", Bytes(*free), Bytes(*capacity),
                           100 * *free / *capacity);
    if (*free / *capacity < kDiskFreeRatio) {
      r->problems.push_back(absl::StrCat("the data directory's disk is nearly full: ", disk));
    }
  }
  r->lines.push_back(Line(
      "storage",
      absl::StrCat("live data ", Bytes(f.Or0("regulation_rocksdb_live_sst_bytes")), ", memtables ",
                   Bytes(f.Or0("regulation_rocksdb_memtable_bytes")), ", pending compaction ",
                   Bytes(f.Or0("regulation_rocksdb_pending_compaction_bytes")), ", write stalls ",
                   Duration(f.Or0("regulation_rocksdb_write_stall_seconds_total")),
                   ", block cache hits ", hit_rate, "; disk ", disk)));
  if (f.Or0("regulation_rocksdb_write_stopped") > 0) {
    r->problems.push_back("RocksDB has stopped writes (compaction is behind)");
  }
}

void Audit(const Figures& f, StatusReport* r) {
  const double failed = f.Or0("regulation_audit_records_total", {{"outcome", "failed"}});
  r->lines.push_back(Line("audit trail",
                          absl::StrCat(Count(f.Get("regulation_audit_head_sequence")),
                                       " records; failed appends since start ", Count(failed))));
  if (failed > 0) {
    r->problems.push_back("audit records could not be written: writes went unrecorded");
  }
}

void Certificates(const Figures& f, StatusReport* r) {
  std::vector<std::string> parts;
  for (const MetricSample& s : f.samples()) {
    if (s.name != "regulation_certificate_expiry_timestamp_seconds") continue;
    const std::string name = s.labels.count("certificate") ? s.labels.at("certificate") : "?";
    const double left = s.value - f.now();
    parts.push_back(absl::StrCat(name, left > 0 ? absl::StrCat(" expires in ", Duration(left))
                                                : " EXPIRED"));
    if (left < kCertificateWarningDays * 86400) {
      r->problems.push_back(absl::StrCat("the ", name, " certificate ",
                                         left > 0 ? absl::StrCat("expires in ", Duration(left))
                                                  : "has expired",
                                         " (docs/operations.md, certificate renewal)"));
    }
  }
  r->lines.push_back(
      Line("certificates", parts.empty() ? "- (plaintext loopback)" : absl::StrJoin(parts, ", ")));
}

void Sampler(const Figures& f, StatusReport* r) {
  const std::optional<double> age = f.Age("regulation_state_sample_timestamp_seconds");
  r->lines.push_back(
      Line("state gauges", age.has_value() ? absl::StrCat("refreshed ", Duration(*age), " ago")
                                           : "never refreshed"));
  if (!age.has_value() || *age > kSamplerStaleSeconds) {
    r->problems.push_back("the gauges of plans, results, queue and scores are stale (see the "
                          "sampler's warnings in the log)");
  }
}

}  // namespace

StatusReport EvaluateMetrics(const std::vector<MetricSample>& samples, absl::Time now) {
  const Figures f(samples, now);
  StatusReport report;
  Calls(f, &report);
  Ingest(f, &report);
  Results(f, &report);
  Disclosure(f, &report);
  Plans(f, &report);
  Model(f, &report);
  Storage(f, &report);
  Audit(f, &report);
  Certificates(f, &report);
  Sampler(f, &report);
  return report;
}

int RunStatusCommand(const std::vector<std::string>& args, const StatusOptions& options,
                     std::FILE* out) {
  if (args.size() != 1) {
    return UsageError({"status"}, "status takes no arguments");
  }
  absl::StatusOr<std::string> page = HttpGet(options.metrics_url, options.timeout);
  if (absl::IsInvalidArgument(page.status())) {
    std::fprintf(stderr, "error: %s\n", std::string(page.status().message()).c_str());
    return kExitUsage;
  }
  if (!page.ok()) {
    std::fprintf(stderr,
                 "error: %s\n  is regulatord running, with --metrics_listen on that address?\n",
                 std::string(page.status().message()).c_str());
    return kExitUnreachable;
  }
  absl::StatusOr<std::vector<MetricSample>> samples = telemetry::ParseMetricsText(*page);
  if (!samples.ok()) {
    std::fprintf(stderr, "error: %s is not a metrics page: %s\n", options.metrics_url.c_str(),
                 std::string(samples.status().message()).c_str());
    return kExitServerError;
  }
  const StatusReport report = EvaluateMetrics(*samples, absl::Now());
  std::fprintf(out, "regulatord (%s): %s\n", options.metrics_url.c_str(),
               report.problems.empty()
                   ? "HEALTHY"
                   : absl::StrCat("ATTENTION, ", report.problems.size(), " problem(s)").c_str());
  for (const std::string& line : report.lines) std::fprintf(out, "  %s\n", line.c_str());
  for (const std::string& problem : report.problems) std::fprintf(out, "! %s\n", problem.c_str());
  return report.problems.empty() ? kExitOk : kExitServerError;
}

}  // namespace regulation::regctl
