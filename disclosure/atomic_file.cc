#include "disclosure/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace regulation::disclosure {
namespace {

absl::Status ErrnoStatus(absl::string_view what, absl::string_view path, int error) {
  const std::string message = absl::StrCat(path, ": ", what, ": ", std::strerror(error));
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  if (error == ENOENT) return absl::NotFoundError(message);
  return absl::InternalError(message);
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string TemporaryName(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(path, ".tmp.", ::getpid(), ".", counter.fetch_add(1));
}

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoStatus("cannot write", path, errno);
    written += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, absl::string_view data,
                                 const AtomicWriteOptions& options) {
  const std::string temp = TemporaryName(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  if (fd < 0) return ErrnoStatus("cannot create", temp, errno);
  // The umask may have narrowed the mode; make it exact.
  absl::Status status;
  if (::fchmod(fd, options.mode) != 0) status = ErrnoStatus("cannot chmod", temp, errno);
  if (status.ok()) status = WriteAll(fd, data, temp);
  if (status.ok() && options.sync && ::fsync(fd) != 0) {
    status = ErrnoStatus("cannot fsync", temp, errno);
  }
  if (::close(fd) != 0 && status.ok()) status = ErrnoStatus("cannot close", temp, errno);
  if (status.ok()) {
    if (options.exclusive) {
      // link() fails when the target exists: an existing file is never replaced.
      if (::link(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        status = error == EEXIST ? absl::AlreadyExistsError(absl::StrCat(path, ": already exists"))
                                 : ErrnoStatus("cannot create", path, error);
      }
    } else if (::rename(temp.c_str(), path.c_str()) != 0) {
      status = ErrnoStatus("cannot rename into place", path, errno);
    }
  }
  // After a successful rename the temporary name is gone and this is a no-op.
  ::unlink(temp.c_str());
  if (status.ok() && options.sync) status = SyncDirectory(DirName(path));
  return status;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return ErrnoStatus("cannot read", path, error);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

absl::Status MakeDirectories(const std::string& dir, mode_t mode) {
  if (dir.empty()) return absl::InvalidArgumentError("directory: empty path");
  size_t pos = 0;
  while (true) {
    pos = dir.find('/', pos + 1);
    const std::string prefix = dir.substr(0, pos);
    if (!prefix.empty() && prefix != "/" && ::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      return ErrnoStatus("cannot create directory", prefix, errno);
    }
    if (pos == std::string::npos) break;
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoStatus("cannot stat", dir, errno);
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, ": not a directory"));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", dir, errno);
  absl::Status status;
  if (::fsync(fd) != 0) status = ErrnoStatus("cannot fsync directory", dir, errno);
  ::close(fd);
  return status;
}

absl::Status SyncFileSystem(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  absl::Status status;
  if (::syncfs(fd) != 0) status = ErrnoStatus("cannot syncfs", path, errno);
  ::close(fd);
  return status;
}

}  // namespace regulation::disclosure
