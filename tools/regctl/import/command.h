#ifndef TOOLS_REGCTL_IMPORT_COMMAND_H_
#define TOOLS_REGCTL_IMPORT_COMMAND_H_

// `regctl import enterprises|events FILE`: bulk import, resumable
// (docs/import-formats.md has the file formats and the full semantics).
//
//   regctl import enterprises FILE.csv   CSV with a header, through BatchUpsertEnterprises
//   regctl import events FILE.jsonl      one Event per line in canonical JSON, through
//                                        one IngestEvents stream with batches in flight
//
// Every row is either accepted by the server or reported as "FILE:LINE: message" (on
// stderr, in line order); nothing is half-imported. A progress line goes to stderr
// (redrawn every second on a terminal, a plain line every 10 s otherwise) and a summary
// to `out`:
//
//   events.jsonl: 1000 rows: 997 accepted (12 duplicates), 3 rejected
//
// Resuming: while it runs, the import keeps FILE.import-state next to the input: the
// line up to which every row is done, with a fingerprint of the file (size, mtime,
// SHA-256 of the first 64 KiB). A rerun on the same, unchanged file continues there
// ("resuming at line N"); --restart ignores it; success deletes it. Rows between the
// checkpoint and a crash are sent again, which the server's idempotency makes harmless.
//
// Exit codes (connection.h): 0 every row imported; 4 some rows rejected, or the import
// stopped at --max_errors or at an unreadable record (the rest was not imported);
// 1 the server failed a call or broke the protocol; 2 bad command line, or a file
// that cannot be imported at all (missing, unreadable, bad CSV header); 3 server
// unreachable, or the stream broke (UNAVAILABLE) or stalled: rerun to resume.
//
// Thread safety: RunImportCommand may run on any thread, on different files at once.
// It starts threads of its own (progress, and the event stream's writer and reader)
// and joins them before it returns.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/regctl/connection.h"

namespace regulation::regctl {

struct ImportOptions {
  // "enterprises" or "events"; used when `args` does not say.
  std::string kind;
  // The input file; used when `args` does not name one.
  std::string file;
  // Rows per request: 1 to 1,000.
  int batch_size = 500;
  // events: batches in flight at once, 1 to 64. enterprises: ignored (one batch at a
  // time: each waits for its answer).
  int window = 8;
  // Stop after more than this many rows are rejected in this run (exit 4); 0: never.
  int max_errors = 100;
  // Ignore FILE.import-state and start at the first row.
  bool restart = false;
  // Where rejected rows, notes and the progress line go (not owned); nullptr: stderr.
  std::FILE* diagnostics = nullptr;
  // Between two progress lines; zero: 1 s when `diagnostics` is a terminal, else 10 s.
  absl::Duration progress_interval = absl::ZeroDuration();
};

// Runs `regctl import <args...>` and returns the exit code. `args` are the words after
// "import": {KIND, FILE}, or {KIND} with options.file, or {} with options.kind and
// options.file; a value given both ways must agree. The summary goes to `out`; call
// failures to stderr (ReportFailure).
int RunImportCommand(const std::vector<std::string>& args, const ImportOptions& options,
                     const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_COMMAND_H_
