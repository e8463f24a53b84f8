#include "services/backup/backup_receiver.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <system_error>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/sha256.h"
#include "services/backup/backup_files.h"

namespace regulation::backup {
namespace {

namespace fs = std::filesystem;

absl::Status NotABackup(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("the backup stream is malformed: ", why));
}

}  // namespace

absl::StatusOr<std::unique_ptr<BackupReceiver>> BackupReceiver::Create(const std::string& out_dir) {
  if (out_dir.empty()) return absl::InvalidArgumentError("out: a directory is required");
  const fs::path out = fs::path(out_dir).lexically_normal();
  const std::string partial = out.string() + ".partial";
  std::error_code ec;
  if (fs::exists(out, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("out: ", out.string(), " exists; a backup goes into a new directory"));
  }
  if (fs::exists(partial, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "out: ", partial, " exists: another backup is being written there, or one was "
        "interrupted (remove it)"));
  }
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("out: the directory ", parent.string(), " does not exist"));
  }
  if (absl::Status made = MakeDirectories((fs::path(partial) / kDatabaseDir).string(),
                                                      0700);
      !made.ok()) {
    return made;
  }
  return std::unique_ptr<BackupReceiver>(new BackupReceiver(out.string(), partial));
}

BackupReceiver::~BackupReceiver() {
  if (fd_ >= 0) ::close(fd_);
  if (!finished_) {
    std::error_code ec;
    fs::remove_all(partial_dir_, ec);
  }
}

absl::Status BackupReceiver::Add(const v1::BackupChunk& chunk) {
  if (manifest_seen_) return NotABackup("a message after the manifest");
  switch (chunk.item_case()) {
    case v1::BackupChunk::kFile:
      return AddFileChunk(chunk.file());
    case v1::BackupChunk::kManifest:
      if (fd_ >= 0) return NotABackup(absl::StrCat("the manifest before the end of ", current_));
      manifest_ = chunk.manifest();
      manifest_seen_ = true;
      return absl::OkStatus();
    default:
      return NotABackup("an empty message");
  }
}

absl::Status BackupReceiver::AddFileChunk(const v1::BackupFileChunk& piece) {
  if (fd_ < 0) {
    if (!IsPlainFileName(piece.name())) {
      return NotABackup(absl::StrCat("\"", piece.name(), "\" is not a file name"));
    }
    for (const v1::BackupFile& done : received_) {
      if (done.name() == piece.name()) return NotABackup(absl::StrCat(piece.name(), " sent twice"));
    }
    const std::string path = (fs::path(partial_dir_) / kDatabaseDir / piece.name()).string();
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) return FileErrorStatus(errno, "cannot create", path);
    current_ = piece.name();
    written_ = 0;
    hasher_.Reset();
  } else if (piece.name() != current_) {
    return NotABackup(absl::StrCat(piece.name(), " began before ", current_, " ended"));
  }
  if (piece.offset() != written_) {
    return NotABackup(absl::StrCat(current_, " continues at ", piece.offset(), ", not ", written_));
  }
  const std::string& data = piece.data();
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileErrorStatus(errno, "cannot write", current_);
    }
    done += static_cast<size_t>(n);
  }
  hasher_.Update(data);
  written_ += static_cast<int64_t>(data.size());
  bytes_received_ += static_cast<int64_t>(data.size());
  return piece.last() ? CloseCurrent() : absl::OkStatus();
}

absl::Status BackupReceiver::CloseCurrent() {
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    ::close(fd);
    return FileErrorStatus(errno, "cannot fsync", current_);
  }
  if (::close(fd) != 0) return FileErrorStatus(errno, "cannot close", current_);
  v1::BackupFile file;
  file.set_name(current_);
  file.set_size(written_);
  file.set_sha256(absl::BytesToHexString(hasher_.FinishString()));
  received_.push_back(std::move(file));
  return absl::OkStatus();
}

absl::StatusOr<v1::BackupManifest> BackupReceiver::Finish() {
  if (!manifest_seen_) return absl::DataLossError("the backup stream ended before its manifest");
  if (manifest_.format() != kBackupFormat) {
    return absl::DataLossError(absl::StrCat("the backup is of format ", manifest_.format(),
                                            "; this binary reads ", kBackupFormat));
  }
  std::map<std::string, const v1::BackupFile*> got;
  for (const v1::BackupFile& f : received_) got[f.name()] = &f;
  if (got.size() != static_cast<size_t>(manifest_.files_size())) {
    return absl::DataLossError(absl::StrCat("received ", got.size(), " files; the manifest lists ",
                                            manifest_.files_size()));
  }
  for (const v1::BackupFile& want : manifest_.files()) {
    auto it = got.find(want.name());
    if (it == got.end()) {
      return absl::DataLossError(absl::StrCat(want.name(), " is in the manifest but was not sent"));
    }
    if (it->second->size() != want.size() || it->second->sha256() != want.sha256()) {
      return absl::DataLossError(
          absl::StrCat(want.name(), " arrived different from the manifest's description"));
    }
  }
  const std::string db_dir = (fs::path(partial_dir_) / kDatabaseDir).string();
  if (absl::Status s = SyncDirectory(db_dir); !s.ok()) return s;
  AtomicWriteOptions private_file;
  private_file.mode = 0600;
  if (absl::Status s = WriteFileAtomically(
          (fs::path(partial_dir_) / kManifestFile).string(), ManifestJson(manifest_), private_file);
      !s.ok()) {
    return s;
  }
  std::error_code ec;
  fs::rename(partial_dir_, out_dir_, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("renaming ", partial_dir_, " to ", out_dir_, ": ", ec.message()));
  }
  finished_ = true;
  const fs::path parent = fs::path(out_dir_).has_parent_path() ? fs::path(out_dir_).parent_path()
                                                               : fs::path(".");
  if (absl::Status s = SyncDirectory(parent.string()); !s.ok()) return s;
  return manifest_;
}

}  // namespace regulation::backup
