#include "tools/regctl/scoring_command.h"

#include <cstdio>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation::regctl {
namespace {

using ::testing::EndsWith;

v1::ScoreReason Penalties() {
  v1::ScoreReason reason;
  reason.set_code("PENALTIES_1Y");
  reason.set_contribution(0.412);
  reason.set_text("2 administrative penalties in the last 12 months");
  reason.set_text_zh("近12个月受到行政处罚2次");
  return reason;
}

TEST(ReasonLine, ChineseByDefaultEnglishOnRequest) {
  EXPECT_EQ(ReasonLine(Penalties(), "zh"),
            "  PENALTIES_1Y                 +0.412  近12个月受到行政处罚2次");
  EXPECT_THAT(ReasonLine(Penalties(), "en"),
              EndsWith("+0.412  2 administrative penalties in the last 12 months"));
}

TEST(ReasonLine, AServerWithoutChineseTextStillGivesTheReason) {
  v1::ScoreReason reason = Penalties();
  reason.clear_text_zh();
  EXPECT_THAT(ReasonLine(reason, "zh"),
              EndsWith("2 administrative penalties in the last 12 months"));
}

TEST(RunScoringCommand, AnUnknownLanguageIsAUsageErrorBeforeAnyCall) {
  ScoringOptions options;
  options.lang = "fr";
  ConnectionOptions connection;
  connection.server = "127.0.0.1:1";  // nothing listens: a call would fail otherwise
  EXPECT_EQ(RunScoringCommand({"score", "get", "91330106000654337W"}, options, connection, stdout),
            kExitUsage);
  EXPECT_EQ(ScoringOptions().lang, "zh");
}

}  // namespace
}  // namespace regulation::regctl
