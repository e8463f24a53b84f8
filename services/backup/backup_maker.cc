#include "services/backup/backup_maker.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/sha256.h"
#include "services/backup/backup_files.h"
#include "services/common/proto_time.h"

namespace regulation::backup {
namespace {

namespace fs = std::filesystem;

// Removes a directory tree when it goes out of scope.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(std::string dir) : dir_(std::move(dir)) {}
  ~RemoveOnExit() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

 private:
  const std::string dir_;
};

absl::Status ClearStaging(const std::string& staging_dir) {
  std::error_code ec;
  for (fs::directory_iterator it(staging_dir, ec), end; !ec && it != end; it.increment(ec)) {
    fs::remove_all(it->path(), ec);
    if (ec) break;
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("clearing the backup staging directory ", staging_dir, ": ", ec.message()));
  }
  return absl::OkStatus();
}

// Streams one file in chunks, hashing it as it goes; fills `described`.
absl::Status StreamFile(const std::string& dir, const std::string& name,
                        const std::function<bool(const v1::BackupChunk&)>& emit,
                        v1::BackupFile* described) {
  Sha256Hasher hasher;
  v1::BackupChunk chunk;
  v1::BackupFileChunk* piece = chunk.mutable_file();
  piece->set_name(name);
  int64_t offset = 0;
  absl::Status sent = ReadInBlocks(
      (fs::path(dir) / name).string(), BackupMaker::kChunkBytes,
      [&](absl::string_view block, bool last) {
        hasher.Update(block);
        piece->set_offset(offset);
        piece->set_data(block.data(), block.size());
        piece->set_last(last);
        offset += static_cast<int64_t>(block.size());
        if (!emit(chunk)) return absl::CancelledError("the client went away during the backup");
        return absl::OkStatus();
      });
  described->set_name(name);
  described->set_size(offset);
  described->set_sha256(absl::BytesToHexString(hasher.FinishString()));
  return sent;
}

}  // namespace

absl::Status BackupMaker::Run(const std::function<bool(const v1::BackupChunk&)>& emit) {
  if (sources_.staging_dir.empty()) {
    return absl::FailedPreconditionError(
        "this server has no backup staging directory (regulatord makes one in its data "
        "directory)");
  }
  if (!mu_.TryLock()) {
    return absl::AbortedError("another backup is running; try again when it has finished");
  }
  absl::Status status = RunLocked(emit);
  mu_.Unlock();
  return status;
}

absl::Status BackupMaker::RunLocked(const std::function<bool(const v1::BackupChunk&)>& emit) {
  v1::BackupManifest manifest;
  manifest.set_format(kBackupFormat);
  *manifest.mutable_create_time() = services::ToProtoTimestamp(sources_.clock->Now());
  if (sources_.log != nullptr) {
    manifest.set_log_verifier_key(sources_.log->VerifierKey());
    manifest.set_log_checkpoint(sources_.log->Checkpoint().note);
  }
  if (sources_.audit_log != nullptr) {
    manifest.set_audit_head_sequence(sources_.audit_log->head_sequence());
    manifest.set_audit_head_hash(sources_.audit_log->head_hash());
  }

  if (absl::Status made = MakeDirectories(sources_.staging_dir, 0700); !made.ok()) {
    return made;
  }
  if (absl::Status cleared = ClearStaging(sources_.staging_dir); !cleared.ok()) return cleared;
  const std::string checkpoint_dir = (fs::path(sources_.staging_dir) / "checkpoint").string();
  RemoveOnExit remove(checkpoint_dir);
  if (absl::Status made = sources_.store->Checkpoint(checkpoint_dir); !made.ok()) {
    if (absl::IsUnimplemented(made)) return absl::FailedPreconditionError(made.message());
    return made;
  }
  absl::StatusOr<std::vector<std::string>> names = ListFiles(checkpoint_dir);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    if (absl::Status sent = StreamFile(checkpoint_dir, name, emit, manifest.add_files());
        !sent.ok()) {
      return sent;
    }
  }
  v1::BackupChunk last;
  *last.mutable_manifest() = std::move(manifest);
  if (!emit(last)) return absl::CancelledError("the client went away during the backup");
  return absl::OkStatus();
}

}  // namespace regulation::backup
