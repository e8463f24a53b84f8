#ifndef TESTING_TEMP_DIR_H_
#define TESTING_TEMP_DIR_H_

// A new, empty, uniquely named directory under the test's temporary directory
// ($TEST_TMPDIR, or /tmp outside Bazel), removed with everything in it when the TempDir
// is destroyed. Tests that run in one process never share one.
//
//   TempDir dir;
//   WriteFile(dir.Path("bundle.json"), text);   // <dir>/bundle.json
//   options.path = dir.Path("db");
//
// Thread safety: a TempDir is not shared between threads while it is destroyed.
// Ownership: the TempDir owns the directory; paths returned stay valid until then.
// Making the directory cannot fail in a sane test environment: the test aborts if it does.

#include <string>

#include "absl/strings/string_view.h"

namespace regulation::testing {

class TempDir {
 public:
  // Makes the directory; `prefix` starts its name (letters, digits, '-', '_').
  explicit TempDir(absl::string_view prefix = "regulation");
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory itself, without a trailing slash.
  const std::string& path() const { return path_; }
  // `name` (a relative path) inside the directory. Nothing is created.
  std::string Path(absl::string_view name) const;

 private:
  std::string path_;
};

// A new directory under $TEST_TMPDIR that lives until Bazel clears the test's
// temporary directory: for fixtures that need a path for the whole test binary.
// Prefer TempDir.
std::string NewTempDir();

}  // namespace regulation::testing

#endif  // TESTING_TEMP_DIR_H_
