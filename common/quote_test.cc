#include "common/quote.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation {
namespace {

using ::testing::HasSubstr;

TEST(Quote, ShortInputIsQuotedWhole) {
  EXPECT_EQ(Quote("3301"), "\"3301\"");
  EXPECT_EQ(Quote(""), "\"\"");
  EXPECT_EQ(Quote("杭州"), "\"杭州\"");
}

// Issue 12: a 10 kB region_prefix came back whole in the status message.
TEST(Quote, LongInputKeepsSixtyFourCharactersAndItsSize) {
  const std::string quoted = Quote(std::string(10000, '3'));
  EXPECT_EQ(quoted, "\"" + std::string(64, '3') + "…\" (10000 bytes)");
  std::string han;
  for (int i = 0; i < 100; ++i) han += "市";
  std::string expected = "\"";
  for (int i = 0; i < 64; ++i) expected += "市";
  EXPECT_EQ(Quote(han), expected + "…\" (300 bytes)");
  EXPECT_EQ(Bounded(std::string(65, 'a')), std::string(64, 'a') + "…");
}

TEST(Quote, RefusedCharactersAndInvalidBytesAreEscaped) {
  EXPECT_EQ(Quote("a\x01z"), "\"a\\x01z\"");
  EXPECT_EQ(Quote("a\nz"), "\"a\\x0Az\"");
  EXPECT_EQ(Quote("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
  EXPECT_EQ(Quote("evil\xE2\x80\xAEgpj"), "\"evil\\u202Egpj\"");
  EXPECT_EQ(Quote("\xEF\xBB\xBFx"), "\"\\uFEFFx\"");
  EXPECT_EQ(Quote("ab\xFF"), "\"ab\\xFF\"");
  // Escapes do not let more than 64 characters of input through.
  EXPECT_THAT(Quote(std::string(1000, '\x01')), HasSubstr("(1000 bytes)"));
  EXPECT_LT(Quote(std::string(1000, '\x01')).size(), 64u * 4 + 32);
}

}  // namespace
}  // namespace regulation
