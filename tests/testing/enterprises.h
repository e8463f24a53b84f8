#ifndef TESTS_TESTING_ENTERPRISES_H_
#define TESTS_TESTING_ENTERPRISES_H_

// Valid enterprise records for tests.

#include <string>

#include "absl/strings/string_view.h"
#include "regulation/v1/enterprise.pb.h"

namespace regulation::testing {

// A valid credit code registered in `region_code` (six digits), distinct for each
// `serial` (0 <= serial < 10^9).
std::string MakeCreditCode(absl::string_view region_code, int serial);

// A valid, OPERATING enterprise in `region_code`, industry C13, established 2015-06-01.
v1::Enterprise MakeEnterprise(absl::string_view region_code, int serial);

}  // namespace regulation::testing

#endif  // TESTS_TESTING_ENTERPRISES_H_
