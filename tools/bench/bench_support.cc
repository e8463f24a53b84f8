#include "tools/bench/bench_support.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace regulation::bench {

std::string Runfile(const char* argv0, const std::string& path) {
  const char* dir = std::getenv("RUNFILES_DIR");
  const std::string base = dir != nullptr ? dir : absl::StrCat(argv0, ".runfiles");
  return absl::StrCat(base, "/regulation/", path);
}

absl::StatusOr<ServerProcess> ServerProcess::Start(const std::string& binary,
                                                   const std::string& data_dir,
                                                   std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"--listen=localhost:0", "--data_dir=" + data_dir,
                                   "--insecure_loopback"};
  for (std::string& arg : extra_args) args.push_back(std::move(arg));
  return StartWith(binary, std::move(args), data_dir + ".log");
}

absl::StatusOr<ServerProcess> ServerProcess::StartWith(const std::string& binary,
                                                       std::vector<std::string> args,
                                                       const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return absl::InternalError(absl::StrCat("cannot start ", binary));
  for (int i = 0; i < 600; ++i) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    const size_t at = s.find("(port ");
    if (at != std::string::npos) {
      int port = 0;
      const size_t end = s.find(')', at);
      if (absl::SimpleAtoi(s.substr(at + 6, end - at - 6), &port)) return ServerProcess(pid, port);
    }
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      return absl::InternalError(absl::StrCat(binary, " exited: ", s));
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  kill(pid, SIGKILL);
  return absl::DeadlineExceededError(absl::StrCat(binary, " did not report its port"));
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(other.pid_), port_(other.port_) {
  other.pid_ = -1;
}

ServerProcess::~ServerProcess() { Stop(); }

int ServerProcess::Stop() {
  if (pid_ <= 0) return 0;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

namespace {

// A "Name:   value [kB]" line of /proc/<pid>/<file>, as a number (-1 when missing).
int64_t ProcField(pid_t pid, const char* file, const std::string& name) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/", file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + ":", 0) == 0) {
      int64_t value = 0;
      std::istringstream(line.substr(name.size() + 1)) >> value;
      return value;
    }
  }
  return -1;
}

int64_t StatusField(pid_t pid, const std::string& name) { return ProcField(pid, "status", name); }

}  // namespace

double ServerProcess::PeakRssMb() const {
  return static_cast<double>(StatusField(pid_, "VmHWM")) / 1024.0;
}

double ServerProcess::RssMb() const {
  return static_cast<double>(StatusField(pid_, "VmRSS")) / 1024.0;
}

int64_t ServerProcess::StorageWrittenBytes() const {
  return ProcField(pid_, "io", "write_bytes");
}

int ServerProcess::Threads() const { return static_cast<int>(StatusField(pid_, "Threads")); }

int ServerProcess::OpenFds() const {
  std::error_code error;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator(absl::StrCat("/proc/", pid_, "/fd"), error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++n;
  }
  return n;
}

namespace {

// utime + stime of a /proc stat file (a process's or a thread's), in seconds; -1 when
// unreadable.
double StatCpuSeconds(const std::string& path) {
  // The command is in parentheses and may hold spaces; utime and stime are the 12th and
  // 13th fields after it, in clock ticks.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t after = text.rfind(')');
  if (after == std::string::npos) return -1;
  std::istringstream fields(text.substr(after + 2));
  std::string field;
  double ticks = 0;
  for (int i = 1; i <= 13 && fields >> field; ++i) {
    if (i >= 12) ticks += std::strtod(field.c_str(), nullptr);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

double ServerProcess::CpuSeconds() const {
  return StatCpuSeconds(absl::StrCat("/proc/", pid_, "/stat"));
}

std::map<std::string, double> ServerProcess::ThreadCpuSeconds() const {
  return ThreadCpuSecondsOf(pid_);
}

std::map<std::string, double> ThreadCpuSecondsOf(pid_t pid) {
  std::map<std::string, double> by_name;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/task"), error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    std::ifstream comm(it->path() / "comm");
    std::string name;
    std::getline(comm, name);
    const double seconds = StatCpuSeconds(it->path() / "stat");
    if (!name.empty() && seconds >= 0) by_name[name] += seconds;
  }
  return by_name;
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double LoadAverage() {
  double load[1];
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace regulation::bench
