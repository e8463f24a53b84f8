#include "testing/time_bound.h"

#include <cstdlib>

#include "absl/strings/numbers.h"

namespace regulation::testing {

absl::Duration ScaledTimeBound(absl::Duration plain_build_bound) {
  const char* scale = std::getenv("REGULATION_TEST_TIME_SCALE");
  double factor = 1;
  if (scale == nullptr || !absl::SimpleAtod(scale, &factor) || !(factor > 0)) factor = 1;
  return plain_build_bound * factor;
}

}  // namespace regulation::testing
