#include "tests/fuzz/fuzz_check.h"

#include <cstdio>
#include <cstdlib>

namespace regulation::fuzz {

CheckFailure::CheckFailure(const char* condition, const char* file, int line) {
  message_ << file << ":" << line << ": FUZZ_CHECK(" << condition << ") failed: ";
}

CheckFailure::~CheckFailure() {
  std::fprintf(stderr, "%s\n", message_.str().c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace regulation::fuzz
