#ifndef SERVICES_BACKUP_BACKUP_RECEIVER_H_
#define SERVICES_BACKUP_BACKUP_RECEIVER_H_

// The client's side of a backup (`regctl admin backup --out=DIR`): writes the streamed
// files into "DIR.partial/rocksdb/", checks every file against the manifest that ends
// the stream (size and SHA-256, nothing missing, nothing extra), writes
// DIR.partial/MANIFEST.json, fsyncs, and renames DIR.partial to DIR. So DIR exists only
// once the backup is complete; a failed or interrupted one leaves no DIR (and its
// partial directory is removed).
//
// Thread safety: one receiver belongs to one thread.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/sha256.h"
#include "regulation/v1/admin_service.pb.h"

namespace regulation::backup {

class BackupReceiver {
 public:
  // FAILED_PRECONDITION when `out_dir` (or its partial directory) exists, or its parent
  // does not; INTERNAL when the partial directory cannot be made.
  static absl::StatusOr<std::unique_ptr<BackupReceiver>> Create(const std::string& out_dir);
  // Removes the partial directory unless Finish succeeded.
  ~BackupReceiver();
  BackupReceiver(const BackupReceiver&) = delete;
  BackupReceiver& operator=(const BackupReceiver&) = delete;

  // One message of the stream, in order. INVALID_ARGUMENT for a stream that is not a
  // backup (a name that is not a plain file name, a chunk out of place, anything after
  // the manifest); INTERNAL when a file cannot be written.
  absl::Status Add(const v1::BackupChunk& chunk);

  // After the last message. DATA_LOSS when the files do not match the manifest (or no
  // manifest came); then nothing is left behind.
  absl::StatusOr<v1::BackupManifest> Finish();

  // Bytes of database files received so far.
  int64_t bytes_received() const { return bytes_received_; }

 private:
  BackupReceiver(std::string out_dir, std::string partial_dir)
      : out_dir_(std::move(out_dir)), partial_dir_(std::move(partial_dir)) {}

  absl::Status AddFileChunk(const v1::BackupFileChunk& piece);
  absl::Status CloseCurrent();

  const std::string out_dir_;
  const std::string partial_dir_;
  bool finished_ = false;
  // The file being received: name, descriptor, and what has been written.
  std::string current_;
  int fd_ = -1;
  int64_t written_ = 0;
  Sha256Hasher hasher_;
  std::vector<v1::BackupFile> received_;
  bool manifest_seen_ = false;
  v1::BackupManifest manifest_;
  int64_t bytes_received_ = 0;
};

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_BACKUP_RECEIVER_H_
