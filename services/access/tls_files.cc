#include "services/access/tls_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace regulation::access {
namespace {

absl::Status ErrnoStatus(absl::string_view what, absl::string_view path, int error) {
  const std::string message = absl::StrCat(path, ": ", what, ": ", std::strerror(error));
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

// mkdir -p with mode 0700 for the directories it creates.
absl::Status MakeDirs(absl::string_view dir) {
  if (dir.empty()) return absl::InvalidArgumentError("directory: required");
  std::string path;
  size_t pos = 0;
  while (pos != absl::string_view::npos) {
    pos = dir.find('/', pos + 1);
    path = std::string(dir.substr(0, pos));
    if (path.empty() || path == "/") continue;
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoStatus("cannot create directory", path, errno);
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path, errno);
  if (!S_ISDIR(st.st_mode))
    return absl::FailedPreconditionError(absl::StrCat(path, ": not a directory"));
  return absl::OkStatus();
}

// Writes `data` to a fresh temporary file beside `path` with `mode`, flushed to disk.
// Returns the temporary file's name.
absl::StatusOr<std::string> WriteTemporary(const std::string& path, absl::string_view data,
                                           mode_t mode) {
  const std::string temp = absl::StrCat(path, ".tmp.", ::getpid());
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoStatus("cannot create", temp, errno);
  // The umask may have narrowed `mode`; make it exact (0644 stays 0644).
  ::fchmod(fd, mode);
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return ErrnoStatus("cannot write", temp, error);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return ErrnoStatus("cannot write", temp, error);
  }
  return temp;
}

// Atomically replaces `path` with `data`.
absl::Status WriteFile(const std::string& path, absl::string_view data, mode_t mode) {
  REG_ASSIGN_OR_RETURN(std::string temp, WriteTemporary(path, data, mode));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return ErrnoStatus("cannot rename into place", path, error);
  }
  return absl::OkStatus();
}

// Creates `path` with `data`; ALREADY_EXISTS, atomically, when it exists.
absl::Status CreateFileExclusive(const std::string& path, absl::string_view data, mode_t mode) {
  REG_ASSIGN_OR_RETURN(std::string temp, WriteTemporary(path, data, mode));
  const int linked = ::link(temp.c_str(), path.c_str());
  const int error = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (error == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(path, ": already exists; refusing to replace it"));
    }
    return ErrnoStatus("cannot create", path, error);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view hint) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    if (error == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": not found; ", hint));
    return ErrnoStatus("cannot read", path, error);
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return ErrnoStatus("cannot read", path, errno);
  return contents.str();
}

absl::Status RequirePem(absl::string_view what, absl::string_view pem) {
  if (pem.empty()) return absl::InvalidArgumentError(absl::StrCat(what, ": empty"));
  return absl::OkStatus();
}

}  // namespace

std::string TlsPath(absl::string_view dir, absl::string_view file) {
  if (!dir.empty() && dir.back() == '/') return absl::StrCat(dir, file);
  return absl::StrCat(dir, "/", file);
}

absl::Status WriteTlsDir(absl::string_view dir, absl::string_view ca_cert_pem,
                         const KeyAndCertificate& own) {
  REG_RETURN_IF_ERROR(RequirePem("ca_cert_pem", ca_cert_pem));
  REG_RETURN_IF_ERROR(RequirePem("cert_pem", own.cert_pem));
  REG_RETURN_IF_ERROR(RequirePem("key_pem", own.key_pem));
  REG_RETURN_IF_ERROR(MakeDirs(dir));
  REG_RETURN_IF_ERROR(WriteFile(TlsPath(dir, kKeyFile), own.key_pem, 0600));
  REG_RETURN_IF_ERROR(WriteFile(TlsPath(dir, kCertFile), own.cert_pem, 0644));
  return WriteFile(TlsPath(dir, kCaCertFile), ca_cert_pem, 0644);
}

absl::StatusOr<TlsFiles> ReadTlsDir(absl::string_view dir) {
  const std::string hint = absl::StrCat("create it with `regctl pki issue --out=", dir, " ...`");
  TlsFiles files;
  REG_ASSIGN_OR_RETURN(files.ca_cert_pem, ReadFile(TlsPath(dir, kCaCertFile), hint));
  REG_ASSIGN_OR_RETURN(files.cert_pem, ReadFile(TlsPath(dir, kCertFile), hint));
  REG_ASSIGN_OR_RETURN(files.key_pem, ReadFile(TlsPath(dir, kKeyFile), hint));
  return files;
}

absl::Status WriteCaDir(absl::string_view dir, const KeyAndCertificate& ca) {
  REG_RETURN_IF_ERROR(RequirePem("cert_pem", ca.cert_pem));
  REG_RETURN_IF_ERROR(RequirePem("key_pem", ca.key_pem));
  REG_RETURN_IF_ERROR(MakeDirs(dir));
  // The key first: creating it claims the directory, so a second init cannot replace
  // ca.crt of the CA that is already there.
  REG_RETURN_IF_ERROR(CreateFileExclusive(TlsPath(dir, kCaKeyFile), ca.key_pem, 0600));
  REG_RETURN_IF_ERROR(WriteFile(TlsPath(dir, kCaCertFile), ca.cert_pem, 0644));
  const std::string revoked = TlsPath(dir, kRevokedFile);
  absl::Status created = CreateFileExclusive(
      revoked, "# Revoked certificate serial numbers, one per line (regctl pki revoke appends).\n",
      0644);
  if (absl::IsAlreadyExists(created)) return absl::OkStatus();
  return created;
}

absl::StatusOr<KeyAndCertificate> ReadCaDir(absl::string_view dir) {
  const std::string hint = absl::StrCat("create the CA with `regctl pki init --ca_dir=", dir, "`");
  KeyAndCertificate ca;
  REG_ASSIGN_OR_RETURN(ca.cert_pem, ReadFile(TlsPath(dir, kCaCertFile), hint));
  REG_ASSIGN_OR_RETURN(ca.key_pem, ReadFile(TlsPath(dir, kCaKeyFile), hint));
  return ca;
}

}  // namespace regulation::access
