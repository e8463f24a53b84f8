#include "pki/tls_files.h"

#include <sys/types.h>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/status_macros.h"

namespace regulation::pki {
namespace {

// Replaces `path` with `data`, atomically and durably, with exactly `mode`.
absl::Status WriteFile(const std::string& path, absl::string_view data, mode_t mode) {
  AtomicWriteOptions options;
  options.mode = mode;
  return WriteFileAtomically(path, data, options);
}

// Creates `path` with `data`; ALREADY_EXISTS, atomically, when it exists.
absl::Status CreateFileExclusive(const std::string& path, absl::string_view data, mode_t mode) {
  AtomicWriteOptions options;
  options.mode = mode;
  options.exclusive = true;
  return WriteFileAtomically(path, data, options);
}

// The file's contents; NOT_FOUND with `hint` (how to create it) when it is missing.
absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view hint) {
  absl::StatusOr<std::string> contents = ReadWholeFile(path);
  if (absl::IsNotFound(contents.status())) {
    return absl::NotFoundError(absl::StrCat(path, ": not found; ", hint));
  }
  return contents;
}

// mkdir -p, mode 0700 for the directories it creates.
absl::Status MakeDirs(absl::string_view dir) {
  if (dir.empty()) return absl::InvalidArgumentError("directory: required");
  return MakeDirectories(std::string(dir), 0700);
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

}  // namespace regulation::pki
