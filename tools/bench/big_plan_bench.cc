// A province-size plan (docs/draw-spec.md §13, "Plans of any size"): 3,000,000 enterprises,
// 5% of every class drawn (about 150,000 targets), through the draw desk over RocksDB,
// then verified by `regctl verify-draw` from the bundle's manifest and parts and the
// exported population and roster. Prints each phase's wall time and peak resident memory,
// then one JSON object:
//   {"enterprises": ..., "targets": ..., "draw_s": ..., "draw_peak_mb": ..., ...}
//
//   bazel run --config=opt //tools/bench:big_plan_bench -- --dir=/tmp/big-plan
//   bazel run --config=opt //tools/bench:big_plan_bench -- --enterprises=300000 --dir=...

#include <chrono>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "tools/bench/big_plan.h"
#include "tools/regctl/verify_draw_command.h"

ABSL_FLAG(int64_t, enterprises, 3000000, "enterprises in the store");
ABSL_FLAG(double, ratio, 0.05, "sampling ratio of every class");
ABSL_FLAG(std::string, dir, "", "directory for the store and the files (required; emptied)");
ABSL_FLAG(int, threads, 2, "draw threads");

namespace regulation::bench {
namespace {

int Main() {
  BigPlanOptions options;
  options.enterprises = absl::GetFlag(FLAGS_enterprises);
  options.ratio = absl::GetFlag(FLAGS_ratio);
  options.dir = absl::GetFlag(FLAGS_dir);
  options.draw_threads = absl::GetFlag(FLAGS_threads);
  if (options.dir.empty()) {
    std::fprintf(stderr, "--dir is required (it is emptied first)\n");
    return 2;
  }
  if (absl::Status removed = RemoveTree(options.dir); !removed.ok()) {
    std::fprintf(stderr, "%s\n", removed.ToString().c_str());
    return 1;
  }
  absl::StatusOr<BigPlanResult> run = RunBigPlan(options);
  if (!run.ok()) {
    std::fprintf(stderr, "big plan: %s\n", run.status().ToString().c_str());
    return 1;
  }
  const BigPlanResult& r = *run;
  std::printf("population %lld, roster %lld inspectors (cap 40), loaded in %.1f s\n",
              static_cast<long long>(r.population), static_cast<long long>(r.inspectors),
              r.load_s);
  std::printf("commit: %.2f s, peak RSS %.0f MiB\n", r.commit_s, r.commit_peak_mb);
  std::printf(
      "draw: %.2f s, peak RSS %.0f MiB: %lld targets (%lld unstaffed), %lld assignments, "
      "bundle %.1f MB in %lld parts, digest %s\n",
      r.draw_s, r.draw_peak_mb, static_cast<long long>(r.targets),
      static_cast<long long>(r.unstaffed), static_cast<long long>(r.assignments),
      r.bundle_bytes / 1e6, static_cast<long long>(r.bundle_parts), r.bundle_digest.c_str());
  std::printf("export (bundle parts, population, roster): %.2f s\n", r.export_s);

  // What an auditor runs, in this process: regctl verify-draw MANIFEST --population --roster.
  std::printf("regctl verify-draw %s --population=%s --roster=%s\n", r.manifest_path.c_str(),
              r.population_path.c_str(), r.roster_path.c_str());
  std::fflush(stdout);
  regctl::VerifyDrawOptions verify;
  verify.population_file = r.population_path;
  verify.roster_file = r.roster_path;
  ResetPeakRss();
  const auto start = std::chrono::steady_clock::now();
  const int code = regctl::RunVerifyDrawCommand({r.manifest_path}, verify, stdout);
  const double verify_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double verify_peak_mb = PeakRssMb();
  std::printf("verify-draw: exit %d in %.2f s, peak RSS %.0f MiB\n", code, verify_s,
              verify_peak_mb);
  std::printf(
      "{\"enterprises\": %lld, \"targets\": %lld, \"unstaffed\": %lld, \"assignments\": %lld, "
      "\"bundle_mb\": %.1f, \"bundle_parts\": %lld, \"commit_s\": %.2f, \"commit_peak_mb\": "
      "%.0f, \"draw_s\": %.2f, \"draw_peak_mb\": %.0f, \"verify_s\": %.2f, \"verify_peak_mb\": "
      "%.0f, \"verified\": %s}\n",
      static_cast<long long>(r.population), static_cast<long long>(r.targets),
      static_cast<long long>(r.unstaffed), static_cast<long long>(r.assignments),
      r.bundle_bytes / 1e6, static_cast<long long>(r.bundle_parts), r.commit_s,
      r.commit_peak_mb, r.draw_s, r.draw_peak_mb, verify_s, verify_peak_mb,
      code == 0 ? "true" : "false");
  return code == 0 ? 0 : 1;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Main();
}
