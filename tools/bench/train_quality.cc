// Model quality on a generated population: loads N enterprises with Y years of
// history (tools/synth) through the real ingestion path into RocksDB, trains a model
// exactly as TrainModel does (point-in-time rows, time split, monotone constraints,
// gblinear baseline, oracle from the generator's true probabilities), and prints the
// held-out metrics. Writes the evaluation report (HTML with SVG charts, and JSON).
// The last line is one JSON object:
//   {"enterprises": ..., "validation_rows": ..., "auc": ..., "oracle_auc": ...,
//    "auc_to_oracle": ..., "baseline_auc": ..., "precision_at_5pct": ..., "base_rate": ...,
//    "precision_to_base_rate": ..., "train_s": ...}
//
//   bazel run --config=opt //tools/bench:train_quality -- --enterprises=200000
//   --report_dir=/tmp/report

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/model_trainer.h"
#include "storage/rocksdb_store.h"
#include "testing/fake_clock.h"
#include "tests/testing/synthetic_population.h"

ABSL_FLAG(int64_t, enterprises, 200000, "population size");
ABSL_FLAG(int, years, 5, "years of history");
ABSL_FLAG(uint64_t, seed, 2026, "generator seed");
ABSL_FLAG(uint64_t, train_seed, 1, "training seed");
ABSL_FLAG(std::string, report_dir, "", "where to write report.html and report.json");
ABSL_FLAG(int, label_window_days, 0, "label window (0: the default)");
ABSL_FLAG(int, windows, 0, "windows ending at the end date (0: the default)");

namespace regulation::bench {
namespace {

int Run() {
  char templ[] = "/tmp/train-quality.XXXXXX";
  const std::string work = mkdtemp(templ);
  storage::RocksDbOptions db;
  db.path = work + "/rocksdb";
  std::unique_ptr<storage::KvStore> store = storage::OpenRocksDbStore(db).value();
  const absl::CivilDay end(2026, 6, 30);
  const absl::Time t0 = absl::Now();
  absl::StatusOr<testing::LoadedPopulation> population =
      testing::LoadSyntheticPopulation(store.get(), absl::GetFlag(FLAGS_enterprises),
                                       absl::GetFlag(FLAGS_years), absl::GetFlag(FLAGS_seed), end);
  if (!population.ok()) {
    std::fprintf(stderr, "%s\n", population.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "loaded %lld enterprises, %lld events in %.1f s\n",
               static_cast<long long>(population->enterprises.size()),
               static_cast<long long>(population->events), absl::ToDoubleSeconds(absl::Now() - t0));

  FakeClock clock(absl::FromCivil(end + 1, ChinaTimeZone()));
  std::unique_ptr<services::ModelRegistry> registry =
      services::ModelRegistry::Open(store.get(), &clock).value();
  v1::TrainModelRequest request;
  request.mutable_config()->set_seed(absl::GetFlag(FLAGS_train_seed));
  request.mutable_config()->set_label_window_days(absl::GetFlag(FLAGS_label_window_days));
  if (const int windows = absl::GetFlag(FLAGS_windows); windows > 0) {
    const int days =
        absl::GetFlag(FLAGS_label_window_days) > 0 ? absl::GetFlag(FLAGS_label_window_days) : 182;
    for (int k = windows; k >= 1; --k) {
      const absl::CivilDay day = end + 1 - k * days;
      v1::Date* d = request.mutable_config()->add_window_starts();
      d->set_year(static_cast<int>(day.year()));
      d->set_month(day.month());
      d->set_day(day.day());
    }
  }
  for (const auto& [id, p] : population->inspection_truth) {
    v1::OracleProbability* o = request.add_oracle();
    o->set_event_id(id);
    o->set_probability(p);
  }
  const absl::Time t1 = absl::Now();
  absl::StatusOr<v1::TrainModelProgress> done = services::TrainAndRegister(
      store.get(), registry.get(), &clock, request, [](const v1::TrainModelProgress& p) {
        if (p.stage().rfind("round", 0) != 0) std::fprintf(stderr, "  %s\n", p.stage().c_str());
      });
  if (!done.ok()) {
    std::fprintf(stderr, "%s\n", done.status().ToString().c_str());
    return 1;
  }
  const double train_s = absl::ToDoubleSeconds(absl::Now() - t1);
  const std::string report_dir = absl::GetFlag(FLAGS_report_dir);
  if (!report_dir.empty()) {
    std::filesystem::create_directories(report_dir);
    std::ofstream(report_dir + "/report.html") << done->report_html();
    std::ofstream(report_dir + "/report.json") << done->report_json();
    std::fprintf(stderr, "report: %s/report.html\n", report_dir.c_str());
  }
  const v1::ModelMetrics& m = done->model().metrics();
  std::filesystem::remove_all(work);
  std::printf(
      "{\"enterprises\": %lld, \"validation_rows\": %lld, \"auc\": %.4f, \"oracle_auc\": %.4f, "
      "\"auc_to_oracle\": %.4f, \"baseline_auc\": %.4f, \"precision_at_5pct\": %.4f, "
      "\"base_rate\": %.4f, \"precision_to_base_rate\": %.2f, \"train_s\": %.1f}\n",
      static_cast<long long>(population->enterprises.size()),
      static_cast<long long>(m.validation_rows()), m.auc(), m.oracle_auc(), m.auc_to_oracle(),
      m.baseline_auc(), m.precision_at_5pct(), m.base_rate(),
      m.base_rate() > 0 ? m.precision_at_5pct() / m.base_rate() : 0.0, train_s);
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run();
}
