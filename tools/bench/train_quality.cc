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
//   --report_dir=/tmp/report [--data_dir=/tmp/tq200k]
//
// With --data_dir the loaded database and the generator's truth are kept there, and a
// later run with the same flags trains on them without generating again
// (--load_only stops after loading).

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
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
ABSL_FLAG(std::string, data_dir, "",
          "keep the loaded population here and reuse it when present (empty: a temp dir)");
ABSL_FLAG(bool, load_only, false, "stop after loading the population");

namespace regulation::bench {
namespace {

// The population's truth file: one "event_id<TAB>p_true" line per inspection, then a
// last line "enterprises<TAB>events<TAB>N<TAB>E" that marks the load complete.
constexpr char kTruthFile[] = "/truth.tsv";

absl::Status WriteTruth(const std::string& dir, const testing::LoadedPopulation& population) {
  std::ofstream out(dir + kTruthFile + std::string(".tmp"));
  for (const auto& [id, p] : population.inspection_truth) {
    out << id << '\t' << absl::StrFormat("%.17g", p) << '\n';
  }
  out << "enterprises\tevents\t" << population.enterprises.size() << '\t' << population.events
      << '\n';
  out.close();
  if (!out) return absl::InternalError("writing the truth file");
  std::filesystem::rename(dir + kTruthFile + std::string(".tmp"), dir + kTruthFile);
  return absl::OkStatus();
}

// The truth of a complete earlier load, or NOT_FOUND.
absl::StatusOr<testing::LoadedPopulation> ReadTruth(const std::string& dir) {
  std::ifstream in(dir + kTruthFile);
  if (!in) return absl::NotFoundError("no earlier load");
  testing::LoadedPopulation population;
  std::string line;
  bool complete = false;
  while (std::getline(in, line)) {
    const std::vector<std::string> parts = absl::StrSplit(line, '\t');
    if (parts.size() == 4 && parts[0] == "enterprises") {
      int64_t n = 0;
      if (!absl::SimpleAtoi(parts[2], &n) || !absl::SimpleAtoi(parts[3], &population.events)) {
        return absl::DataLossError("truth file: bad last line");
      }
      population.enterprises.resize(n);
      complete = true;
      break;
    }
    double p = 0;
    if (parts.size() != 2 || !absl::SimpleAtod(parts[1], &p)) {
      return absl::DataLossError(absl::StrCat("truth file: bad line: ", line));
    }
    population.inspection_truth[parts[0]] = p;
  }
  if (!complete) return absl::NotFoundError("earlier load incomplete");
  return population;
}

// The report's bootstrap intervals and hyper-parameter search, one line each.
void PrintIntervals(const std::string& report_json) {
  google::protobuf::Struct report;
  if (!google::protobuf::util::JsonStringToMessage(report_json, &report).ok()) return;
  const auto& fields = report.fields();
  auto interval = [](const google::protobuf::Value& v) {
    const auto& f = v.struct_value().fields();
    return absl::StrFormat("%.4f [%.4f, %.4f]", f.at("estimate").number_value(),
                           f.at("lower").number_value(), f.at("upper").number_value());
  };
  if (auto it = fields.find("tuning"); it != fields.end()) {
    const auto& t = it->second.struct_value().fields();
    const int chosen = static_cast<int>(t.at("chosen").number_value());
    for (int i = 0; i < t.at("candidates").list_value().values_size(); ++i) {
      const auto& c = t.at("candidates").list_value().values(i).struct_value().fields();
      std::printf("tuning: %-40s mean fold AUC %.4f%s\n", c.at("shape").string_value().c_str(),
                  c.at("meanAuc").number_value(), i == chosen ? "  <- chosen" : "");
    }
    std::printf("tuning: final rounds %d\n", static_cast<int>(t.at("rounds").number_value()));
  }
  auto it = fields.find("intervals");
  if (it == fields.end()) return;
  const auto& b = it->second.struct_value().fields();
  std::printf("base rate                 %s\n", interval(b.at("baseRate")).c_str());
  for (const char* who : {"model", "baseline", "oracle"}) {
    if (!b.contains(who)) continue;
    const auto& s = b.at(who).struct_value().fields();
    std::printf("%-9s AUC           %s\n", who, interval(s.at("auc")).c_str());
    std::printf("%-9s precision@5%%  %s\n", who, interval(s.at("precisionAt5pct")).c_str());
    std::printf("%-9s precision@10%% %s\n", who, interval(s.at("precisionAt10pct")).c_str());
    std::printf("%-9s lift@5%%       %s\n", who, interval(s.at("liftAt5pct")).c_str());
  }
  for (const char* paired : {"aucModelMinusBaseline", "precisionAt5pctModelMinusBaseline",
                             "aucModelOverOracle", "precisionAt5pctOverBaseRate"}) {
    if (b.contains(paired)) std::printf("%-33s %s\n", paired, interval(b.at(paired)).c_str());
  }
  if (auto p = fields.find("policy"); p != fields.end()) {
    const auto& f = p->second.struct_value().fields();
    std::printf("violations per 100: class quotas %s, uniform %s, difference %s\n",
                interval(f.at("quotaPer100")).c_str(), interval(f.at("uniformPer100")).c_str(),
                interval(f.at("difference")).c_str());
  }
}

int Run() {
  std::string work = absl::GetFlag(FLAGS_data_dir);
  const bool keep = !work.empty();
  if (!keep) {
    char templ[] = "/tmp/train-quality.XXXXXX";
    work = mkdtemp(templ);
  }
  std::filesystem::create_directories(work);
  absl::StatusOr<testing::LoadedPopulation> earlier = ReadTruth(work);
  const bool reused = earlier.ok();
  if (!reused && keep) std::filesystem::remove_all(work + "/rocksdb");
  storage::RocksDbOptions db;
  db.path = work + "/rocksdb";
  std::unique_ptr<storage::KvStore> store = storage::OpenRocksDbStore(db).value();
  const absl::CivilDay end(2026, 6, 30);
  const absl::Time t0 = absl::Now();
  absl::StatusOr<testing::LoadedPopulation> population =
      reused ? std::move(earlier)
                   : testing::LoadSyntheticPopulation(store.get(), absl::GetFlag(FLAGS_enterprises),
                                                      absl::GetFlag(FLAGS_years),
                                                      absl::GetFlag(FLAGS_seed), end);
  if (!population.ok()) {
    std::fprintf(stderr, "%s\n", population.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "%s %lld enterprises, %lld events in %.1f s\n",
               reused ? "reused" : "loaded",
               static_cast<long long>(population->enterprises.size()),
               static_cast<long long>(population->events), absl::ToDoubleSeconds(absl::Now() - t0));
  if (keep && !reused) {
    if (absl::Status s = WriteTruth(work, *population); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  }
  if (absl::GetFlag(FLAGS_load_only)) return 0;

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
  if (!keep) std::filesystem::remove_all(work);
  PrintIntervals(done->report_json());
  std::printf(
      "{\"enterprises\": %lld, \"validation_rows\": %lld, \"auc\": %.4f, \"oracle_auc\": %.4f, "
      "\"auc_to_oracle\": %.4f, \"baseline_auc\": %.4f, \"precision_at_5pct\": %.4f, "
      "\"baseline_precision_at_5pct\": %.4f, \"base_rate\": %.4f, "
      "\"precision_to_base_rate\": %.2f, \"train_s\": %.1f}\n",
      static_cast<long long>(population->enterprises.size()),
      static_cast<long long>(m.validation_rows()), m.auc(), m.oracle_auc(), m.auc_to_oracle(),
      m.baseline_auc(), m.precision_at_5pct(), m.baseline_precision_at_5pct(), m.base_rate(),
      m.base_rate() > 0 ? m.precision_at_5pct() / m.base_rate() : 0.0, train_s);
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run();
}
