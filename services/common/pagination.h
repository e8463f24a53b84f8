#ifndef SERVICES_COMMON_PAGINATION_H_
#define SERVICES_COMMON_PAGINATION_H_

// List pagination (AIP-158 style): page sizes and opaque page tokens.
//
// A token carries the last storage key returned and a fingerprint of the request's
// filters, so a token is only accepted with the filters that produced it. A token
// never widens what a request may read: callers always clamp the scan to the
// request's own key range, whatever key the token names.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::services {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;
// A page stops growing before its items pass this many bytes (at least one item), so
// that it fits gRPC's default 4 MiB message limit.
inline constexpr size_t kMaxPageBytes = 3 << 20;

// 0 means kDefaultPageSize; above kMaxPageSize is clamped to it; negative is
// INVALID_ARGUMENT "page_size: ...".
absl::StatusOr<int> ResolvePageSize(int requested);

// `filters` is a canonical description of the request's filters, e.g.
// "enterprises|region=33|industry=C|status=1".
std::string EncodePageToken(absl::string_view filters, absl::string_view last_key);

// The last key of the previous page. INVALID_ARGUMENT "page_token: ..." when the token
// is malformed or was issued for different filters.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view filters);

}  // namespace regulation::services

#endif  // SERVICES_COMMON_PAGINATION_H_
