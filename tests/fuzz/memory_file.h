#ifndef TESTS_FUZZ_MEMORY_FILE_H_
#define TESTS_FUZZ_MEMORY_FILE_H_

// A regular file that lives in memory (memfd_create), for fuzz targets whose code under
// test opens a path: the import readers need a regular file with a size. Nothing touches
// the disk, and the file disappears with the object.
//
// Thread safety: one thread uses an object.

#include <string>

#include "absl/strings/string_view.h"

namespace regulation::fuzz {

class MemoryFile {
 public:
  // A file holding `contents`. Aborts when the kernel refuses (the fuzzer cannot go on).
  explicit MemoryFile(absl::string_view contents);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // "/proc/self/fd/N": opens the file from this process.
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

}  // namespace regulation::fuzz

#endif  // TESTS_FUZZ_MEMORY_FILE_H_
