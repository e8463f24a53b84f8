#include "testing/temp_dir.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace regulation::testing {
namespace {

std::string MakeUniqueDir(absl::string_view prefix) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string templ = absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp", "/",
                                   prefix, ".XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    std::perror(templ.c_str());
    std::abort();
  }
  return templ;
}

}  // namespace

TempDir::TempDir(absl::string_view prefix) : path_(MakeUniqueDir(prefix)) {}

TempDir::~TempDir() {
  std::error_code ignored;  // a leftover directory is Bazel's to clear, not a test failure
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Path(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

std::string NewTempDir() { return MakeUniqueDir("regulation"); }

}  // namespace regulation::testing
