#include "tests/fuzz/memory_file.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace regulation::fuzz {

MemoryFile::MemoryFile(absl::string_view contents)
    : fd_(memfd_create("fuzz-input", MFD_CLOEXEC)) {
  if (fd_ < 0) {
    std::perror("memfd_create");
    std::abort();
  }
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = write(fd_, contents.data() + written, contents.size() - written);
    if (n <= 0) {
      std::perror("write to memfd");
      std::abort();
    }
    written += static_cast<size_t>(n);
  }
  path_ = absl::StrCat("/proc/self/fd/", fd_);
}

MemoryFile::~MemoryFile() { close(fd_); }

}  // namespace regulation::fuzz
