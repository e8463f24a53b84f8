#include "tools/regctl/import/ledger.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace regulation::regctl {
namespace {

// Drops the server's "events[3]." or "enterprises[3]: " prefix when 3 is `index`: the
// line number says which row it is, and the position in a batch means nothing to the
// user.
absl::string_view StripItemPrefix(absl::string_view message, int index) {
  const size_t open = message.find('[');
  if (open == absl::string_view::npos || open == 0) return message;
  for (size_t i = 0; i < open; ++i) {
    const char c = message[i];
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') return message;
  }
  const size_t close = message.find(']', open);
  if (close == absl::string_view::npos) return message;
  int parsed = -1;
  if (!absl::SimpleAtoi(message.substr(open + 1, close - open - 1), &parsed) || parsed != index) {
    return message;
  }
  absl::string_view rest = message.substr(close + 1);
  if (absl::ConsumePrefix(&rest, ".") || absl::ConsumePrefix(&rest, ": ") ||
      absl::ConsumePrefix(&rest, ":")) {
    return rest.empty() ? message : rest;
  }
  return message;
}

// One line of output per row, whatever a message holds.
std::string OneLine(absl::string_view message) {
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

}  // namespace

ImportLedger::ImportLedger(LedgerOptions options, const ImportCheckpoint& start,
                           ProgressLine* progress)
    : options_(std::move(options)),
      progress_(progress),
      bytes_read_(start.offset),
      current_(start),
      saved_offset_(start.offset),
      last_save_(absl::Now()) {
  current_.kind = options_.kind;
  current_.file = options_.fingerprint;
}

std::string ImportLedger::ItemMessage(const v1::ItemError& error) const {
  std::string message(StripItemPrefix(error.message(), error.index()));
  if (message.empty()) message = "rejected by the server";
  if (error.code() != 0 && error.code() != static_cast<int>(absl::StatusCode::kInvalidArgument)) {
    std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(error.code()));
    if (name.empty()) name = absl::StrCat("code ", error.code());
    absl::StrAppend(&message, " (", name, ")");
  }
  return message;
}

absl::Status ImportLedger::Complete(const ImportChunk& chunk, const ChunkOutcome& outcome) {
  const int64_t items = static_cast<int64_t>(chunk.item_lines.size());
  absl::flat_hash_set<int> indexes;
  for (const v1::ItemError& error : outcome.errors) {
    if (error.index() < 0 || error.index() >= items || !indexes.insert(error.index()).second) {
      return absl::InternalError(absl::StrCat(
          "the server's answer to batch ", chunk.batch_number, " reports item ", error.index(),
          indexes.contains(error.index()) ? " twice" : "", " of ", items));
    }
  }
  if (outcome.accepted < 0 || outcome.accepted + static_cast<int64_t>(indexes.size()) != items) {
    return absl::InternalError(absl::StrCat("the server's answer to batch ", chunk.batch_number,
                                            " accounts for ", outcome.accepted, " accepted and ",
                                            indexes.size(), " rejected of ", items, " items"));
  }

  std::vector<RowError> rejected = chunk.parse_errors;
  for (const v1::ItemError& error : outcome.errors) {
    rejected.push_back({chunk.item_lines[static_cast<size_t>(error.index())], ItemMessage(error)});
  }
  std::stable_sort(rejected.begin(), rejected.end(),
                   [](const RowError& a, const RowError& b) { return a.line < b.line; });

  absl::MutexLock lock(&mu_);
  for (const RowError& row : rejected) {
    progress_->Print(absl::StrCat(options_.file, ":", row.line, ": ", OneLine(row.message)));
  }
  current_.offset = chunk.end_offset;
  current_.line = chunk.end_line;
  current_.accepted += outcome.accepted;
  current_.changed += outcome.changed;
  current_.duplicates += outcome.duplicates;
  current_.rejected += static_cast<int64_t>(rejected.size());
  run_rows_ += outcome.accepted + static_cast<int64_t>(rejected.size());
  run_rejected_ += static_cast<int64_t>(rejected.size());
  if (absl::Now() - last_save_ >= options_.checkpoint_interval) SaveLocked().IgnoreError();
  return absl::OkStatus();
}

void ImportLedger::ReportInputFailure(int64_t line, absl::string_view message) {
  absl::MutexLock lock(&mu_);
  input_failed_ = true;
  progress_->Print(absl::StrCat(options_.file, ":", line, ": ", OneLine(message)));
}

void ImportLedger::Note(absl::string_view message) { progress_->Print(message); }

bool ImportLedger::error_limit_reached() const {
  absl::MutexLock lock(&mu_);
  return options_.max_errors > 0 && run_rejected_ > options_.max_errors;
}

bool ImportLedger::input_failed() const {
  absl::MutexLock lock(&mu_);
  return input_failed_;
}

ImportCheckpoint ImportLedger::current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

ProgressSnapshot ImportLedger::Snapshot() const {
  ProgressSnapshot snapshot;
  snapshot.bytes_read = bytes_read_.load(std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  snapshot.rows = run_rows_;
  snapshot.rejected = run_rejected_;
  return snapshot;
}

absl::Status ImportLedger::SaveCheckpoint() {
  absl::MutexLock lock(&mu_);
  return SaveLocked();
}

absl::Status ImportLedger::SaveLocked() {
  last_save_ = absl::Now();
  if (current_.offset == saved_offset_) return absl::OkStatus();
  absl::Status status = WriteCheckpoint(options_.checkpoint_path, current_);
  if (!status.ok()) {
    if (!save_warned_) {
      save_warned_ = true;
      progress_->Print(absl::StrCat("warning: cannot save the checkpoint (", status.message(),
                                    "); the import goes on but a rerun would start over"));
    }
    return status;
  }
  saved_offset_ = current_.offset;
  return absl::OkStatus();
}

absl::Status ImportLedger::RemoveCheckpoint() {
  absl::MutexLock lock(&mu_);
  return regctl::RemoveCheckpoint(options_.checkpoint_path);
}

}  // namespace regulation::regctl
