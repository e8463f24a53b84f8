#ifndef PKI_TLS_FILES_H_
#define PKI_TLS_FILES_H_

// The on-disk layout of TLS material, as `regctl pki` writes it.
//
//   TLS directory (a server's or a client's own identity):
//     ca.crt    the system's CA certificate (to verify the other side)      0644
//     tls.crt   own certificate                                            0644
//     tls.key   own private key                                            0600
//
//   CA directory (the operator's; never deployed to servers):
//     ca.crt       the CA certificate                                      0644
//     ca.key       the CA private key                                      0600
//     revoked.txt  revoked serial numbers (services/access/revocation_list.h)              0644
//
// Directories are created (with parents) mode 0700. Files are written to a temporary
// name and renamed into place, so a reader sees the old or the new file, never half of
// one; key files are created 0600 from the start. The CA key is never overwritten.
//
// Thread safety: the functions may run concurrently on different directories; two
// writers of one directory race (the last rename wins), except that at most one
// WriteCaDir can succeed.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pki/certificates.h"

namespace regulation::pki {

inline constexpr absl::string_view kCaCertFile = "ca.crt";
inline constexpr absl::string_view kCaKeyFile = "ca.key";
inline constexpr absl::string_view kRevokedFile = "revoked.txt";
inline constexpr absl::string_view kCertFile = "tls.crt";
inline constexpr absl::string_view kKeyFile = "tls.key";

// "<dir>/<file>".
std::string TlsPath(absl::string_view dir, absl::string_view file);

// Writes ca.crt, tls.crt and tls.key into `dir` (created when missing), replacing
// existing files. INVALID_ARGUMENT for an empty `dir` or empty PEM; when the file
// system fails, the status of common/files.h's FileErrorStatus (path and errno text).
absl::Status WriteTlsDir(absl::string_view dir, absl::string_view ca_cert_pem,
                         const KeyAndCertificate& own);

struct TlsFiles {
  std::string ca_cert_pem;  // ca.crt
  std::string cert_pem;     // tls.crt
  std::string key_pem;      // tls.key
};

// Reads the three files of a TLS directory. NOT_FOUND naming the missing file, with a
// hint to create it with `regctl pki issue`; PERMISSION_DENIED when a file cannot be
// opened for lack of permission; other failures as common/files.h's FileErrorStatus.
// Contents are not parsed.
absl::StatusOr<TlsFiles> ReadTlsDir(absl::string_view dir);

// Writes ca.key (refusing to replace one: ALREADY_EXISTS), ca.crt and, when missing,
// an empty revoked.txt (comments only) into `dir`, created when missing.
// INVALID_ARGUMENT for an empty `dir` or empty PEM; FileErrorStatus when the file
// system fails.
absl::Status WriteCaDir(absl::string_view dir, const KeyAndCertificate& ca);

// Reads ca.key and ca.crt. NOT_FOUND naming the missing file, with a hint to run
// `regctl pki init`; PERMISSION_DENIED / INTERNAL as ReadTlsDir.
absl::StatusOr<KeyAndCertificate> ReadCaDir(absl::string_view dir);

}  // namespace regulation::pki

#endif  // PKI_TLS_FILES_H_
