#include "tools/regctl/command_table.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/regctl/regctl_commands.h"

namespace regulation::regctl {
namespace {

CommandTable SmallTable() {
  return CommandTable(
      {{"pki", "a local CA", {"pki init --ca_dir=DIR"}, {{"ca_dir", "the CA directory"},
                                                          {"out", "issue: where to write"}}},
       {"assignments", "your assignments", {"assignments list [--plan=ID]"},
        {{"plan", "only this plan"}, {"out", "export: the output file"}}},
       {"services", "reflection", {"services"}, {}}},
      {{"server", "HOST:PORT"}}, "exit codes: ...");
}

TEST(CommandTable, AFlagOfTheCommandOrAGlobalOneIsAccepted) {
  const CommandTable table = SmallTable();
  EXPECT_TRUE(table.CheckFlags(*table.Find("pki"), {"ca_dir", "server", "out"}).ok());
}

TEST(CommandTable, AnUnknownFlagIsAUsageErrorNamingTheCommandsFlags) {
  const CommandTable table = SmallTable();
  const absl::Status status = table.CheckFlags(*table.Find("pki"), {"ca_dir", "bogus"});
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "--bogus is not a regctl flag"));
  EXPECT_TRUE(absl::StrContains(status.message(), "regctl pki takes: --ca_dir, --out"));
}

TEST(CommandTable, AFlagOfAnotherCommandIsRefusedAndItsOwnerNamed) {
  const CommandTable table = SmallTable();
  const absl::Status status = table.CheckFlags(*table.Find("pki"), {"plan"});
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(),
                                "--plan is a flag of regctl assignments, not of regctl pki"));
  EXPECT_TRUE(absl::StrContains(
      table.CheckFlags(*table.Find("services"), {"out"}).message(),
      "regctl services takes: none besides the global ones"));
}

TEST(CommandTable, HelpSaysWhatASharedFlagMeansForEachCommand) {
  const CommandTable table = SmallTable();
  const std::string pki = table.Help(*table.Find("pki"));
  const std::string assignments = table.Help(*table.Find("assignments"));
  EXPECT_TRUE(absl::StrContains(pki, "issue: where to write"));
  EXPECT_FALSE(absl::StrContains(pki, "export: the output file"));
  EXPECT_TRUE(absl::StrContains(assignments, "export: the output file"));
  EXPECT_FALSE(absl::StrContains(assignments, "issue: where to write"));
}

TEST(CommandTable, UnknownCommandIsNotFound) {
  EXPECT_EQ(SmallTable().Find("frobnicate"), nullptr);
}

// The real table.
TEST(RegctlCommands, EveryCommandHasASummaryUsageAndHelpAndIsInTheOverview) {
  const CommandTable& table = RegctlCommands();
  const std::string overview = table.Overview();
  std::set<std::string> names;
  for (const CommandSpec& command : table.commands()) {
    EXPECT_TRUE(names.insert(command.name).second) << "twice: " << command.name;
    EXPECT_FALSE(command.summary.empty()) << command.name;
    ASSERT_FALSE(command.usage.empty()) << command.name;
    const std::string help = table.Help(command);
    for (const std::string& usage : command.usage) {
      EXPECT_TRUE(absl::StartsWith(usage, command.name)) << usage;
      EXPECT_TRUE(absl::StrContains(help, "regctl " + usage)) << command.name;
      EXPECT_TRUE(absl::StrContains(overview, "regctl " + usage)) << command.name;
    }
    std::set<std::string> flags;
    for (const FlagHelp& flag : command.flags) {
      EXPECT_TRUE(flags.insert(flag.name).second) << command.name << " --" << flag.name;
      EXPECT_FALSE(flag.help.empty()) << command.name << " --" << flag.name;
      EXPECT_TRUE(absl::StrContains(help, "--" + flag.name)) << command.name;
    }
  }
}

TEST(RegctlCommands, FlagsThatChangeMeaningAreDocumentedPerCommand) {
  const CommandTable& table = RegctlCommands();
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("pki")), "holder's name"));
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("enterprise")), "registered name"));
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("admin")), "backup directory"));
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("synth")), "output directory"));
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("portrait")), "end of that day"));
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("results")), "the day to count from"));
  EXPECT_TRUE(absl::StrContains(table.Help(*table.Find("conflict")), "stands aside"));
  EXPECT_FALSE(absl::StrContains(table.Help(*table.Find("conflict")), "published with"));
}

TEST(RegctlCommands, AMisplacedFlagIsRefused) {
  const CommandTable& table = RegctlCommands();
  EXPECT_TRUE(table.CheckFlags(*table.Find("assignments"), {"plan", "format"}).ok());
  EXPECT_FALSE(table.CheckFlags(*table.Find("enterprise"), {"ca_dir"}).ok());
  EXPECT_FALSE(table.CheckFlags(*table.Find("results"), {"page_token"}).ok());
  EXPECT_FALSE(table.CheckFlags(*table.Find("health"), {"out"}).ok());
}

}  // namespace
}  // namespace regulation::regctl
