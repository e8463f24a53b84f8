#ifndef TOOLS_SYNTH_WRITER_H_
#define TOOLS_SYNTH_WRITER_H_

// Writes a synthetic population to a directory:
//
//   enterprises.csv  the directory records, in index order
//   events.jsonl     every event, one regulation.v1.Event per line in protobuf's canonical
//                    JSON mapping, sorted by occur_time and then event_id (bytewise)
//   truth.csv        the hidden ground truth per enterprise: never to be ingested
//   inspections_truth.csv  the true probability behind each past inspection: never to be
//                    ingested; for the oracle AUC
//   manifest.json    parameters, counts, quality figures and the SHA-256 of each file;
//                    written last, so a directory without it holds an unfinished run
//
// Every byte of the four files is a function of the SynthConfig alone: not of the number
// of threads, the chunk size, the merge fan-in or the machine's speed (tested).
//
// Memory stays bounded whatever the number of enterprises: enterprises are generated in
// chunks of `chunk_size` (by `threads` workers; each enterprise depends only on the seed
// and its index); each chunk's events are sorted in memory and written to a run file in
// DIR/.synth-tmp; the runs are then merged (external merge sort, at most `merge_fan_in`
// files open at once) straight into events.jsonl, and the chunks' CSV parts are
// concatenated in order. Peak memory is about threads x chunk_size x (events per
// enterprise) x (bytes per event), plus 1 MB per open file; the temporary directory is
// removed at the end.
//
// Thread safety: WriteSyntheticData may run concurrently with other calls for other
// directories; it starts and joins its own threads.

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regulation/v1/enterprise.pb.h"
#include "tools/synth/config.h"

namespace regulation::synth {

struct WriteOptions {
  // Worker threads; 0: the number of hardware threads, at most 8.
  int threads = 0;
  // Enterprises per chunk (at least 1).
  int64_t chunk_size = 8192;
  // Most run files merged at once (at least 2).
  int merge_fan_in = 64;
  // Progress lines (enterprises/s, events, ETA) about once a second, or none when null.
  std::FILE* progress = nullptr;
};

struct FileSummary {
  std::string name;
  int64_t rows = 0;  // data rows, without the CSV header
  int64_t bytes = 0;
  std::string sha256;  // lowercase hex
};

struct SynthSummary {
  SynthConfig config;
  Window window;
  int64_t enterprises = 0;
  int64_t events = 0;
  std::map<std::string, int64_t> events_by_kind;         // by payload field name
  std::map<std::string, int64_t> enterprises_by_status;  // by short name, e.g. OPERATING
  int64_t inspections = 0;
  int64_t inspection_problems = 0;
  double inspection_problem_rate = 0;
  double inspection_mean_p_true = 0;
  // AUC of p_true against the drawn inspection outcomes: the oracle's.
  double inspection_oracle_auc = 0;
  // AUC of the observable part of the logit (no shell flag, noise or yearly shock).
  double inspection_observable_auc = 0;
  // Over enterprises OPERATING on the end date.
  int64_t operating_at_end = 0;
  double mean_problem_probability_at_end = 0;
  // Expected AUC of problem_probability_at_end against inspections right after the end.
  double expected_oracle_auc_at_end = 0;
  // enterprises.csv, events.jsonl, truth.csv, inspections_truth.csv.
  std::vector<FileSummary> files;
};

// Writes the four files into `out_dir` (created if missing; existing files replaced).
// INVALID_ARGUMENT for a bad config or options; an errno-derived status (e.g.
// PERMISSION_DENIED, NOT_FOUND) when the directory or a file cannot be written; INTERNAL
// if protobuf cannot print an event.
absl::StatusOr<SynthSummary> WriteSyntheticData(const SynthConfig& config,
                                                const std::string& out_dir,
                                                const WriteOptions& options);

// The manifest.json text for `summary`.
std::string ManifestJson(const SynthSummary& summary);

// "OPERATING" for ENTERPRISE_STATUS_OPERATING, and so on.
std::string StatusShortName(v1::EnterpriseStatus status);

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_WRITER_H_
