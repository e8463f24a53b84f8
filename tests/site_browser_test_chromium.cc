#include "tests/site_browser_test_chromium.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace regulation::testing {
namespace {

constexpr absl::Duration kBrowserTimeout = absl::Seconds(90);

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

absl::StatusOr<std::string> FindChromium() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CHROMIUM"); env != nullptr && *env != '\0') {
    candidates.push_back(env);
  }
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    candidates.push_back(path);
  }
  for (const std::string& path : candidates) {
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return absl::NotFoundError(
      "no Chromium found (tried $CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, "
      "/usr/bin/google-chrome): install it with `apt-get install chromium` (CI does); this "
      "test checks the public site in a real browser and does not skip");
}

absl::StatusOr<std::string> DumpDom(const std::string& chromium, const std::string& url,
                                    const std::string& work_dir, const std::string& profile_dir) {
  BrowserOptions options;
  options.profile_dir = profile_dir;
  return DumpDomWith(chromium, url, work_dir, options);
}

absl::StatusOr<std::string> DumpDomWith(const std::string& chromium, const std::string& url,
                                        const std::string& work_dir, const BrowserOptions& options) {
  const std::string& profile_dir = options.profile_dir;
  static std::atomic<int> run{0};
  const std::string name = absl::StrCat(work_dir, "/chromium-", run.fetch_add(1));
  const std::string out_path = name + ".dom";
  const std::string err_path = name + ".log";
  // Everything the child needs, built before fork (only exec-safe calls after it).
  std::vector<std::string> args = {
      chromium,
      "--headless",
      "--no-sandbox",  // tests run as root in containers
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--user-data-dir=" + (profile_dir.empty() ? name + ".profile" : profile_dir),
      absl::StrCat("--virtual-time-budget=", options.virtual_time_budget_ms),
      "--dump-dom",
  };
  if (options.width > 0 && options.height > 0) {
    args.push_back(absl::StrCat("--window-size=", options.width, ",", options.height));
  }
  if (!options.screenshot_path.empty()) args.push_back("--screenshot=" + options.screenshot_path);
  args.push_back(url);
  const std::vector<std::string> env = {
      "HOME=" + work_dir,
      "XDG_CONFIG_HOME=" + work_dir,
      "XDG_CACHE_HOME=" + work_dir,
      "PATH=/usr/bin:/bin",
      "LANG=C.UTF-8",
  };
  std::vector<char*> argv, envp;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);  // a group of its own, to kill whatever it starts
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) ::_exit(126);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  const absl::Time deadline = absl::Now() + kBrowserTimeout;
  int status = 0;
  bool exited = false;
  while (absl::Now() < deadline) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      exited = true;
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  ::kill(-pid, SIGKILL);  // the browser's helpers, if any are left
  if (!exited) {
    ::waitpid(pid, &status, 0);
    return absl::DeadlineExceededError(absl::StrCat("chromium did not finish ", url, " within ",
                                                    absl::FormatDuration(kBrowserTimeout), "; log: ",
                                                    ReadFile(err_path)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("chromium failed on ", url, " (status ", status,
                                            "); log: ", ReadFile(err_path)));
  }
  return ReadFile(out_path);
}

}  // namespace regulation::testing
