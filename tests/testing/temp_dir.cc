#include "tests/testing/temp_dir.h"

#include <stdlib.h>

#include <cstdlib>
#include <string>

namespace regulation::testing {

std::string NewTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string templ = std::string(base != nullptr ? base : "/tmp") + "/regulation.XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) std::abort();
  return templ;
}

}  // namespace regulation::testing
