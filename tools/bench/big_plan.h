#ifndef TOOLS_BENCH_BIG_PLAN_H_
#define TOOLS_BENCH_BIG_PLAN_H_

// A plan of province size through the draw desk, end to end (docs/draw-spec.md §13,
// "Plans of any size"): a RocksDB store with `enterprises` enterprises over 99 counties
// (classes A 60%, B 30%, C 8%, D 2%) and a roster sized for the seats (county inspectors
// plus a few city-level ones per city, workload cap 40), a plan drawing 5% of every class
// (3,000,000 enterprises: about 150,000 targets), committed, drawn with a witness's
// statement, its assignments handed out, its DRAW record logged; then the bundle is
// streamed part by part and written as a manifest and parts, the frozen population and
// roster exported, and the files written for `regctl verify-draw`.
//
// The test (big_plan_test) runs it small; the benchmark (big_plan_bench) at full size.
//
// Thread safety: one run at a time per output directory.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace regulation::bench {

struct BigPlanOptions {
  // Enterprises in the store. Default 3,000,000.
  int64_t enterprises = 3000000;
  // Sampling ratio of every class. Default 5%.
  double ratio = 0.05;
  // Where the store and the verify-draw files go (created; the store under "db").
  std::string dir;
  // Threads of the draw. Default 2.
  int draw_threads = 2;
};

struct BigPlanResult {
  int64_t population = 0;
  int64_t targets = 0;
  int64_t unstaffed = 0;
  int64_t inspectors = 0;
  int64_t assignments = 0;
  int64_t bundle_bytes = 0;
  int64_t bundle_parts = 0;
  std::string bundle_digest;
  // Wall seconds of each phase.
  double load_s = 0;
  double commit_s = 0;
  // DrawPlan: the draw, the round stored in parts, the fan-out of assignments and history.
  double draw_s = 0;
  double export_s = 0;
  // Peak resident memory (VmHWM, reset before each phase) of commit and of the draw, MiB.
  double commit_peak_mb = 0;
  double draw_peak_mb = 0;
  // Files written: the manifest (its parts beside it), population.csv, roster.json.
  std::string manifest_path;
  std::string population_path;
  std::string roster_path;
};

// Errors: whatever the store, the desk or the files answer.
absl::StatusOr<BigPlanResult> RunBigPlan(const BigPlanOptions& options);

// This process's peak resident memory (VmHWM) in MiB, -1 when unknown; and its reset
// (Linux: clear_refs 5), so that a phase's peak can be read on its own.
double PeakRssMb();
void ResetPeakRss();

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_BIG_PLAN_H_
