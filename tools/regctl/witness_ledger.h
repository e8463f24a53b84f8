#ifndef TOOLS_REGCTL_WITNESS_LEDGER_H_
#define TOOLS_REGCTL_WITNESS_LEDGER_H_

// The entropy witness's ledger of what it signed (docs/entropy.md §4, "The witness's
// ledger"): one line per statement, kept beside the witness's key (DIR/witness.ledger).
// A witness that signs two values for the same plan and round hands the drawing party a
// choice between two draws; the ledger lets `regctl witness sign` refuse that, unless
// the operator forces it with a reason, which is recorded.
//
// File format, UTF-8, one statement per line, fields separated by one tab (no field can
// hold a tab: plan ids and reasons have no control characters):
//   <plan id> \t <round> \t <commitment> \t <value> \t <signed at> \t <reason or "-">
// Lines starting with '#' are comments. The file only grows: Append rewrites it whole
// (the old lines, byte for byte, then the new one) under a temporary name, fsyncs and
// renames it, so a crash leaves the old ledger or the new one, never a part.
//
// Status codes: INVALID_ARGUMENT for a malformed ledger (naming the line) or a field with
// a tab or newline; FAILED_PRECONDITION when the ledger changed under Append (another
// signer ran at the same time); file errors as they occur.
//
// Thread safety: functions are thread-safe; two processes appending to one ledger are
// detected (FAILED_PRECONDITION), not merged.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace regulation::regctl {

struct LedgerEntry {
  std::string plan_id;
  int64_t round = 0;
  std::string commitment;
  std::string value;
  std::string signed_at;
  // Why a second statement for the same plan and round was signed; empty otherwise.
  std::string forced_reason;
};

struct WitnessLedger {
  std::string path;
  // The file's bytes as read (Append checks it did not change since).
  std::string contents;
  std::vector<LedgerEntry> entries;
};

// DIR/witness.ledger for the key file DIR/witness.key (the key's directory).
std::string LedgerPathForKey(const std::string& key_path);

// Reads the ledger at `path`; a missing file is an empty ledger.
absl::StatusOr<WitnessLedger> LoadWitnessLedger(const std::string& path);

// The first entry for `plan_id` and `round`, if any.
std::optional<LedgerEntry> FindSigned(const WitnessLedger& ledger, const std::string& plan_id,
                                      int64_t round);

// Appends `entry` to the file (see above) and to `ledger`.
absl::Status AppendToLedger(WitnessLedger* ledger, const LedgerEntry& entry);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_WITNESS_LEDGER_H_
