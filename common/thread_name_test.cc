#include "common/thread_name.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace regulation {
namespace {

// The name as the kernel reports it, where the benchmark and `top -H` read it.
std::string CommOfThisThread() {
  std::ifstream comm(absl::StrCat("/proc/self/task/", syscall(SYS_gettid), "/comm"));
  std::string name;
  std::getline(comm, name);
  return name;
}

TEST(ThreadNameTest, TheKernelReportsTheNameCutTo15Bytes) {
  std::string short_name, long_name;
  std::thread([&] {
    NameThisThread("ingest-commit");
    short_name = CommOfThisThread();
    NameThisThread("a-name-longer-than-fifteen");
    long_name = CommOfThisThread();
  }).join();
  EXPECT_EQ(short_name, "ingest-commit");
  EXPECT_EQ(long_name, "a-name-longer-t");
}

}  // namespace
}  // namespace regulation
