#ifndef TOOLS_CRASH_HARNESS_SUBPROCESS_H_
#define TOOLS_CRASH_HARNESS_SUBPROCESS_H_

// Runs another program (regctl) to completion and captures what it printed.
//
// Thread safety: RunProgram may be called from any thread.

#include <string>
#include <vector>

namespace regulation::crash {

struct ProgramRun {
  // The exit code, or 128 + the signal number when it was killed; -1 when it could not
  // be started.
  int exit_code = -1;
  // stdout and stderr, interleaved as written.
  std::string output;
};

// Runs argv[0] (a path) with `argv`, without a shell.
ProgramRun RunProgram(const std::vector<std::string>& argv);

// The last line of `output` that starts with `prefix`, or "" when none does.
std::string LineStartingWith(const std::string& output, const std::string& prefix);

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_SUBPROCESS_H_
