#ifndef SERVICES_BACKUP_FENCE_DECISION_H_
#define SERVICES_BACKUP_FENCE_DECISION_H_

// Whether the disclosure log may sign when regulatord starts (log_fence.h explains
// why it might not). Run before the server starts, over the opened store:
//
//   1. The published checkpoints to respect: the fence file an earlier refusal left in
//      the data directory, the operator's --published_checkpoint, and, right after a
//      restore, the checkpoint the backup's manifest names (which the restored log must
//      extend, or the backup is damaged: DATA_LOSS).
//   2. Each is checked against the log (CheckPublished). A checkpoint that is not this
//      log's is INVALID_ARGUMENT: the operator handed in the wrong file.
//   3. When one is not extended by the log: with `accept_fork_risk`, an audit record
//      ("regulatord/AcceptLogForkRisk", the checkpoint's SHA-256 as its request digest,
//      the reason as its message) is written first, then the fence file is removed and
//      the log may sign; without it, the fence file is (re)written and the reason is
//      returned: the server starts, serves, and refuses every append.
//
// Thread safety: call once, before the server opens the store's log.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "disclosure/signing_key.h"
#include "storage/kv_store.h"

namespace regulation::backup {

struct FenceOptions {
  // The data directory (for the fence file). Required.
  std::string data_dir;
  // A published checkpoint note to respect (the file's contents); empty for none.
  std::string published_checkpoint;
  // The checkpoint of a backup just restored; empty when not restoring.
  std::string restored_from_checkpoint;
  // Sign even so, recording the decision in the audit trail.
  bool accept_fork_risk = false;
  Clock* clock = RealClock();
};

// The reason the log must not sign, or nullopt when it may. Errors: INVALID_ARGUMENT
// for a published checkpoint of another log; DATA_LOSS when a restored log does not
// extend its own backup's checkpoint; storage, audit and file errors otherwise.
absl::StatusOr<std::optional<std::string>> DecideLogFence(storage::KvStore* store,
                                                          const disclosure::SigningKey& key,
                                                          const FenceOptions& options);

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_FENCE_DECISION_H_
