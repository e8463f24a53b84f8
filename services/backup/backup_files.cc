#include "services/backup/backup_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>
#include <system_error>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/sha256.h"
#include "google/protobuf/util/json_util.h"

namespace regulation::backup {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBufferBytes = 1 << 20;

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting a failure (a write that never reached the disk).
  int Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd);
  }

 private:
  int fd_;
};

std::string Path(const std::string& dir, absl::string_view name) {
  return (fs::path(dir) / std::string(name)).string();
}

}  // namespace

bool IsPlainFileName(absl::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find('/') == absl::string_view::npos && name.find('\0') == absl::string_view::npos;
}

absl::StatusOr<std::vector<std::string>> ListFiles(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) {
      return absl::FailedPreconditionError(
          absl::StrCat(it->path().string(), " is not a regular file"));
    }
    names.push_back(it->path().filename().string());
  }
  if (ec) return absl::InternalError(absl::StrCat("reading ", dir, ": ", ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status ReadInBlocks(const std::string& path, size_t block_bytes,
                          const std::function<absl::Status(absl::string_view, bool)>& use) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return FileErrorStatus(errno, "cannot open", path);
  }
  std::string buffer(block_bytes, '\0');
  while (true) {
    size_t filled = 0;
    // Fill the whole block, so that a short one means the end of the file.
    while (filled < buffer.size()) {
      const ssize_t n = ::read(fd.get(), buffer.data() + filled, buffer.size() - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return FileErrorStatus(errno, "cannot read", path);
      if (n == 0) break;
      filled += static_cast<size_t>(n);
    }
    const bool last = filled < buffer.size();
    if (absl::Status used = use(absl::string_view(buffer.data(), filled), last); !used.ok()) {
      return used;
    }
    if (last) return absl::OkStatus();
  }
}

absl::StatusOr<v1::BackupFile> DescribeFile(const std::string& dir, const std::string& name) {
  Sha256Hasher hasher;
  int64_t size = 0;
  absl::Status read = ReadInBlocks(Path(dir, name), kBufferBytes, [&](absl::string_view block, bool) {
    hasher.Update(block);
    size += static_cast<int64_t>(block.size());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  v1::BackupFile file;
  file.set_name(name);
  file.set_size(size);
  file.set_sha256(absl::BytesToHexString(hasher.FinishString()));
  return file;
}

absl::Status CopyFile(const std::string& from, const std::string& to) {
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (out.get() < 0) return FileErrorStatus(errno, "cannot create", to);
  absl::Status copied = ReadInBlocks(from, kBufferBytes, [&](absl::string_view block, bool) {
    while (!block.empty()) {
      const ssize_t w = ::write(out.get(), block.data(), block.size());
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return FileErrorStatus(errno, "cannot write", to);
      block.remove_prefix(static_cast<size_t>(w));
    }
    return absl::OkStatus();
  });
  if (!copied.ok()) return copied;
  if (::fsync(out.get()) != 0) return FileErrorStatus(errno, "cannot fsync", to);
  if (out.Close() != 0) return FileErrorStatus(errno, "cannot close", to);
  return absl::OkStatus();
}

std::string ManifestJson(const v1::BackupManifest& manifest) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  // A manifest holds only strings, numbers and a timestamp: printing cannot fail.
  (void)google::protobuf::util::MessageToJsonString(manifest, &json, options);
  return json;
}

absl::StatusOr<v1::BackupManifest> ParseManifestJson(absl::string_view json) {
  v1::BackupManifest manifest;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &manifest).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(kManifestFile, " is not a backup manifest"));
  }
  if (manifest.format() != kBackupFormat) {
    return absl::InvalidArgumentError(absl::StrCat(kManifestFile, " is of format ",
                                                   manifest.format(), "; this binary reads ",
                                                   kBackupFormat));
  }
  for (const v1::BackupFile& file : manifest.files()) {
    if (!IsPlainFileName(file.name())) {
      return absl::InvalidArgumentError(
          absl::StrCat(kManifestFile, " lists \"", file.name(), "\", which is not a file name"));
    }
  }
  return manifest;
}

absl::StatusOr<v1::BackupManifest> VerifyBackup(const std::string& backup_dir) {
  const std::string manifest_path = Path(backup_dir, kManifestFile);
  absl::StatusOr<std::string> json = ReadWholeFile(manifest_path);
  if (absl::IsNotFound(json.status())) {
    return absl::NotFoundError(absl::StrCat(
        "no ", manifest_path, ": not a backup, or an incomplete one (it is written last)"));
  }
  if (!json.ok()) return json.status();
  absl::StatusOr<v1::BackupManifest> manifest = ParseManifestJson(*json);
  if (!manifest.ok()) return manifest.status();
  const std::string db_dir = Path(backup_dir, kDatabaseDir);
  absl::StatusOr<std::vector<std::string>> present = ListFiles(db_dir);
  if (!present.ok()) return present.status();
  std::set<std::string> listed;
  for (const v1::BackupFile& want : manifest->files()) {
    listed.insert(want.name());
    absl::StatusOr<v1::BackupFile> got = DescribeFile(db_dir, want.name());
    if (absl::IsNotFound(got.status())) {
      return absl::DataLossError(absl::StrCat("backup file ", want.name(), " is missing"));
    }
    if (!got.ok()) return got.status();
    if (got->size() != want.size() || got->sha256() != want.sha256()) {
      return absl::DataLossError(absl::StrCat("backup file ", want.name(), " differs from the manifest (",
                                              got->size(), " bytes, SHA-256 ", got->sha256(),
                                              "; expected ", want.size(), " bytes, ",
                                              want.sha256(), ")"));
    }
  }
  for (const std::string& name : *present) {
    if (listed.count(name) == 0) {
      return absl::DataLossError(
          absl::StrCat("backup file ", name, " is not in the manifest"));
    }
  }
  return manifest;
}

}  // namespace regulation::backup
