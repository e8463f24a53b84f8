#ifndef SCHEDULER_ENTROPY_STATEMENT_H_
#define SCHEDULER_ENTROPY_STATEMENT_H_

// A source's value for one round, with the evidence that lets anyone check it
// (regulation.v1.EntropyStatement; docs/draw-spec.md §4.3), and its form in the bundle:
//
//   {"source_id":"notary-hz","witness":{"statement":"...","signature":"<hex>"}}
//   {"source_id":"nist","beacon_pulse":"<the pulse JSON, verbatim>"}
//   {"source_id":"lottery","unchecked_value":"07 12 19 23 31 + 05"}
//
// statement_check.h checks one against its committed source.
//
// Thread safety: value types and stateless functions.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scheduler/json.h"

namespace regulation::scheduler {

struct EntropyStatement {
  enum class Evidence { kWitness, kBeaconPulse, kUncheckedValue };

  std::string source_id;
  Evidence evidence = Evidence::kWitness;
  // kWitness: the canonical statement text; kBeaconPulse: the pulse JSON as the beacon
  // published it; kUncheckedValue: the value as announced.
  std::string text;
  // kWitness: the signature, lowercase hex; otherwise "".
  std::string signature_hex;

  bool operator==(const EntropyStatement& other) const {
    return source_id == other.source_id && evidence == other.evidence && text == other.text &&
           signature_hex == other.signature_hex;
  }
};

// Statements are at most this long (a NIST pulse is about 3 KiB).
inline constexpr size_t kMaxStatementBytes = 16 * 1024;

// "witness", "beacon_pulse", "unchecked_value": the member naming the evidence.
absl::string_view EvidenceName(EntropyStatement::Evidence evidence);

// The bundle's "statements" array, canonical. REQUIRES: valid UTF-8 strings.
void AppendStatementsJson(std::string* out, const std::vector<EntropyStatement>& statements);

// Reads what AppendStatementsJson writes: DATA_LOSS "<where>[i]...: <what>" for a wrong
// member, type, a source id that is not 1-64 of [A-Za-z0-9._-], text that is empty or
// above kMaxStatementBytes, or a signature that is not lowercase hex.
absl::Status ReadStatementsJson(const JsonValue& value, absl::string_view where,
                                std::vector<EntropyStatement>* statements);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_ENTROPY_STATEMENT_H_
