#ifndef SERVICES_BACKUP_BACKUP_MAKER_H_
#define SERVICES_BACKUP_BACKUP_MAKER_H_

// The server's side of a backup (AdminService.Backup): a RocksDB checkpoint of the
// whole store, taken while the server goes on serving, streamed file by file and then
// described by a manifest.
//
//   1. The manifest records the disclosure log's latest checkpoint and the audit
//      trail's head as they stand now: the copy holds at least those.
//   2. KvStore::Checkpoint writes the copy into a fresh directory under the staging
//      directory (table files hard-linked, so it costs little space and time): every
//      write that returned before this step, synced or not, is in it.
//   3. Each file is sent in chunks of kChunkBytes with its SHA-256 in the manifest, and
//      the manifest last. The staging copy is removed whatever happens.
//
// Thread safety: safe; one backup runs at a time (a second is ABORTED).
// Ownership: the sources are not owned and must outlive the maker.

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "disclosure/transparency_log.h"
#include "regulation/v1/admin_service.pb.h"
#include "services/audit/audit_log.h"
#include "storage/kv_store.h"

namespace regulation::backup {

struct BackupSources {
  storage::KvStore* store = nullptr;
  // May be null (then the manifest says nothing of the log or the audit trail).
  const disclosure::TransparencyLog* log = nullptr;
  const audit::AuditLog* audit_log = nullptr;
  // Where checkpoints are made before they are streamed; on the data directory's file
  // system so that table files are linked, not copied. Its contents belong to the maker
  // (leftovers of an interrupted backup are removed). Empty: backups are refused.
  std::string staging_dir;
  Clock* clock = RealClock();
};

class BackupMaker {
 public:
  static constexpr size_t kChunkBytes = 1 << 20;

  explicit BackupMaker(BackupSources sources) : sources_(std::move(sources)) {}

  // Streams one backup through `emit`, which returns false when the receiver is gone.
  // ABORTED while another backup runs; FAILED_PRECONDITION without a staging directory
  // or when the store cannot make checkpoints; CANCELLED when `emit` returned false;
  // storage and file-system errors otherwise.
  absl::Status Run(const std::function<bool(const v1::BackupChunk&)>& emit)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Status RunLocked(const std::function<bool(const v1::BackupChunk&)>& emit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const BackupSources sources_;
  absl::Mutex mu_;
};

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_BACKUP_MAKER_H_
