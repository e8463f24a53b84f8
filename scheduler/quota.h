#ifndef SCHEDULER_QUOTA_H_
#define SCHEDULER_QUOTA_H_

// How many enterprises a plan draws from one risk class (docs/draw-spec.md §6).
//
// A ratio is carried as an integer number of parts per million (ppm, 0-1,000,000) so that
// the count is exact integer arithmetic everywhere:
//
//   ratio:  n = floor((ppm * N + 500,000) / 1,000,000)   (round half up; never above N)
//   count:  n = min(count, N)
//
// where N is the class's population. The API's double ratio becomes ppm once, when the
// plan is committed (RatioToPpm); from then on only the ppm value counts.
//
// Thread safety: value types and stateless functions.

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace regulation::scheduler {

inline constexpr int64_t kPpmOne = 1000000;

struct ClassQuota {
  enum class Kind { kRatioPpm, kCount };

  static ClassQuota RatioPpm(int64_t ppm) { return {Kind::kRatioPpm, ppm}; }
  static ClassQuota Count(int64_t count) { return {Kind::kCount, count}; }

  // Default: a count of 0 (the class is not drawn).
  Kind kind = Kind::kCount;
  // ppm (0-1,000,000) for kRatioPpm; the number of enterprises (>= 0) for kCount.
  int64_t value = 0;
};

// OK, or INVALID_ARGUMENT when the value is out of range (message without a field name).
absl::Status ValidateQuota(const ClassQuota& quota);

// n for a class of `class_size` enterprises. REQUIRES: ValidateQuota(quota).ok(),
// class_size >= 0.
int64_t QuotaCount(const ClassQuota& quota, int64_t class_size);

// ppm = the nearest integer to ratio * 1,000,000 (halves away from zero), for a ratio in
// [0, 1]; INVALID_ARGUMENT otherwise (NaN included).
absl::StatusOr<int64_t> RatioToPpm(double ratio);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_QUOTA_H_
