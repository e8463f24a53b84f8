#ifndef SERVICES_AUDIT_AUDIT_CHAIN_H_
#define SERVICES_AUDIT_AUDIT_CHAIN_H_

// The hash chain of the audit trail, with no storage: how a record's hash is computed,
// and a verifier that walks records in sequence order. The server uses it to chain
// records as it writes them; an auditor's client uses it to check what the server
// returns, without trusting the server.
//
// The chain (proto/regulation/v1/audit.proto):
//
//   record_hash(n)   = SHA-256(previous_hash(n) || S(record n with record_hash cleared))
//   previous_hash(1) = 32 zero bytes
//   previous_hash(n) = record_hash(n - 1)
//
// where S is deterministic protobuf serialization and || concatenation. Sequences
// start at 1 and are consecutive.
//
// Example:
//   AuditChainVerifier verifier;
//   for (const v1::AuditRecord& r : records) REG_RETURN_IF_ERROR(verifier.Add(r));
//   REG_RETURN_IF_ERROR(verifier.CheckHead(saved_sequence, saved_hash_hex));
//
// Thread safety: the free functions are thread-safe. An AuditChainVerifier is not;
// each belongs to one thread at a time.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/audit.pb.h"

namespace regulation::audit {

// Size of every hash in the chain (SHA-256).
inline constexpr size_t kAuditHashSize = 32;

// The previous_hash of record 1, and the head hash of an empty chain: 32 zero bytes.
std::string GenesisHash();

// SHA-256(record.previous_hash() || deterministic serialization of `record` with
// record_hash cleared): the 32 raw bytes record.record_hash() must hold. Ignores the
// record_hash `record` carries.
std::string ComputeRecordHash(const v1::AuditRecord& record);

// "SEQ:HEX", e.g. "17:9f86d0...": how a head is shown to, and saved by, an auditor.
std::string FormatChainHead(uint64_t sequence, absl::string_view hash);

// Checks records one at a time, in sequence order, from record 1.
//
// Memory: it keeps every record's hash (32 bytes a record, 32 MB per million) so that
// CheckHead can check any earlier head; records themselves are not kept.
class AuditChainVerifier {
 public:
  AuditChainVerifier();

  // Checks that `record` follows the records added so far: its sequence is the next
  // one, its record_hash matches its content, and its previous_hash is the previous
  // record's record_hash. OK, or DATA_LOSS naming the sequence and the fault:
  //   "record 17 follows 15: record 16 is missing"
  //   "record 15 follows 15: sequence does not increase (duplicated or reordered)"
  //   "record 17: hash does not match its content (altered)"
  //   "record 9: previous_hash does not match record 8"
  // After a failure the verifier accepts nothing more: every later Add returns the
  // first failure again, and the head stays at the last good record.
  absl::Status Add(const v1::AuditRecord& record);

  // The last record accepted: its sequence (0 before any) and record_hash (32 raw
  // bytes; GenesisHash() before any). Sequences start at 1 without gaps, so
  // head_sequence() is also the number of records accepted.
  uint64_t head_sequence() const { return head_sequence_; }
  std::string head_hash() const;

  // For an auditor who saved an earlier head: OK when the records added so far contain
  // record `expected_sequence` with record_hash `expected_hash_hex` (64 hex digits,
  // either case). Sequence 0 names the empty chain and expects 64 zeros.
  //   INVALID_ARGUMENT  expected_hash_hex is not 64 hex digits;
  //   DATA_LOSS         the chain is shorter ("... records were removed from the end")
  //                     or holds a different hash there ("... the chain was rewritten").
  absl::Status CheckHead(uint64_t expected_sequence, absl::string_view expected_hash_hex) const;

 private:
  // The hash of record `sequence` (0: GenesisHash()). REQUIRES: sequence <= head.
  absl::string_view HashAt(uint64_t sequence) const;

  uint64_t head_sequence_ = 0;
  // GenesisHash() followed by the record_hash of records 1..head_sequence_.
  std::string hashes_;
  // The first failure of Add; OK until then.
  absl::Status failure_;
};

}  // namespace regulation::audit

#endif  // SERVICES_AUDIT_AUDIT_CHAIN_H_
