#include "tools/regctl/import/command.h"

#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "tools/regctl/import/checkpoint.h"
#include "tools/regctl/import/csv_reader.h"
#include "tools/regctl/import/enterprise_csv.h"
#include "tools/regctl/import/enterprises.h"
#include "tools/regctl/import/events.h"
#include "tools/regctl/import/input.h"
#include "tools/regctl/import/ledger.h"
#include "tools/regctl/import/line_reader.h"
#include "tools/regctl/import/progress.h"

namespace regulation::regctl {
namespace {

constexpr char kEnterprises[] = "enterprises";
constexpr char kEvents[] = "events";
// The server's limit on items per request.
constexpr int kMaxBatchSize = 1000;
constexpr int kMaxWindow = 64;
// How often the progress line is offered a fresh snapshot.
constexpr absl::Duration kProgressTick = absl::Milliseconds(100);

int Usage(absl::string_view message) {
  std::fprintf(stderr,
               "error: %s\nusage: regctl import enterprises|events FILE [--batch_size=N] "
               "[--window=N] [--max_errors=N] [--restart] (regctl --help)\n",
               std::string(message).c_str());
  return kExitUsage;
}

class ImportCommand {
 public:
  ImportCommand(std::string kind, std::string file, const ImportOptions& options,
                const ConnectionOptions& connection_options, std::FILE* out)
      : kind_(std::move(kind)),
        file_(std::move(file)),
        options_(options),
        connection_options_(connection_options),
        out_(out),
        diagnostics_(options.diagnostics != nullptr ? options.diagnostics : stderr) {}

  int Run() {
    absl::StatusOr<std::unique_ptr<ImportInput>> input = ImportInput::Open(file_);
    if (!input.ok()) return FileError(input.status().message());
    absl::StatusOr<FileFingerprint> fingerprint = FingerprintFile(file_);
    if (!fingerprint.ok()) return FileError(fingerprint.status().message());

    // Where a fresh import starts: after the header (CSV) or at the first line.
    ImportCheckpoint start;
    std::optional<EnterpriseCsvSchema> schema;
    (*input)->SkipByteOrderMark();
    if (kind_ == kEnterprises) {
      CsvReader header_reader(input->get(), 1);
      CsvRecord header;
      const absl::StatusOr<bool> read = header_reader.Next(&header);
      if (!read.ok()) return FileError(read.status().message());
      if (!*read) {
        return FileError(absl::StrCat(
            "empty: an enterprise CSV starts with a header line, e.g. credit_code,name,"
            "region_code,industry_code,registered_capital_yuan,establishment_date,status,"
            "address"));
      }
      if (!header.error.empty()) return FileError(header.error, header.line, "header: ");
      absl::StatusOr<EnterpriseCsvSchema> parsed = EnterpriseCsvSchema::FromHeader(header.fields);
      if (!parsed.ok()) return FileError(parsed.status().message(), header.line, "header: ");
      schema = *std::move(parsed);
      start.offset = header.end_offset;
      start.line = header.end_line;
    } else {
      start.offset = (*input)->offset();
      start.line = 0;
    }
    const std::optional<ImportCheckpoint> resumed = LoadCheckpoint(*fingerprint, start.offset);
    if (resumed.has_value()) start = *resumed;
    if (absl::Status seek = (*input)->Seek(start.offset); !seek.ok()) {
      return FileError(seek.message());
    }

    absl::StatusOr<Connection> connection = Connection::Open(connection_options_);
    if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options_);

    ProgressLine progress(diagnostics_, file_, (*input)->size(), start.offset, absl::Now(),
                          options_.progress_interval);
    LedgerOptions ledger_options;
    ledger_options.file = file_;
    ledger_options.kind = kind_;
    ledger_options.fingerprint = *fingerprint;
    ledger_options.checkpoint_path = CheckpointPath(file_);
    ledger_options.max_errors = options_.max_errors;
    ImportLedger ledger(std::move(ledger_options), start, &progress);
    if (resumed.has_value()) {
      ledger.Note(absl::StrCat("resuming at line ", start.line + 1, ": ", CheckpointPath(file_),
                               " says every row before it is done (", start.accepted, " accepted, ",
                               start.rejected, " rejected); --restart starts over"));
    }

    absl::Notification finished;
    std::thread ticker([&] {
      while (!finished.WaitForNotificationWithTimeout(kProgressTick)) {
        progress.Update(ledger.Snapshot(), absl::Now());
      }
    });
    absl::Status status;
    if (kind_ == kEnterprises) {
      CsvReader reader(input->get(), start.line + 1);
      EnterpriseImportSettings settings;
      settings.batch_size = options_.batch_size;
      status = ImportEnterpriseRows(*connection, *schema, &reader, &ledger, settings);
    } else {
      LineReader reader(input->get(), start.line + 1);
      EventImportSettings settings;
      settings.batch_size = options_.batch_size;
      settings.window = options_.window;
      settings.ack_timeout = connection_options_.call_timeout;
      status = ImportEventLines(*connection, &reader, &ledger, settings);
    }
    finished.Notify();
    ticker.join();
    progress.Finish();
    return Conclude(status, ledger, start);
  }

 private:
  // A file that cannot be imported at all.
  int FileError(absl::string_view message, int64_t line = 0, absl::string_view what = "") {
    if (line > 0) {
      std::fprintf(diagnostics_, "%s:%lld: %s%s\n", file_.c_str(), static_cast<long long>(line),
                   std::string(what).c_str(), std::string(message).c_str());
    } else {
      std::fprintf(diagnostics_, "error: %s: %s\n", file_.c_str(), std::string(message).c_str());
    }
    return kExitUsage;
  }

  void Note(absl::string_view message) {
    std::fprintf(diagnostics_, "%s\n", std::string(message).c_str());
  }

  // The checkpoint to resume from, if there is one for this file as it is now.
  std::optional<ImportCheckpoint> LoadCheckpoint(const FileFingerprint& fingerprint,
                                                 int64_t first_offset) {
    const std::string path = CheckpointPath(file_);
    absl::StatusOr<ImportCheckpoint> checkpoint = ReadCheckpoint(path);
    if (absl::IsNotFound(checkpoint.status())) return std::nullopt;
    if (options_.restart) {
      Note(absl::StrCat("--restart: ignoring ", path, "; starting at the first row"));
      return std::nullopt;
    }
    if (!checkpoint.ok()) {
      Note(absl::StrCat("ignoring ", checkpoint.status().message(), "; starting at the first row"));
      return std::nullopt;
    }
    if (checkpoint->kind != kind_) {
      Note(absl::StrCat("ignoring ", path, ": it is for an import of ", checkpoint->kind,
                        "; starting at the first row"));
      return std::nullopt;
    }
    if (checkpoint->file != fingerprint || checkpoint->offset < first_offset) {
      Note(absl::StrCat("ignoring ", path, ": ", file_,
                        " has changed since it was written; starting at the first row"));
      return std::nullopt;
    }
    return *checkpoint;
  }

  int Conclude(const absl::Status& status, ImportLedger& ledger, const ImportCheckpoint& start) {
    const bool stopped_early = ledger.error_limit_reached() || ledger.input_failed();
    const bool complete = status.ok() && !stopped_early;
    bool saved = true;
    if (complete) {
      if (absl::Status removed = ledger.RemoveCheckpoint(); !removed.ok()) {
        Note(absl::StrCat("warning: ", removed.message()));
      }
    } else {
      saved = ledger.SaveCheckpoint().ok();
    }
    const ImportCheckpoint done = ledger.current();
    std::fprintf(out_, "%s: %lld rows: %lld accepted (%lld %s), %lld rejected", file_.c_str(),
                 static_cast<long long>(done.accepted + done.rejected),
                 static_cast<long long>(done.accepted),
                 static_cast<long long>(kind_ == kEnterprises ? done.changed : done.duplicates),
                 kind_ == kEnterprises ? "changed" : "duplicates",
                 static_cast<long long>(done.rejected));
    const int64_t earlier = start.accepted + start.rejected;
    if (earlier > 0) {
      std::fprintf(out_, " (%lld of them in earlier runs)", static_cast<long long>(earlier));
    }
    if (!complete) {
      std::fprintf(out_, "; stopped before line %lld", static_cast<long long>(done.line + 1));
    }
    std::fputs("\n", out_);
    std::fflush(out_);

    const std::string resume =
        saved ? absl::StrCat("rerun the same command to resume at line ", done.line + 1)
              : "the checkpoint could not be saved, so a rerun starts over (harmless: imports "
                "are idempotent)";
    if (!status.ok()) {
      Note(absl::StrCat("import stopped: every row before line ", done.line + 1, " is done; ",
                        resume));
      return ReportFailure(status, connection_options_);
    }
    if (ledger.error_limit_reached()) {
      Note(absl::StrCat("stopped: more than ", options_.max_errors,
                        " rows rejected (--max_errors); rows from line ", done.line + 1,
                        " on were not imported: fix the file and rerun, or ", resume));
      return kExitRowsRejected;
    }
    if (ledger.input_failed()) {
      Note(absl::StrCat("stopped: rows from line ", done.line + 1,
                        " on were not imported: fix the file and rerun"));
      return kExitRowsRejected;
    }
    return done.rejected > 0 ? kExitRowsRejected : kExitOk;
  }

  const std::string kind_;
  const std::string file_;
  const ImportOptions& options_;
  const ConnectionOptions& connection_options_;
  std::FILE* const out_;
  std::FILE* const diagnostics_;
};

}  // namespace

int RunImportCommand(const std::vector<std::string>& args, const ImportOptions& options,
                     const ConnectionOptions& connection, std::FILE* out) {
  if (args.size() > 2) return Usage("import takes a kind and a file: import events FILE");
  std::string kind = options.kind;
  std::string file = options.file;
  if (!args.empty()) {
    if (!kind.empty() && kind != args[0]) {
      return Usage(absl::StrCat("two kinds given: \"", kind, "\" and \"", args[0], "\""));
    }
    kind = args[0];
  }
  if (args.size() == 2) {
    if (!file.empty() && file != args[1]) {
      return Usage(absl::StrCat("two files given: ", file, " and ", args[1]));
    }
    file = args[1];
  }
  if (kind.empty()) return Usage("missing kind: enterprises or events");
  if (kind != kEnterprises && kind != kEvents) {
    return Usage(absl::StrCat("unknown kind \"", kind, "\" (enterprises or events)"));
  }
  if (file.empty()) return Usage(absl::StrCat("missing file: import ", kind, " FILE"));
  if (options.batch_size < 1 || options.batch_size > kMaxBatchSize) {
    return Usage(absl::StrCat("--batch_size: 1 to ", kMaxBatchSize, ", got ", options.batch_size));
  }
  if (options.window < 1 || options.window > kMaxWindow) {
    return Usage(absl::StrCat("--window: 1 to ", kMaxWindow, ", got ", options.window));
  }
  if (options.max_errors < 0) {
    return Usage(absl::StrCat("--max_errors: 0 (no limit) or more, got ", options.max_errors));
  }
  ImportCommand command(std::move(kind), std::move(file), options, connection, out);
  return command.Run();
}

}  // namespace regulation::regctl
