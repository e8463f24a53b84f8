#ifndef SERVICES_AUDIT_AUDIT_LOG_H_
#define SERVICES_AUDIT_AUDIT_LOG_H_

// The audit trail as stored: an append-only, hash-chained sequence of
// regulation.v1.AuditRecord in the kAudit column family, keyed by sequence (8 bytes,
// big-endian), so a scan in key order is a walk along the chain. The chain is defined
// in audit_chain.h; the access interceptor appends one record per state-changing call
// through the access::AuditSink interface.
//
// Example:
//   REG_ASSIGN_OR_RETURN(std::unique_ptr<AuditLog> log, AuditLog::Open(store, RealClock()));
//   REG_RETURN_IF_ERROR(log->Append(entry));
//
// Thread safety: safe for concurrent use. Appends are serialised by an internal mutex
// held only while the record is chained, written and the head advanced; List takes it
// only to read the head and take a snapshot together.
//
// Durability: each Append is one fsync'ed write of one record: once Append returns OK
// the record survives a crash. The in-memory head advances only after a successful
// write, so a failed Append leaves no gap: the next record takes the same sequence.
//
// Ownership: `store` and `clock` are not owned and must outlive the log.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/v1/audit.pb.h"
#include "regulation/v1/audit_service.pb.h"
#include "services/access/audit_sink.h"
#include "storage/kv_store.h"

namespace regulation::audit {

class AuditLog : public access::AuditSink {
 public:
  // A List call examines at most this many records; a page may then hold fewer than
  // page_size records even though more follow (its next_page_token says so).
  static constexpr int kMaxScannedPerPage = 20000;

  // Opens the trail in `store` and recovers its head (last sequence and hash) from the
  // last stored record, whose hash is recomputed. It does not verify the whole chain:
  // that is AuditChainVerifier's job, on the client side.
  //   DATA_LOSS  the last record is unreadable, its key is malformed or does not match
  //              its sequence, or its hash does not match its content;
  //   other codes as KvStore reports them.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(storage::KvStore* store, Clock* clock);

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `entry` as the next record of the chain and writes it durably. The record's
  // time is entry.time, or the clock's time when entry.time is absl::UnixEpoch() (unset)
  // or infinite. Errors are the store's (UNAVAILABLE, INTERNAL, ...); after one the
  // chain is unchanged.
  absl::Status Append(const access::AuditEntry& entry) override;

  // As Append, in `batch` and written with `options` (which may defer the fsync: a later
  // synced write, or KvStore::SyncWal, makes it durable). The head advances only after the
  // write succeeded. Appends are serialised, so the write happens under the log's mutex.
  absl::Status AppendWithBatch(const access::AuditEntry& entry, storage::WriteBatch batch,
                               const storage::WriteOptions& options) override;

  // Records matching the request's filters in sequence order, one page at a time, read
  // from one snapshot; head_sequence and head_hash describe that same snapshot.
  //   INVALID_ARGUMENT  "start_time: ...", "end_time: ...", "page_size: ...",
  //                     "page_token: ..." (malformed, or issued for other filters);
  //   DATA_LOSS         a stored record is unreadable or its key does not match it.
  absl::StatusOr<v1::ListAuditRecordsResponse> List(const v1::ListAuditRecordsRequest& request);

  // The last record written: sequence (0 when the trail is empty) and record_hash
  // (32 bytes; GenesisHash() when empty).
  uint64_t head_sequence() const ABSL_LOCKS_EXCLUDED(mu_);
  std::string head_hash() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  AuditLog(storage::KvStore* store, Clock* clock, uint64_t head_sequence, std::string head_hash);

  // Constant after construction.
  storage::KvStore* const store_;
  Clock* const clock_;

  mutable absl::Mutex mu_;
  uint64_t head_sequence_ ABSL_GUARDED_BY(mu_);
  std::string head_hash_ ABSL_GUARDED_BY(mu_);
};

// The storage key of record `sequence`: 8 bytes, big-endian.
std::string AuditRecordKey(uint64_t sequence);

}  // namespace regulation::audit

#endif  // SERVICES_AUDIT_AUDIT_LOG_H_
