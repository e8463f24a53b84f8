#ifndef TESTS_TESTING_TEMP_DIR_H_
#define TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace regulation::testing {

// A new, empty directory under the test's temporary directory ($TEST_TMPDIR).
// Removed by Bazel after the test.
std::string NewTempDir();

}  // namespace regulation::testing

#endif  // TESTS_TESTING_TEMP_DIR_H_
