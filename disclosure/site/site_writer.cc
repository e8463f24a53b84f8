#include "disclosure/site/site_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace regulation::disclosure::site {
namespace {

absl::Status ErrnoStatus(absl::string_view what, absl::string_view path, int error) {
  const std::string message = absl::StrCat(path, ": ", what, ": ", std::strerror(error));
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  if (error == ENOENT) return absl::NotFoundError(message);
  return absl::InternalError(message);
}

std::string Parent(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

absl::Status SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  absl::Status status;
  if (::fsync(fd) != 0) status = ErrnoStatus("cannot fsync", path, errno);
  ::close(fd);
  return status;
}

}  // namespace

absl::Status MakeDirectories(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir)) {
      return absl::FailedPreconditionError(absl::StrCat(dir, ": not a directory"));
    }
    return ErrnoStatus("cannot create directory", dir, error.value());
  }
  return absl::OkStatus();
}

absl::Status RemoveTree(const std::string& dir) {
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (error) return ErrnoStatus("cannot remove", dir, error.value());
  return absl::OkStatus();
}

SiteWriter::SiteWriter(std::string dir) : dir_(std::move(dir)) {}

absl::Status SiteWriter::MakeParent(const std::string& path) {
  const std::string parent = Parent(Absolute(path));
  if (made_dirs_.contains(parent)) return absl::OkStatus();
  absl::Status made = MakeDirectories(parent);
  if (made.ok()) made_dirs_.insert(parent);
  return made;
}

absl::Status SiteWriter::WriteFile(const std::string& path, absl::string_view data, bool sync) {
  static std::atomic<uint64_t> counter{0};
  if (absl::Status made = MakeParent(path); !made.ok()) return made;
  const std::string target = Absolute(path);
  const std::string temp = absl::StrCat(target, ".tmp.", ::getpid(), ".", counter.fetch_add(1));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", temp, errno);
  absl::Status status;
  // Served files must be readable by the web server whatever the umask.
  if (::fchmod(fd, 0644) != 0) status = ErrnoStatus("cannot chmod", temp, errno);
  for (size_t done = 0; status.ok() && done < data.size();) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status = ErrnoStatus("cannot write", temp, errno);
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (status.ok() && sync && ::fsync(fd) != 0) status = ErrnoStatus("cannot fsync", temp, errno);
  if (::close(fd) != 0 && status.ok()) status = ErrnoStatus("cannot close", temp, errno);
  if (status.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    status = ErrnoStatus("cannot rename into place", target, errno);
  }
  ::unlink(temp.c_str());  // a no-op after a successful rename
  if (status.ok() && sync) status = SyncPath(Parent(target), O_RDONLY | O_DIRECTORY);
  if (status.ok()) written_.push_back(path);
  return status;
}

absl::Status SiteWriter::Write(const std::string& path, absl::string_view data) {
  return WriteFile(path, data, /*sync=*/false);
}

absl::Status SiteWriter::WriteIfChanged(const std::string& path, absl::string_view data) {
  absl::StatusOr<std::string> old = Read(path);
  if (old.ok() && *old == data) return absl::OkStatus();
  return Write(path, data);
}

absl::Status SiteWriter::WriteDurably(const std::string& path, absl::string_view data) {
  return WriteFile(path, data, /*sync=*/true);
}

absl::Status SiteWriter::MoveInto(const std::string& source, const std::string& path) {
  if (absl::Status made = MakeParent(path); !made.ok()) return made;
  const std::string target = Absolute(path);
  if (::rename(source.c_str(), target.c_str()) != 0) {
    return ErrnoStatus("cannot rename into place", target, errno);
  }
  written_.push_back(path);
  return absl::OkStatus();
}

absl::Status SiteWriter::Remove(const std::string& path) {
  const std::string target = Absolute(path);
  if (::unlink(target.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("cannot remove", target, errno);
  }
  removed_.push_back(path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> SiteWriter::Read(const std::string& path) const {
  const std::string full = Absolute(path);
  const int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", full, errno);
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return ErrnoStatus("cannot read", full, error);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

absl::Status SiteWriter::SyncAll() const {
  const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", dir_, errno);
  absl::Status status;
  if (::syncfs(fd) != 0) status = ErrnoStatus("cannot syncfs", dir_, errno);
  ::close(fd);
  return status;
}

}  // namespace regulation::disclosure::site
