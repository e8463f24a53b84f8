#ifndef SERVICES_ACCESS_REVOCATION_LIST_H_
#define SERVICES_ACCESS_REVOCATION_LIST_H_

// The serial numbers of revoked certificates, read from a text file that
// `regctl pki revoke` appends to (pki/tls_files.h: <ca_dir>/revoked.txt):
//
//   # CN=alice revoked 2026-01-05T10:00:00Z
//   5f3a0c...
//
// One serial per line in hex (case and leading zeros do not matter); '#' starts a
// comment, blank lines are ignored. A line that is not a serial is logged and
// skipped. A missing file means nothing is revoked; a file that exists but cannot
// be read leaves the previously loaded set in force (and is logged).
//
// The file is re-read when its modification time, size or inode changes, checked
// at most once per second of the injected clock, so a revocation takes effect
// within about a second without a restart.
//
// Thread safety: IsRevoked may be called concurrently; a reload happens under the
// mutex, so callers wait for it (the file is small).

#include <sys/types.h>

#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace regulation::access {

class RevocationList {
 public:
  // How often, at most, the file's metadata is checked.
  static constexpr absl::Duration kCheckInterval = absl::Seconds(1);

  // Loads `path` now. `clock` is not owned and must outlive this object.
  RevocationList(std::string path, Clock* clock);

  RevocationList(const RevocationList&) = delete;
  RevocationList& operator=(const RevocationList&) = delete;

  // True when `serial_hex` (as CertificateSerialHex returns it; case and leading zeros
  // are ignored) is listed. Reloads the file first when it changed.
  bool IsRevoked(absl::string_view serial_hex);

  // The number of serials in force (for tests and logs).
  size_t size();

  // Lowercase without leading zeros ("0" for zero); std::nullopt unless `text` is
  // 1-64 hex digits (pki::NormalizeSerialHex: the PKI's spelling of a serial).
  static std::optional<std::string> NormalizeSerial(absl::string_view text);

 private:
  // What identifies one version of the file.
  struct FileVersion {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileVersion& o) const {
      return exists == o.exists && device == o.device && inode == o.inode && size == o.size &&
             mtime_ns == o.mtime_ns;
    }
  };

  void MaybeReloadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  Clock* const clock_;
  absl::Mutex mu_;
  absl::Time last_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::optional<FileVersion> loaded_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> revoked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_REVOCATION_LIST_H_
