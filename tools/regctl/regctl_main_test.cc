// The regctl binary as users run it, for every command of the table: help is generated,
// flags are checked per command, and the command reaches its runner.

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/regctl/regctl_commands.h"

namespace regulation::regctl {
namespace {

struct Ran {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs tools/regctl/regctl (a data dependency) with `arguments`, in an empty environment
// for TLS so that nothing of the machine's is used.
Ran Regctl(const std::string& arguments) {
  const std::string command =
      absl::StrCat("REGCTL_TLS_DIR=/nonexistent tools/regctl/regctl ", arguments, " 2>&1");
  Ran ran;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return ran;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) ran.output.append(buffer, n);
  const int status = pclose(pipe);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

// A flag some other command takes and `command` does not; empty if none.
std::string ForeignFlag(const CommandSpec& command) {
  for (const CommandSpec& other : RegctlCommands().commands()) {
    for (const FlagHelp& flag : other.flags) {
      bool own = false;
      for (const FlagHelp& mine : command.flags) own = own || mine.name == flag.name;
      if (!own) return flag.name;
    }
  }
  return "";
}

TEST(Regctl, HelpListsEveryCommandAndExitsZero) {
  const Ran ran = Regctl("--help");
  ASSERT_EQ(ran.exit_code, 0) << ran.output;  // also: every command is bound to a runner
  for (const CommandSpec& command : RegctlCommands().commands()) {
    EXPECT_TRUE(absl::StrContains(ran.output, absl::StrCat("  ", command.name, " ")))
        << command.name;
  }
  EXPECT_EQ(Regctl("help").output, ran.output);
}

TEST(Regctl, EveryCommandHasGeneratedHelpBothWays) {
  for (const CommandSpec& command : RegctlCommands().commands()) {
    const Ran help = Regctl(absl::StrCat("help ", command.name));
    EXPECT_EQ(help.exit_code, 0) << command.name;
    EXPECT_EQ(help.output, RegctlCommands().Help(command)) << command.name;
    EXPECT_EQ(Regctl(absl::StrCat(command.name, " --help")).output, help.output)
        << command.name;
  }
}

TEST(Regctl, AnUnknownFlagIsAUsageErrorNamingTheCommandsFlags) {
  for (const CommandSpec& command : RegctlCommands().commands()) {
    const Ran ran = Regctl(absl::StrCat(command.name, " --no_such_flag=1"));
    EXPECT_EQ(ran.exit_code, 2) << command.name;
    EXPECT_TRUE(absl::StrContains(ran.output, "--no_such_flag=1 is not a regctl flag"))
        << ran.output;
    EXPECT_TRUE(absl::StrContains(
        ran.output, absl::StrCat("regctl ", command.name, " takes: ",
                                 RegctlCommands().FlagList(command))))
        << ran.output;
  }
}

TEST(Regctl, AFlagOfAnotherCommandIsRefusedBeforeAnythingRuns) {
  for (const CommandSpec& command : RegctlCommands().commands()) {
    const std::string flag = ForeignFlag(command);
    ASSERT_FALSE(flag.empty()) << command.name;
    const Ran ran = Regctl(absl::StrCat(command.name, " --", flag, "=x"));
    EXPECT_EQ(ran.exit_code, 2) << command.name;
    EXPECT_TRUE(absl::StrContains(ran.output, absl::StrCat("--", flag, " is a flag of regctl ")))
        << ran.output;
  }
  // The concrete mistake: pki's --ca_dir given to enterprise.
  const Ran ran = Regctl("enterprise get 91110000000000000X --ca_dir=/tmp");
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(ran.output, "--ca_dir is a flag of regctl pki"));
}

TEST(Regctl, EveryCommandReachesItsRunner) {
  for (const CommandSpec& command : RegctlCommands().commands()) {
    // A bad verb: each runner refuses it in its own words (or, for the commands that take
    // none, goes on to the unreachable server); never the table's "unknown command".
    const Ran ran = Regctl(absl::StrCat(
        "--insecure_loopback --server=127.0.0.1:1 --timeout_seconds=1 ", command.name,
        " no-such-verb"));
    EXPECT_NE(ran.exit_code, 70) << ran.output;
    EXPECT_GE(ran.exit_code, 1) << command.name << ": " << ran.output;
    EXPECT_FALSE(absl::StrContains(ran.output, "no command \"")) << ran.output;
    EXPECT_FALSE(absl::StrContains(ran.output, "is not a regctl flag")) << ran.output;
  }
}

TEST(Regctl, NoCommandOrAnUnknownOneIsAUsageError) {
  EXPECT_EQ(Regctl("").exit_code, 2);
  const Ran ran = Regctl("frobnicate");
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(ran.output, "no command \"frobnicate\" (regctl --help)"));
}

}  // namespace
}  // namespace regulation::regctl
