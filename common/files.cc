#include "common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation {
namespace {

std::string TemporaryName(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(path, ".tmp.", ::getpid(), ".", counter.fetch_add(1));
}

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    // write() returning 0 for a non-empty buffer means the device took nothing: no space.
    if (n <= 0) return FileErrorStatus(n == 0 ? ENOSPC : errno, "cannot write", path);
    written += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FileErrorStatus(int error, absl::string_view what, absl::string_view path) {
  const std::string message = absl::StrCat(path, ": ", what, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:  // a component of the path is a file: nothing exists below it
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    case EEXIST:
      return absl::AlreadyExistsError(message);
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      return absl::ResourceExhaustedError(message);
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case ENOTEMPTY:
    case EXDEV:
      return absl::FailedPreconditionError(message);
    case EAGAIN:
    case EBUSY:
    case EINTR:
    case ETXTBSY:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status WriteFileAtomically(const std::string& path, absl::string_view data,
                                 const AtomicWriteOptions& options) {
  const std::string temp = TemporaryName(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  if (fd < 0) return FileErrorStatus(errno, "cannot create", temp);
  // The umask may have narrowed the mode; make it exact.
  absl::Status status;
  if (::fchmod(fd, options.mode) != 0) status = FileErrorStatus(errno, "cannot chmod", temp);
  if (status.ok()) status = WriteAll(fd, data, temp);
  if (status.ok() && options.sync && ::fsync(fd) != 0) {
    status = FileErrorStatus(errno, "cannot fsync", temp);
  }
  if (::close(fd) != 0 && status.ok()) status = FileErrorStatus(errno, "cannot close", temp);
  if (status.ok()) {
    if (options.exclusive) {
      // link() fails when the target exists: an existing file is never replaced.
      if (::link(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        status = error == EEXIST ? absl::AlreadyExistsError(absl::StrCat(
                                       path, ": already exists; refusing to replace it"))
                                 : FileErrorStatus(error, "cannot create", path);
      }
    } else if (::rename(temp.c_str(), path.c_str()) != 0) {
      status = FileErrorStatus(errno, "cannot rename into place", path);
    }
  }
  // After a successful rename the temporary name is gone and this is a no-op.
  ::unlink(temp.c_str());
  if (status.ok() && options.sync) status = SyncDirectory(DirectoryOf(path));
  return status;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileErrorStatus(errno, "cannot open", path);
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return FileErrorStatus(error, "cannot read", path);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

absl::StatusOr<std::string> ReadPrivateFile(const std::string& path, absl::string_view what) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": no such key file"));
    return FileErrorStatus(error, "cannot stat", path);
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: the %s is open to others (mode %04o); chmod 600 it", path, what, st.st_mode & 07777));
  }
  return ReadWholeFile(path);
}

absl::Status MakeDirectories(const std::string& dir, mode_t mode) {
  if (dir.empty()) return absl::InvalidArgumentError("directory: empty path");
  size_t pos = 0;
  while (true) {
    pos = dir.find('/', pos + 1);
    const std::string prefix = dir.substr(0, pos);
    if (!prefix.empty() && prefix != "/" && ::mkdir(prefix.c_str(), mode) != 0) {
      const int error = errno;
      if (error != EEXIST) {
        if (error == ENOTDIR) {
          return absl::FailedPreconditionError(
              absl::StrCat(prefix, ": a parent is not a directory"));
        }
        return FileErrorStatus(error, "cannot create directory", prefix);
      }
    }
    if (pos == std::string::npos) break;
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return FileErrorStatus(errno, "cannot stat", dir);
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, ": not a directory"));
  }
  return absl::OkStatus();
}

absl::Status RemoveFileIfExists(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return FileErrorStatus(errno, "cannot remove", path);
  }
  return absl::OkStatus();
}

absl::Status RemoveTree(const std::string& dir) {
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (error) return FileErrorStatus(error.value(), "cannot remove", dir);
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FileErrorStatus(errno, "cannot open directory", dir);
  absl::Status status;
  if (::fsync(fd) != 0) status = FileErrorStatus(errno, "cannot fsync directory", dir);
  ::close(fd);
  return status;
}

absl::Status SyncFileSystem(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileErrorStatus(errno, "cannot open", path);
  absl::Status status;
  if (::syncfs(fd) != 0) status = FileErrorStatus(errno, "cannot syncfs", path);
  ::close(fd);
  return status;
}

}  // namespace regulation
