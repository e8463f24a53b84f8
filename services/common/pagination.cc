#include "services/common/pagination.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "common/sha256.h"

namespace regulation::services {
namespace {

constexpr char kTokenVersion = '\x01';
constexpr size_t kFingerprintSize = 8;

std::string Fingerprint(absl::string_view filters) {
  return Sha256(filters).substr(0, kFingerprintSize);
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(absl::string_view filters, absl::string_view last_key) {
  std::string raw =
      absl::StrCat(absl::string_view(&kTokenVersion, 1), Fingerprint(filters), last_key);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view filters) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() <= 1 + kFingerprintSize ||
      raw[0] != kTokenVersion) {
    return InvalidField("page_token", "is not a token this server issued");
  }
  if (absl::string_view(raw).substr(1, kFingerprintSize) != Fingerprint(filters)) {
    return InvalidField("page_token",
                        "was issued for different filters; repeat the first request's "
                        "filters or start without a token");
  }
  return raw.substr(1 + kFingerprintSize);
}

}  // namespace regulation::services
