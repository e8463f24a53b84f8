// Scoring benchmark: in one run, on one machine,
//   raw: XGBoost prediction over the feature matrix of every enterprise, in memory
//        (its default threads), wall time and this process's CPU seconds;
//   raw_compiled: the same with the compiled predictor ScoreAll uses, with ScoreAll's
//        thread count (RiskScorer::kPredictThreads);
//   e2e: ScoreAll through regulatord (read every portrait, compute features, predict,
//        write every score durably), timed from the call to its last message, with the
//        CPU seconds regulatord used meanwhile (all its threads);
//   rerun: ScoreAll again (--reruns times, medians), now over stored scores that the
//        alert hooks compare with the new ones and that the run replaces;
//   score_p99_ms: the 99th percentile latency of Score (one enterprise, with reasons);
//   with --split, also split: ScoreAll through scoringd reading every portrait from
//        portraitd over gRPC (two processes on loopback, each over its own data
//        directory, docs/deploy.md), timed the same way, with the CPU seconds of both.
// The population (enterprises with portrait states built from a few random events
// each) and a model trained on a sample are written straight into the database first.
// The last line is one JSON object:
//   {"enterprises": ..., "raw_predict_s": ..., "raw_predict_cpu_s": ..., "raw_compiled_s": ...,
//    "e2e_s": ..., "e2e_cpu_s": ..., "ratio": ..., "ratio_cpu": ..., "ratio_compiled": ...,
//    "peak_rss_mb": ..., "score_p99_ms": ..., "rerun_s": ..., "rerun_cpu_s": ...,
//    "load_average": ...
//    [, "split_e2e_s": ..., "split_cpu_s": ..., "split_ratio": ..., "split_ratio_cpu": ...]}
// (ratio: e2e_s / raw_predict_s; ratio_cpu: e2e_cpu_s / raw_predict_cpu_s; split_ratio:
// split_e2e_s / e2e_s; split_ratio_cpu: split_cpu_s / e2e_cpu_s.)
//
//   bazel run --config=opt //tools/bench:score_all -- --enterprises=1000000

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/scoring_service.grpc.pb.h"
#include "scoring/booster.h"
#include "scoring/booster_compiler.h"
#include "scoring/compiled_forest.h"
#include "scoring/feature_catalogue.h"
#include "scoring/feature_row.h"
#include "scoring/trainer.h"
#include "services/common/proto_time.h"
#include "services/portrait/feature_rows.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/risk_scorer.h"
#include "storage/rocksdb_store.h"
#include "testing/fake_clock.h"
#include "tools/bench/bench_population.h"
#include "tools/bench/bench_support.h"

ABSL_FLAG(int64_t, enterprises, 1000000, "enterprises to score");
ABSL_FLAG(int, score_calls, 2000, "single Score calls for the latency percentile");
ABSL_FLAG(int, reruns, 3,
          "ScoreAll runs after the first, over the scores it stored (the alert hooks then "
          "compare every enterprise's previous score); their medians are rerun_s, rerun_cpu_s");
ABSL_FLAG(bool, split, false,
          "also run ScoreAll split: scoringd reading portraits from portraitd over gRPC");

namespace regulation::bench {
namespace {

struct ScoreAllRun {
  double seconds = 0;
  int64_t scored = 0;
};

// ScoreAll through the ScoringService at `address`, from the call to its last message.
ScoreAllRun TimeScoreAll(const std::string& address) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = v1::ScoringService::NewStub(channel);
  grpc::ClientContext context;
  const absl::Time t1 = absl::Now();
  auto reader = stub->ScoreAll(&context, v1::ScoreAllRequest());
  v1::ScoreAllProgress progress;
  ScoreAllRun run;
  while (reader->Read(&progress)) run.scored = progress.scored();
  const grpc::Status status = reader->Finish();
  if (!status.ok() || !progress.done()) {
    std::fprintf(stderr, "ScoreAll at %s failed: %s\n", address.c_str(),
                 status.error_message().c_str());
    std::abort();
  }
  run.seconds = absl::ToDoubleSeconds(absl::Now() - t1);
  return run;
}

// The split run: portraitd over `portrait_dir` (the population), scoringd over
// `scoring_dir` (the model), ScoreAll through scoringd. Its wall time and the CPU
// seconds of both processes.
std::pair<ScoreAllRun, double> SplitScoreAll(const char* argv0, const std::string& portrait_dir,
                                             const std::string& scoring_dir) {
  ServerProcess portrait =
      ServerProcess::StartWith(Runfile(argv0, "services/server/portraitd"),
                               {"--listen=localhost:0", "--data_dir=" + portrait_dir,
                                "--insecure_loopback", "--metrics_listen="},
                               portrait_dir + ".log")
          .value();
  const std::string peers = scoring_dir + ".peers";
  {
    std::FILE* f = std::fopen(peers.c_str(), "w");
    if (f == nullptr) std::abort();
    std::fprintf(f, "portrait_address: \"%s\"\n", portrait.address().c_str());
    std::fclose(f);
  }
  ServerProcess scoring =
      ServerProcess::StartWith(Runfile(argv0, "services/server/scoringd"),
                               {"--listen=localhost:0", "--data_dir=" + scoring_dir,
                                "--insecure_loopback", "--metrics_listen=", "--peers=" + peers},
                               scoring_dir + ".log")
          .value();
  absl::SleepFor(absl::Seconds(15));
  std::fprintf(stderr, "split ScoreAll starting\n");
  const double cpu = portrait.CpuSeconds() + scoring.CpuSeconds();
  ScoreAllRun run = TimeScoreAll(scoring.address());
  const double used = portrait.CpuSeconds() + scoring.CpuSeconds() - cpu;
  std::fprintf(stderr, "split ScoreAll: %lld scored in %.2f s (portraitd + scoringd CPU %.2f s)\n",
               static_cast<long long>(run.scored), run.seconds, used);
  scoring.Stop();
  portrait.Stop();
  return {run, used};
}

int Run(const char* argv0) {
  const int64_t n = absl::GetFlag(FLAGS_enterprises);
  char templ[] = "/tmp/score-all-bench.XXXXXX";
  const std::string work = mkdtemp(templ);
  const int64_t now = absl::ToUnixMicros(absl::Now());
  const size_t cols = scoring::FeatureCatalogue().size();

  // 1. The population and its feature matrix (also the raw benchmark's input).
  std::fprintf(stderr, "writing %lld enterprises and portraits...\n", static_cast<long long>(n));
  std::vector<float> matrix(static_cast<size_t>(n) * cols);
  {
    storage::RocksDbOptions db;
    db.path = work + "/rocksdb";
    std::unique_ptr<storage::KvStore> store = storage::OpenRocksDbStore(db).value();
    SplitMix64 rng(42);
    storage::WriteBatch batch;
    for (int64_t i = 0; i < n; ++i) {
      const v1::Enterprise e = BenchEnterprise(i, rng);
      const internal::PortraitState s = BenchPortraitState(e.credit_code(), now, rng);
      const std::vector<double> f = scoring::ComputeFeatures(e, s, now);
      std::copy(f.begin(), f.end(), matrix.begin() + i * cols);
      batch.Put(storage::ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
      batch.Put(storage::ColumnFamily::kEnterprisesByRegion,
                absl::StrCat(e.region_code(), e.credit_code()), "");
      batch.Put(storage::ColumnFamily::kPortraits, e.credit_code(), s.SerializeAsString());
      // The feature snapshot, as ingestion and the directory keep it.
      batch.Put(storage::ColumnFamily::kFeatureRows, e.credit_code(), scoring::FeatureRowOf(e, s));
      if (batch.count() >= 30000 || i + 1 == n) {
        if (!store->Write(batch).ok()) std::abort();
        batch.Clear();
      }
    }
    batch.Put(storage::ColumnFamily::kFeatureRows, services::kFeatureRowsCompleteKey,
              std::string(1, static_cast<char>(scoring::kFeatureRowFormat)));
    if (!store->Write(batch).ok()) std::abort();
    batch.Clear();
    if (!store->SyncWal().ok()) std::abort();

    // 2. A model trained on a sample, registered and activated as TrainModel would.
    v1::TrainingConfig config = scoring::WithDefaults(v1::TrainingConfig());
    scoring::TrainedModel model = TrainBenchModel(matrix, n, cols, config).value();
    FakeClock clock(absl::FromUnixMicros(now));
    auto registry = services::ModelRegistry::Open(store.get(), &clock).value();
    v1::Model metadata;
    metadata.set_schema_digest(scoring::FeatureSchemaDigest());
    *metadata.mutable_config() = config;
    const v1::Model registered = registry->Register(metadata, model.model_bytes, "", "").value();
    if (!registry->Activate(registered.version()).ok()) std::abort();
    if (absl::GetFlag(FLAGS_split)) {
      // scoringd's own store holds the model (and will hold the scores); the population
      // stays in the first store, which portraitd serves.
      storage::RocksDbOptions scoring_db;
      scoring_db.path = work + "/scoring/rocksdb";
      std::filesystem::create_directories(work + "/scoring");
      std::unique_ptr<storage::KvStore> scoring_store =
          storage::OpenRocksDbStore(scoring_db).value();
      auto scoring_registry = services::ModelRegistry::Open(scoring_store.get(), &clock).value();
      const v1::Model copy =
          scoring_registry->Register(metadata, model.model_bytes, "", "").value();
      if (!scoring_registry->Activate(copy.version()).ok()) std::abort();
    }
    std::fprintf(stderr, "model %s: %d rounds\n", registered.version().c_str(),
                 model.best_iteration + 1);

    // 3. Raw: the same model over the same matrix, in memory, in ScoreAll's chunks.
    std::vector<float> out;
    const absl::Time t0 = absl::Now();
    const double cpu0 = ProcessCpuSeconds();
    for (int64_t first = 0; first < n; first += 4096) {
      const size_t rows = static_cast<size_t>(std::min<int64_t>(4096, n - first));
      if (!model.booster
               .PredictProbabilities(absl::MakeConstSpan(&matrix[first * cols], rows * cols), rows,
                                     cols, &out)
               .ok()) {
        std::abort();
      }
    }
    const double raw_s = absl::ToDoubleSeconds(absl::Now() - t0);
    const double raw_cpu_s = ProcessCpuSeconds() - cpu0;
    std::fprintf(stderr, "raw prediction: %.2f s, CPU %.2f s (%.0f rows/s)\n", raw_s, raw_cpu_s,
                 n / raw_s);
    const scoring::CompiledForest forest = scoring::CompileBooster(model.booster).value();
    scoring::PredictOptions options;
    options.threads = services::RiskScorer::kPredictThreads;
    const absl::Time t0_compiled = absl::Now();
    for (int64_t first = 0; first < n; first += 4096) {
      const size_t rows = static_cast<size_t>(std::min<int64_t>(4096, n - first));
      if (!forest
               .PredictProbabilities(absl::MakeConstSpan(&matrix[first * cols], rows * cols), rows,
                                     cols, &out, options)
               .ok()) {
        std::abort();
      }
    }
    const double raw_compiled_s = absl::ToDoubleSeconds(absl::Now() - t0_compiled);
    std::fprintf(stderr, "raw prediction, compiled (%s kernel, %d thread): %.2f s (%.0f rows/s)\n",
                 forest.kernel_name(), options.threads, raw_compiled_s, n / raw_compiled_s);
    matrix.clear();
    matrix.shrink_to_fit();

    // 4. End to end through regulatord.
    store.reset();
    ServerProcess server =
        ServerProcess::Start(Runfile(argv0, "services/server/regulatord"), work).value();
    auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
    auto stub = v1::ScoringService::NewStub(channel);
    // Let the server finish replaying and compacting what was just written: measure a
    // settled server, as in production.
    absl::SleepFor(absl::Seconds(15));
    std::fprintf(stderr, "ScoreAll starting\n");
    grpc::ClientContext context;
    const double cpu1 = server.CpuSeconds();
    const absl::Time t1 = absl::Now();
    auto reader = stub->ScoreAll(&context, v1::ScoreAllRequest());
    v1::ScoreAllProgress progress;
    int64_t scored = 0;
    while (reader->Read(&progress)) scored = progress.scored();
    if (!reader->Finish().ok() || !progress.done()) std::abort();
    const double e2e_s = absl::ToDoubleSeconds(absl::Now() - t1);
    const double e2e_cpu_s = server.CpuSeconds() - cpu1;
    std::fprintf(stderr, "ScoreAll: %lld scored in %.2f s (regulatord CPU %.2f s)\n",
                 static_cast<long long>(scored), e2e_s, e2e_cpu_s);
    // Reruns: every enterprise now has a stored score to compare with and replace.
    std::vector<double> rerun_s, rerun_cpu_s;
    for (int k = 0; k < absl::GetFlag(FLAGS_reruns); ++k) {
      absl::SleepFor(absl::Seconds(3));
      const double cpu = server.CpuSeconds();
      const ScoreAllRun again = TimeScoreAll(server.address());
      if (again.scored != scored) std::abort();
      rerun_s.push_back(again.seconds);
      rerun_cpu_s.push_back(server.CpuSeconds() - cpu);
      std::fprintf(stderr, "ScoreAll again: %lld scored in %.2f s (regulatord CPU %.2f s)\n",
                   static_cast<long long>(again.scored), again.seconds, rerun_cpu_s.back());
    }
    auto median = [](const std::vector<double>& v) { return v.empty() ? 0.0 : Median(v); };

    // 5. Single-enterprise Score with reasons.
    std::vector<double> latencies;
    SplitMix64 pick(9);
    for (int k = 0; k < absl::GetFlag(FLAGS_score_calls); ++k) {
      v1::ScoreRequest request;
      request.set_credit_code(BenchCreditCode(static_cast<int64_t>(pick.Below(n))));
      v1::RiskScore score;
      grpc::ClientContext call;
      const absl::Time s0 = absl::Now();
      if (!stub->Score(&call, request, &score).ok()) std::abort();
      latencies.push_back(absl::ToDoubleMilliseconds(absl::Now() - s0));
    }
    std::sort(latencies.begin(), latencies.end());
    const double p99 = latencies[latencies.size() * 99 / 100];
    const double rss = server.PeakRssMb();
    server.Stop();
    std::string split_json;
    if (absl::GetFlag(FLAGS_split)) {
      const auto [split, split_cpu] = SplitScoreAll(argv0, work, work + "/scoring");
      if (split.scored != scored) std::abort();
      split_json = absl::StrFormat(
          ", \"split_e2e_s\": %.2f, \"split_cpu_s\": %.2f, \"split_ratio\": %.2f, "
          "\"split_ratio_cpu\": %.2f",
          split.seconds, split_cpu, split.seconds / e2e_s, split_cpu / e2e_cpu_s);
    }
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
    std::printf(
        "{\"enterprises\": %lld, \"raw_predict_s\": %.2f, \"raw_predict_cpu_s\": %.2f, "
        "\"raw_compiled_s\": %.2f, \"e2e_s\": %.2f, \"e2e_cpu_s\": %.2f, \"ratio\": %.2f, "
        "\"ratio_cpu\": %.2f, \"ratio_compiled\": %.2f, \"peak_rss_mb\": %.0f, "
        "\"score_p99_ms\": %.2f, \"rerun_s\": %.2f, \"rerun_cpu_s\": %.2f, "
        "\"load_average\": %.2f%s}\n",
        static_cast<long long>(n), raw_s, raw_cpu_s, raw_compiled_s, e2e_s, e2e_cpu_s,
        e2e_s / raw_s, e2e_cpu_s / raw_cpu_s, e2e_s / raw_compiled_s, rss, p99,
        median(rerun_s), median(rerun_cpu_s), LoadAverage(), split_json.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run(argv[0]);
}
