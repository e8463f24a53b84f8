#include "tools/crash_harness/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace regulation::crash {
namespace {

std::string ReadFrom(const std::string& path, std::streamoff offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(offset);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::streamoff FileSize(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<std::streamoff>(in.tellg()) : 0;
}

// The port in regulatord's "... (port N) ..." start-up line, or 0.
int PortIn(const std::string& log) {
  const size_t at = log.find("(port ");
  if (at == std::string::npos) return 0;
  const size_t end = log.find(')', at);
  int port = 0;
  if (end == std::string::npos || !absl::SimpleAtoi(log.substr(at + 6, end - at - 6), &port)) {
    return 0;
  }
  return port;
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ServerProcess::~ServerProcess() {
  if (running()) Kill();
}

absl::Status ServerProcess::Start() {
  if (running()) return absl::FailedPreconditionError("regulatord is already running");
  const std::streamoff log_start = FileSize(options_.log_file);
  std::vector<std::string> argv = {
      options_.binary,
      "--listen=localhost:0",
      "--data_dir=" + options_.data_dir,
      "--tls_dir=" + options_.tls_dir,
      "--revoked_file=" + options_.revoked_file,
      absl::StrCat("--min_entropy_delay=", absl::ToInt64Seconds(options_.min_entropy_delay), "s"),
      // Far shorter than the default, so that kills also land inside portrait checkpoints
      // (their unlogged batches, the flush, the synced sequence) and recovery starts from
      // states written at many different points.
      "--portrait_checkpoint_interval=1s",
  };
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    const int log = open(options_.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
      close(log);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  pid_ = pid;
  const absl::Time give_up = absl::Now() + absl::Minutes(1);
  while (absl::Now() < give_up) {
    port_ = PortIn(ReadFrom(options_.log_file, log_start));
    if (port_ != 0) return absl::OkStatus();
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::string log = ReadFrom(options_.log_file, log_start);
      if (log.size() > 2000) log = log.substr(log.size() - 2000);
      return absl::FailedPreconditionError(
          absl::StrCat("regulatord exited at start (status ", status, "): ", log));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  Kill();
  return absl::DeadlineExceededError("regulatord did not report its port within a minute");
}

void ServerProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  WaitFor(pid_);
  pid_ = -1;
}

int ServerProcess::Stop() {
  if (!running()) return 0;
  kill(pid_, SIGTERM);
  const int status = WaitFor(pid_);
  pid_ = -1;
  return status;
}

}  // namespace regulation::crash
