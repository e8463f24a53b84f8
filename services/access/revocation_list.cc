#include "services/access/revocation_list.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "common/log.h"
#include "pki/certificates.h"

namespace regulation::access {

RevocationList::RevocationList(std::string path, Clock* clock)
    : path_(std::move(path)), clock_(clock) {
  absl::MutexLock lock(&mu_);
  MaybeReloadLocked();
}

bool RevocationList::IsRevoked(absl::string_view serial_hex) {
  const std::optional<std::string> serial = NormalizeSerial(serial_hex);
  absl::MutexLock lock(&mu_);
  MaybeReloadLocked();
  return serial.has_value() && revoked_.contains(*serial);
}

size_t RevocationList::size() {
  absl::MutexLock lock(&mu_);
  MaybeReloadLocked();
  return revoked_.size();
}

std::optional<std::string> RevocationList::NormalizeSerial(absl::string_view text) {
  return pki::NormalizeSerialHex(text);
}

void RevocationList::MaybeReloadLocked() {
  const absl::Time now = clock_->Now();
  if (now - last_check_ < kCheckInterval) return;
  last_check_ = now;

  FileVersion version;
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      LogWarning(absl::StrCat("revocation list ", path_, ": ", std::strerror(errno),
                              "; keeping the previous list"));
      return;
    }
    // No file: nothing is revoked.
  } else if (!S_ISREG(st.st_mode)) {
    LogWarning(
        absl::StrCat("revocation list ", path_, ": not a regular file; keeping the previous list"));
    return;
  } else {
    version.exists = true;
    version.device = st.st_dev;
    version.inode = st.st_ino;
    version.size = st.st_size;
    version.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  }
  if (loaded_.has_value() && *loaded_ == version) return;

  absl::flat_hash_set<std::string> revoked;
  if (version.exists) {
    absl::StatusOr<std::string> contents = ReadWholeFile(path_);
    if (!contents.ok()) {
      LogWarning(absl::StrCat("revocation list ", contents.status().message(),
                              "; keeping the previous list"));
      return;
    }
    int line_number = 0;
    for (absl::string_view text : absl::StrSplit(*contents, '\n')) {
      ++line_number;
      if (const size_t hash = text.find('#'); hash != absl::string_view::npos) {
        text = text.substr(0, hash);
      }
      text = absl::StripAsciiWhitespace(text);
      if (text.empty()) continue;
      std::optional<std::string> serial = NormalizeSerial(text);
      if (!serial.has_value()) {
        LogWarning(absl::StrCat(path_, ":", line_number, ": not a hex serial number; skipped"));
        continue;
      }
      revoked.insert(*std::move(serial));
    }
  }
  if (loaded_.has_value() || !revoked.empty()) {
    LogInfo(absl::StrCat("revocation list ", path_, ": ", revoked.size(), " serial(s) revoked",
                         version.exists ? "" : " (no file)"));
  }
  revoked_ = std::move(revoked);
  loaded_ = version;
}

}  // namespace regulation::access
