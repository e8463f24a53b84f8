#ifndef TESTING_TIME_BOUND_H_
#define TESTING_TIME_BOUND_H_

// Time bounds in tests are stated for a plain build. Sanitizer builds run the same code
// several times slower, so .bazelrc's sanitizer configs set REGULATION_TEST_TIME_SCALE
// for tests, and every bound is multiplied by it (1 when unset or not a positive number).
//
//   EXPECT_LT(absl::Now() - start, ScaledTimeBound(absl::Seconds(10)));

#include "absl/time/time.h"

namespace regulation::testing {

absl::Duration ScaledTimeBound(absl::Duration plain_build_bound);

}  // namespace regulation::testing

#endif  // TESTING_TIME_BOUND_H_
