#include "services/backup/restore.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "services/backup/backup_files.h"

namespace regulation::backup {

namespace fs = std::filesystem;

absl::StatusOr<v1::BackupManifest> RestoreBackup(const std::string& backup_dir,
                                                 const std::string& data_dir) {
  absl::StatusOr<v1::BackupManifest> manifest = VerifyBackup(backup_dir);
  if (!manifest.ok()) return manifest.status();
  const fs::path target = fs::path(data_dir) / kDatabaseDir;
  std::error_code ec;
  if (fs::exists(target, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        target.string(), " exists: a backup is restored into a new data directory only"));
  }
  if (absl::Status made = MakeDirectories(data_dir, 0700); !made.ok()) return made;
  const fs::path staging = fs::path(data_dir) / (std::string(kDatabaseDir) + ".restoring");
  fs::remove_all(staging, ec);  // what an interrupted restore left
  if (absl::Status made = MakeDirectories(staging.string(), 0700); !made.ok()) {
    return made;
  }
  const fs::path source = fs::path(backup_dir) / kDatabaseDir;
  for (const v1::BackupFile& file : manifest->files()) {
    if (absl::Status copied =
            CopyFile((source / file.name()).string(), (staging / file.name()).string());
        !copied.ok()) {
      fs::remove_all(staging, ec);
      return copied;
    }
  }
  if (absl::Status synced = SyncDirectory(staging.string()); !synced.ok()) {
    return synced;
  }
  fs::rename(staging, target, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("renaming ", staging.string(), " to ", target.string(), ": ", ec.message()));
  }
  if (absl::Status synced = SyncDirectory(data_dir); !synced.ok()) return synced;
  return manifest;
}

}  // namespace regulation::backup
