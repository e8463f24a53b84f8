#ifndef SERVICES_BACKUP_RESTORE_H_
#define SERVICES_BACKUP_RESTORE_H_

// Restoring a backup into a new data directory (regulatord --restore_from=BACKUP):
// the backup is verified in full (VerifyBackup) before anything is written, its files
// are copied into DATA_DIR/rocksdb.restoring and fsynced, and that directory is renamed
// to DATA_DIR/rocksdb only when complete. An existing database is never overwritten.
//
// What a restore does not do: bring the signing key (the operator puts the key, backed
// up separately, at DATA_DIR/log-signing-key.pem first; regulatord checks it against
// the manifest), or decide whether the restored log may sign again (log_fence.h).
//
// Thread safety: one restore per data directory.

#include <string>

#include "absl/status/statusor.h"
#include "regulation/v1/admin_service.pb.h"

namespace regulation::backup {

// Errors: those of VerifyBackup (NOT_FOUND for an incomplete backup, DATA_LOSS for a
// damaged one); FAILED_PRECONDITION when DATA_DIR/rocksdb exists; INTERNAL for file-system
// failures (DATA_DIR/rocksdb then does not exist).
absl::StatusOr<v1::BackupManifest> RestoreBackup(const std::string& backup_dir,
                                                 const std::string& data_dir);

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_RESTORE_H_
