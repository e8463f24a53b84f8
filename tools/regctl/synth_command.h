#ifndef TOOLS_REGCTL_SYNTH_COMMAND_H_
#define TOOLS_REGCTL_SYNTH_COMMAND_H_

// `regctl synth`: writes a deterministic synthetic population (enterprises, their event
// histories and the hidden ground truth) to a directory, without talking to a server.
//
//   regctl synth --enterprises=N --years=Y --seed=S --out=DIR [--end_date=YYYY-MM-DD]
//
// Writes DIR/enterprises.csv, events.jsonl, truth.csv and manifest.json
// (docs/synthetic-data.md), prints progress to stderr about once a second and a summary
// to `out`: rows and sizes per file, the inspection problem rate, the oracle AUC and the
// elapsed time. The files depend only on the four parameters.
//
// Thread safety: RunSynthCommand may run on any thread; it shares nothing (it starts and
// joins its own worker threads).

#include <cstdint>
#include <cstdio>
#include <string>

namespace regulation::regctl {

struct SynthOptions {
  // Number of enterprises, 1 to 100,000,000.
  int64_t enterprises = 0;
  // Years of event history ending at end_date, 1 to 20.
  int years = 3;
  uint64_t seed = 0;
  // Output directory; created if missing.
  std::string out;
  // Last day of the history, YYYY-MM-DD (China Standard Time). Empty: 2026-06-30.
  std::string end_date = "2026-06-30";
};

// Returns the exit code: 0 written; 2 bad options (message on stderr); 1 the files could
// not be written (message on stderr).
int RunSynthCommand(const SynthOptions& options, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_SYNTH_COMMAND_H_
