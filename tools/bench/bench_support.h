#ifndef TOOLS_BENCH_BENCH_SUPPORT_H_
#define TOOLS_BENCH_BENCH_SUPPORT_H_

// What the benchmarks share: a regulatord child process on a free port, its peak
// memory and CPU time, runfiles, this process's CPU time, and a deterministic random
// stream.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace regulation::bench {

// Path of a file in this binary's runfiles, e.g. "services/server/regulatord".
std::string Runfile(const char* argv0, const std::string& path);

// regulatord started with --insecure_loopback on a free localhost port over `data_dir`.
// Stopped (SIGTERM, then waited for) on destruction.
class ServerProcess {
 public:
  // `binary` on `data_dir`, listening on a free loopback port without TLS, its stderr
  // going to `data_dir` + ".log"; `extra_args` after those.
  static absl::StatusOr<ServerProcess> Start(const std::string& binary,
                                             const std::string& data_dir,
                                             std::vector<std::string> extra_args = {});
  // `binary` with `args` (which must make it listen on a free port and print "(port N)" to
  // stderr), its stderr going to `log`.
  static absl::StatusOr<ServerProcess> StartWith(const std::string& binary,
                                                 std::vector<std::string> args,
                                                 const std::string& log);
  ServerProcess(ServerProcess&& other) noexcept;
  ~ServerProcess();

  std::string address() const { return "localhost:" + std::to_string(port_); }
  // VmHWM of the process: its peak resident memory so far, in MiB.
  double PeakRssMb() const;
  // VmRSS of the process now, in MiB; its thread count now; its open file descriptors now.
  double RssMb() const;
  int Threads() const;
  int OpenFds() const;
  int port() const { return port_; }
  // Bytes the process caused to be written to storage so far (/proc/<pid>/io
  // write_bytes): its log, flushes and compactions; -1 when unknown.
  int64_t StorageWrittenBytes() const;
  // CPU time the process has used so far (user + system, all threads), in seconds.
  double CpuSeconds() const;
  // The same, by thread name (/proc/<pid>/task/*/comm; threads of one name summed).
  std::map<std::string, double> ThreadCpuSeconds() const;
  // Stops it and waits; returns its exit status.
  int Stop();

 private:
  ServerProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_ = -1;
  int port_ = 0;
};

// CPU time process `pid`'s threads have used so far, in seconds, by thread name
// (/proc/<pid>/task/*/comm; threads of one name summed).
std::map<std::string, double> ThreadCpuSecondsOf(pid_t pid);

// CPU time this process has used so far (all threads), in seconds: on a shared machine,
// steadier than wall time.
double ProcessCpuSeconds();

// The 1-minute load average (the machine is shared: wall times vary with it), or -1.
double LoadAverage();

// The median of `values` (the upper one of an even count). REQUIRES: not empty.
double Median(std::vector<double> values);

// SplitMix64: a small deterministic generator (benchmark inputs only).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_BENCH_SUPPORT_H_
