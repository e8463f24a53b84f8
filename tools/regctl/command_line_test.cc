#include "tools/regctl/command_line.h"

#include "gtest/gtest.h"

namespace regulation::regctl {
namespace {

FlagKind Kind(absl::string_view name) {
  if (name == "all" || name == "stored") return FlagKind::kBool;
  if (name == "server" || name == "plan" || name == "out") return FlagKind::kValue;
  return FlagKind::kUnknown;
}

using Words = std::vector<std::string>;

TEST(ScanCommandLine, SeparatesFlagsFromTheCommandAndItsArguments) {
  const ScannedCommandLine s =
      ScanCommandLine({"--server=h:1", "assignments", "export", "--plan", "P1", "--all"}, Kind);
  EXPECT_EQ(s.flags, (Words{"server", "plan", "all"}));
  EXPECT_EQ(s.positional, (Words{"assignments", "export"}));  // P1 is --plan's value
  EXPECT_TRUE(s.unknown_flags.empty());
  EXPECT_FALSE(s.help);
}

TEST(ScanCommandLine, ABooleanTakesNoValueWordAndItsNoFormIsTheSameFlag) {
  const ScannedCommandLine s = ScanCommandLine({"enterprise", "--all", "list", "-noall"}, Kind);
  EXPECT_EQ(s.flags, (Words{"all", "all"}));
  EXPECT_EQ(s.positional, (Words{"enterprise", "list"}));
}

TEST(ScanCommandLine, UnknownFlagsAreKeptAsWritten) {
  const ScannedCommandLine s = ScanCommandLine({"results", "get", "--bogus=1", "R1"}, Kind);
  EXPECT_EQ(s.unknown_flags, (Words{"--bogus=1"}));
  EXPECT_EQ(s.positional, (Words{"results", "get", "R1"}));
}

TEST(ScanCommandLine, HelpInAnyFormAndAfterTheCommand) {
  EXPECT_TRUE(ScanCommandLine({"plan", "--help"}, Kind).help);
  EXPECT_TRUE(ScanCommandLine({"-h"}, Kind).help);
  EXPECT_TRUE(ScanCommandLine({"-help", "pki"}, Kind).help);
}

TEST(ScanCommandLine, AfterDoubleDashEverythingIsAnArgument) {
  const ScannedCommandLine s = ScanCommandLine({"verify-log", "--", "--weird-dir", "-"}, Kind);
  EXPECT_TRUE(s.flags.empty());
  EXPECT_TRUE(s.unknown_flags.empty());
  EXPECT_EQ(s.positional, (Words{"verify-log", "--weird-dir", "-"}));
}

}  // namespace
}  // namespace regulation::regctl
