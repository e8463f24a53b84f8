#ifndef TOOLS_REGCTL_IMPORT_PROGRESS_H_
#define TOOLS_REGCTL_IMPORT_PROGRESS_H_

// ProgressLine: how far an import has got, on stderr, and the messages printed meanwhile.
//
//   events.jsonl: 120500 rows, 24100 rows/s, 37%, ETA 0:00:12, 3 rejected
//
// On a terminal the line is redrawn in place (CR, then erase to the end of the line)
// every `interval` (default 1 s); otherwise a plain line is printed every `interval`
// (default 10 s), which suits logs. Rows and rows/s count this run; the percentage and
// ETA come from the bytes read against the file's size, so they include rows read but
// not yet acknowledged. Message lines (rejected rows, notes) go through Print, which
// clears the in-place line first so the two never mix.
//
// Thread safety: every method may be called from any thread.

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace regulation::regctl {

struct ProgressSnapshot {
  // Rows done in this run (accepted or rejected).
  int64_t rows = 0;
  // Rows rejected in this run.
  int64_t rejected = 0;
  // Offset up to which the input has been read.
  int64_t bytes_read = 0;
};

class ProgressLine {
 public:
  // Writes to `stream` (not owned; outlives this). `label` starts the line (the file
  // name). `start_bytes` is where this run started reading in a file of `total_bytes`,
  // at `start`. `interval` of zero picks the default for the kind of stream.
  ProgressLine(std::FILE* stream, std::string label, int64_t total_bytes, int64_t start_bytes,
               absl::Time start, absl::Duration interval = absl::ZeroDuration());

  // True when `stream` is a terminal.
  static bool IsTerminal(std::FILE* stream);

  // Draws the line when `interval` has passed since it was last drawn (or since start).
  void Update(const ProgressSnapshot& snapshot, absl::Time now);

  // Prints `line` and a newline, clearing the in-place progress line first.
  void Print(absl::string_view line);

  // Clears the in-place line (terminal) so that what follows starts on a clean line.
  void Finish();

  // The line's text for a snapshot taken at `now` (no CR, no newline).
  std::string Format(const ProgressSnapshot& snapshot, absl::Time now) const;

 private:
  void ClearLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::FILE* const stream_;
  const bool terminal_;
  const std::string label_;
  const int64_t total_bytes_;
  const int64_t start_bytes_;
  const absl::Time start_;
  const absl::Duration interval_;

  absl::Mutex mu_;
  absl::Time last_draw_ ABSL_GUARDED_BY(mu_);
  // A progress line is on screen without a newline.
  bool drawn_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_PROGRESS_H_
