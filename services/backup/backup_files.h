#ifndef SERVICES_BACKUP_BACKUP_FILES_H_
#define SERVICES_BACKUP_BACKUP_FILES_H_

// The files of a backup: the layout of a backup directory, and reading, checking and
// copying its files.
//
//   BACKUP/MANIFEST.json   regulation.v1.BackupManifest in canonical JSON, written last:
//                          a directory without it is an incomplete backup
//   BACKUP/rocksdb/        the database files the manifest lists (a RocksDB checkpoint)
//
// The disclosure log's signing key is not part of a backup (docs/operations.md).
//
// Thread safety: the functions are thread-safe; two of them on one directory race.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/admin_service.pb.h"

namespace regulation::backup {

inline constexpr char kManifestFile[] = "MANIFEST.json";
inline constexpr char kDatabaseDir[] = "rocksdb";
inline constexpr int kBackupFormat = 1;

// A name a backup may hold: not empty, not "." or "..", no '/' and no NUL.
bool IsPlainFileName(absl::string_view name);

// The regular files directly in `dir`, by name. INTERNAL naming the directory when it
// cannot be read; FAILED_PRECONDITION when it holds anything but regular files.
absl::StatusOr<std::vector<std::string>> ListFiles(const std::string& dir);

// Reads `path` in blocks of `block_bytes` (every block full but the last, which may be
// empty) and hands each to `use`, with `last` set on the last one. Stops at the first
// error `use` returns. NOT_FOUND when the file does not exist; INTERNAL naming it for
// other failures.
absl::Status ReadInBlocks(const std::string& path, size_t block_bytes,
                          const std::function<absl::Status(absl::string_view block, bool last)>& use);

// Size and SHA-256 of `dir`/`name`, read in full. Errors name the file.
absl::StatusOr<v1::BackupFile> DescribeFile(const std::string& dir, const std::string& name);

// Copies `from` to `to` (which must not exist), fsyncs it, mode 0600.
absl::Status CopyFile(const std::string& from, const std::string& to);

// The manifest as stored; and reading it back. INVALID_ARGUMENT for a file that is not
// a manifest, or of a format this binary does not know.
std::string ManifestJson(const v1::BackupManifest& manifest);
absl::StatusOr<v1::BackupManifest> ParseManifestJson(absl::string_view json);

// Checks a backup directory: its manifest, and every file it lists in rocksdb/ (size
// and SHA-256); no other file may be there. NOT_FOUND without a manifest (an incomplete
// backup); DATA_LOSS naming the first file that differs or is missing.
absl::StatusOr<v1::BackupManifest> VerifyBackup(const std::string& backup_dir);

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_BACKUP_FILES_H_
