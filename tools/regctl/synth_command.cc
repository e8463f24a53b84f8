#include "tools/regctl/synth_command.h"

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/synth/config.h"
#include "tools/synth/writer.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Usage(absl::string_view message) { return UsageError({"synth"}, message); }

std::string HumanBytes(int64_t bytes) {
  if (bytes >= (int64_t{1} << 30)) return absl::StrFormat("%.2f GiB", bytes / 1073741824.0);
  if (bytes >= (int64_t{1} << 20)) return absl::StrFormat("%.1f MiB", bytes / 1048576.0);
  if (bytes >= 1024) return absl::StrFormat("%.1f KiB", bytes / 1024.0);
  return absl::StrCat(bytes, " B");
}

}  // namespace

int RunSynthCommand(const SynthOptions& options, std::FILE* out) {
  if (options.out.empty()) return Usage("--out: an output directory is required");
  synth::SynthConfig config;
  config.enterprises = options.enterprises;
  config.years = options.years;
  config.seed = options.seed;
  if (!options.end_date.empty()) {
    absl::StatusOr<absl::CivilDay> end = synth::ParseDate(options.end_date);
    if (!end.ok()) return Usage(absl::StrCat("--end_date: ", end.status().message()));
    config.end_date = *end;
  }
  const absl::Status valid = synth::ValidateConfig(config);
  if (!valid.ok()) return Usage(absl::StrCat("--", valid.message()));

  synth::WriteOptions write;
  write.progress = stderr;
  const absl::Time started = absl::Now();
  absl::StatusOr<synth::SynthSummary> summary =
      synth::WriteSyntheticData(config, options.out, write);
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - started);
  if (!summary.ok()) {
    absl::FPrintF(stderr, "error: %s\n", summary.status().ToString().c_str());
    return kExitFailure;
  }

  absl::FPrintF(out, "wrote %s: %d enterprises, %d years of events %s to %s, seed %d\n",
                options.out, config.enterprises, config.years,
                synth::FormatDate(summary->window.first_day), synth::FormatDate(config.end_date),
                config.seed);
  for (const synth::FileSummary& f : summary->files) {
    absl::FPrintF(out, "  %-16s %12d %-6s %10s  sha256 %s\n", f.name.c_str(),
                  static_cast<long long>(f.rows), f.name == "events.jsonl" ? "events" : "rows",
                  HumanBytes(f.bytes).c_str(), f.sha256.c_str());
  }
  absl::FPrintF(out, "  manifest.json\n");
  std::string kinds;
  for (const auto& [kind, count] : summary->events_by_kind) {
    absl::StrAppend(&kinds, kinds.empty() ? "" : ", ", kind, " ", count);
  }
  absl::FPrintF(out, "events by kind: %s\n", kinds.c_str());
  std::string statuses;
  for (const auto& [status, count] : summary->enterprises_by_status) {
    absl::StrAppend(&statuses, statuses.empty() ? "" : ", ", status, " ", count);
  }
  absl::FPrintF(out, "status on the end date: %s\n", statuses.c_str());
  absl::FPrintF(out,
                "inspections: %d, problem found in %d (%.1f%%); oracle AUC %.3f, observable part "
                "%.3f\n",
                static_cast<long long>(summary->inspections),
                static_cast<long long>(summary->inspection_problems),
                100.0 * summary->inspection_problem_rate, summary->inspection_oracle_auc,
                summary->inspection_observable_auc);
  absl::FPrintF(out,
                "truth at the end date: %d operating, mean p_true %.3f, expected oracle AUC %.3f\n",
                static_cast<long long>(summary->operating_at_end),
                summary->mean_problem_probability_at_end, summary->expected_oracle_auc_at_end);
  absl::FPrintF(out, "elapsed: %.1f s (%.0f enterprises/s)\n", elapsed,
                elapsed > 0 ? config.enterprises / elapsed : 0.0);
  return kExitOk;
}

}  // namespace regulation::regctl
