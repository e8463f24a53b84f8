#ifndef SERVICES_ACCESS_AUDIT_SINK_H_
#define SERVICES_ACCESS_AUDIT_SINK_H_

// Where the access interceptor sends the record of each state-changing call. The
// audit trail (services/audit) implements it; access control does not depend on how
// records are stored.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"

namespace regulation::access {

// One state-changing call, as the interceptor saw it.
struct AuditEntry {
  absl::Time time;
  // The caller, or, when no identity could be established, a caller whose subject
  // says why (e.g. "unauthenticated: certificate expired") and whose roles are empty.
  Caller caller;
  // Full gRPC method name, "/regulation.v1.PortraitService/UpsertEnterprise".
  std::string method;
  // SHA-256 (32 raw bytes) over the serialized request messages, in order.
  std::string request_digest;
  // Number of request messages (1 for unary calls).
  int64_t request_count = 0;
  // The status the caller receives (for a record written with stored events while the
  // call runs: OK, with a note).
  absl::Status outcome;
  // Events stored by the same write as the record (AppendWithBatch); 0 otherwise.
  int64_t events_stored = 0;
  // The call's request id (services/common/request_id.h); empty when none.
  std::string request_id;
};

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Appends `entry` durably before returning. Called concurrently from many threads,
  // before the call's status is sent. A failure is logged by the caller; the call's
  // own status is not changed.
  virtual absl::Status Append(const AuditEntry& entry) = 0;

  // Adds `entry`'s record to `batch` and writes the batch with `options`, so that the
  // record and the change it accounts for are stored together or not at all. Not OK when
  // the write failed: then neither was written. Called concurrently from many threads.
  virtual absl::Status AppendWithBatch(const AuditEntry& entry, storage::WriteBatch batch,
                                       const storage::WriteOptions& options) = 0;
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_AUDIT_SINK_H_
