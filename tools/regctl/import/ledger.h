#ifndef TOOLS_REGCTL_IMPORT_LEDGER_H_
#define TOOLS_REGCTL_IMPORT_LEDGER_H_

// ImportLedger: the bookkeeping an import shares between its file reader and its
// server calls. The importer cuts its input into chunks, in file order; each chunk is a
// stretch of lines holding the rows of one request (or none) plus the rows rejected
// before sending. When the server has answered for a chunk, Complete:
//   - prints every rejected row of the chunk as "FILE:LINE: message", in line order
//     (client-side parse errors and the server's item errors, mapped back to lines);
//   - adds the chunk to the counts and moves the frontier (offset, line) past it;
//   - saves the checkpoint (import_checkpoint.h), at most once per checkpoint_interval;
//     SaveCheckpoint forces it when the import stops early.
// So a row is either accepted by the server or reported, and everything before the
// frontier is one or the other.
//
// Chunks must be completed in file order: the frontier moves to each chunk's end.
//
// Thread safety: every method may be called from any thread.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "regulation/v1/common.pb.h"
#include "tools/regctl/import/checkpoint.h"
#include "tools/regctl/import/progress.h"

namespace regulation::regctl {

// A row rejected before it was sent.
struct RowError {
  int64_t line = 0;
  std::string message;
};

// A stretch of the input in file order (see above).
struct ImportChunk {
  // The request's batch number (IngestEvents) or any non-zero number for a sent batch;
  // 0 when nothing was sent.
  int64_t batch_number = 0;
  // Line of each item sent, by position in the request.
  std::vector<int64_t> item_lines;
  // Rows rejected before sending, in line order.
  std::vector<RowError> parse_errors;
  // Just past the chunk's last line, and that line's number.
  int64_t end_offset = 0;
  int64_t end_line = 0;
};

// What the server said about a chunk's items.
struct ChunkOutcome {
  // Items now durable: upserted enterprises, or events applied or found duplicate.
  int64_t accepted = 0;
  // Of those, enterprises whose stored content changed, and duplicate events.
  int64_t changed = 0;
  int64_t duplicates = 0;
  // The rejected items.
  std::vector<v1::ItemError> errors;
};

struct LedgerOptions {
  // The input's name as the user gave it: the FILE of "FILE:LINE: message".
  std::string file;
  // Written into the checkpoint: kind and the input's fingerprint.
  std::string kind;
  FileFingerprint fingerprint;
  // Where the checkpoint lives (CheckpointPath(file)).
  std::string checkpoint_path;
  // Stop after more than this many rows are rejected in this run; 0: never.
  int max_errors = 100;
  // Least time between two checkpoint writes while the import runs.
  absl::Duration checkpoint_interval = absl::Seconds(1);
};

class ImportLedger {
 public:
  // Starts at `start` (a resumed checkpoint's frontier and counts, or offset and line
  // after the CSV header, counts zero). Prints through `progress` (not owned; outlives
  // this).
  ImportLedger(LedgerOptions options, const ImportCheckpoint& start, ProgressLine* progress);

  // Records the server's answer for `chunk` (nothing sent: an empty outcome), which
  // must be the next chunk in file order. INTERNAL, and nothing recorded, when the
  // outcome cannot belong to the chunk (an error index out of range or repeated, or
  // counts that do not add up to the items sent): the server broke the protocol.
  absl::Status Complete(const ImportChunk& chunk, const ChunkOutcome& outcome);

  // Records that the input has been read up to `offset` (for the progress line).
  void NoteRead(int64_t offset) { bytes_read_.store(offset, std::memory_order_relaxed); }

  // Reports a failure that ends reading the input (a record too long to delimit, a
  // read error) as "FILE:LINE: message", and remembers it (input_failed()).
  void ReportInputFailure(int64_t line, absl::string_view message);

  // Prints a note line (through the progress line).
  void Note(absl::string_view message);

  // More than max_errors rows were rejected in this run.
  bool error_limit_reached() const;
  bool input_failed() const;

  // The frontier and the counts so far, including earlier runs (kind and fingerprint
  // filled in): what a checkpoint saved now would hold.
  ImportCheckpoint current() const;
  // Rows done and rejected in this run, and bytes read.
  ProgressSnapshot Snapshot() const;

  // Writes the checkpoint now if the frontier has moved since it was last written (or
  // since the run started). A failure is printed once as a warning and returned.
  absl::Status SaveCheckpoint();
  // Deletes the checkpoint: the import is complete.
  absl::Status RemoveCheckpoint();

 private:
  absl::Status SaveLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string ItemMessage(const v1::ItemError& error) const;

  const LedgerOptions options_;
  ProgressLine* const progress_;
  std::atomic<int64_t> bytes_read_;

  mutable absl::Mutex mu_;
  ImportCheckpoint current_ ABSL_GUARDED_BY(mu_);
  int64_t saved_offset_ ABSL_GUARDED_BY(mu_);
  absl::Time last_save_ ABSL_GUARDED_BY(mu_);
  bool save_warned_ ABSL_GUARDED_BY(mu_) = false;
  int64_t run_rows_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t run_rejected_ ABSL_GUARDED_BY(mu_) = 0;
  bool input_failed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_LEDGER_H_
