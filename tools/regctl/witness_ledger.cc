#include "tools/regctl/witness_ledger.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/files.h"

namespace regulation::regctl {
namespace {

constexpr char kHeader[] = "# regctl witness ledger: plan\tround\tcommitment\tvalue\tsigned_at\treason\n";

bool HasBreak(const std::string& s) { return s.find_first_of("\t\n\r") != std::string::npos; }

}  // namespace

std::string LedgerPathForKey(const std::string& key_path) {
  const size_t slash = key_path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : key_path.substr(0, slash);
  return absl::StrCat(dir.empty() ? "/" : dir, "/witness.ledger");
}

absl::StatusOr<WitnessLedger> LoadWitnessLedger(const std::string& path) {
  WitnessLedger ledger;
  ledger.path = path;
  absl::StatusOr<std::string> data = ReadWholeFile(path);
  if (absl::IsNotFound(data.status())) return ledger;
  if (!data.ok()) return data.status();
  ledger.contents = *std::move(data);
  if (!ledger.contents.empty() && ledger.contents.back() != '\n') {
    return absl::InvalidArgumentError(absl::StrCat(path, ": the last line is incomplete"));
  }
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(ledger.contents, '\n', absl::SkipEmpty())) {
    ++line_number;
    if (line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    LedgerEntry e;
    if (f.size() != 6 || f[0].empty() || !absl::SimpleAtoi(f[1], &e.round) || e.round < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": line ", line_number, " is not plan, round, commitment, value, "
                       "signed_at, reason separated by tabs"));
    }
    e.plan_id = f[0];
    e.commitment = f[2];
    e.value = f[3];
    e.signed_at = f[4];
    e.forced_reason = f[5] == "-" ? "" : f[5];
    ledger.entries.push_back(std::move(e));
  }
  return ledger;
}

std::optional<LedgerEntry> FindSigned(const WitnessLedger& ledger, const std::string& plan_id,
                                      int64_t round) {
  for (const LedgerEntry& e : ledger.entries) {
    if (e.plan_id == plan_id && e.round == round) return e;
  }
  return std::nullopt;
}

absl::Status AppendToLedger(WitnessLedger* ledger, const LedgerEntry& entry) {
  for (const std::string* field : {&entry.plan_id, &entry.commitment, &entry.value,
                                   &entry.signed_at, &entry.forced_reason}) {
    if (HasBreak(*field)) {
      return absl::InvalidArgumentError("ledger entry: a field holds a tab or a line break");
    }
  }
  // Refuse to overwrite what another signer appended since we read the file.
  absl::StatusOr<std::string> now = ReadWholeFile(ledger->path);
  const std::string current = now.ok() ? *now : "";
  if (!now.ok() && !absl::IsNotFound(now.status())) return now.status();
  if (current != ledger->contents) {
    return absl::FailedPreconditionError(absl::StrCat(
        ledger->path, " changed while this statement was prepared (another signer?); run "
                      "again"));
  }
  std::string next = ledger->contents.empty() ? kHeader : ledger->contents;
  absl::StrAppend(&next, absl::StrJoin({entry.plan_id, absl::StrCat(entry.round), entry.commitment,
                                        entry.value, entry.signed_at,
                                        entry.forced_reason.empty() ? std::string("-")
                                                                    : entry.forced_reason},
                                       "\t"),
                  "\n");
  if (absl::Status written = WriteFileAtomically(ledger->path, next); !written.ok()) {
    return written;
  }
  ledger->contents = std::move(next);
  ledger->entries.push_back(entry);
  return absl::OkStatus();
}

}  // namespace regulation::regctl
