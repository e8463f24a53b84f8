#ifndef COMMON_OPENSSL_ERROR_H_
#define COMMON_OPENSSL_ERROR_H_

// The one place where OpenSSL's error queue becomes a status.
//
//   if (EVP_DigestSign(...) != 1) return OpenSslError("EVP_DigestSign");
//   // INTERNAL "EVP_DigestSign failed: error:...; error:..."
//
// Thread safety: OpenSSL's error queue is per thread; this reads and clears the calling
// thread's only.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation {

// INTERNAL "<what> failed: <OpenSSL's queued errors, oldest first, joined by "; ">", or
// "<what> failed" when the queue is empty. Empties this thread's queue, so a later call
// does not report this failure again.
absl::Status OpenSslError(absl::string_view what);

}  // namespace regulation

#endif  // COMMON_OPENSSL_ERROR_H_
