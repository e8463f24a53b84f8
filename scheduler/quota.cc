#include "scheduler/quota.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace regulation::scheduler {

absl::Status ValidateQuota(const ClassQuota& quota) {
  switch (quota.kind) {
    case ClassQuota::Kind::kRatioPpm:
      if (quota.value < 0 || quota.value > kPpmOne) {
        return absl::InvalidArgumentError(
            absl::StrFormat("ratio must be 0 to 1000000 ppm, got %d", quota.value));
      }
      return absl::OkStatus();
    case ClassQuota::Kind::kCount:
      if (quota.value < 0) {
        return absl::InvalidArgumentError(
            absl::StrFormat("count must not be negative, got %d", quota.value));
      }
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError("unknown quota kind");
}

int64_t QuotaCount(const ClassQuota& quota, int64_t class_size) {
  if (quota.kind == ClassQuota::Kind::kCount) return std::min(quota.value, class_size);
  const __int128 n = (static_cast<__int128>(quota.value) * class_size + kPpmOne / 2) / kPpmOne;
  return std::min(static_cast<int64_t>(n), class_size);
}

absl::StatusOr<int64_t> RatioToPpm(double ratio) {
  if (!(ratio >= 0.0 && ratio <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat("ratio must be 0 to 1, got %g", ratio));
  }
  return static_cast<int64_t>(std::llround(ratio * static_cast<double>(kPpmOne)));
}

}  // namespace regulation::scheduler
