#include "common/text_policy.h"

#include <string>

#include "common/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

absl::Status Check(absl::string_view value, TextRule rule = TextRule::RequiredChars(200)) {
  return ValidateText("enterprise.name", value, rule);
}

TEST(ValidateText, OrdinaryTextPasses) {
  EXPECT_OK(Check("杭州某某科技有限公司"));
  EXPECT_OK(Check("Acme (Hangzhou) Co., Ltd."));
  EXPECT_OK(Check(" padded name "));
  EXPECT_OK(Check("emoji \xF0\x9F\x98\x80 and an ideographic space\xE3\x80\x80inside"));
}

TEST(ValidateText, RequiredAndOptional) {
  EXPECT_THAT(Check("").message(), "enterprise.name: is required");
  EXPECT_OK(ValidateText("address", "", TextRule::OptionalChars(500)));
}

// The characters issue 12 found stored: each is refused, named by its code point.
TEST(ValidateText, RefusesControlsBidiZeroWidthAndBom) {
  struct Case {
    std::string value;
    std::string expected;
  };
  const Case cases[] = {
      {"a\x01z", "control characters (U+0001 at character 2)"},
      {"a\nz", "control characters (U+000A at character 2)"},
      {"a\x7Fz", "control characters (U+007F at character 2)"},
      {"a\xC2\x85z", "control characters (U+0085 at character 2)"},  // NEXT LINE (C1)
      {"a\xC2\x9Fz", "control characters (U+009F at character 2)"},
      {"a\xE2\x80\xA8z", "control characters (U+2028 at character 2)"},
      {"evil\xE2\x80\xAEgpj.exe", "bidirectional formatting characters (U+202E at character 5)"},
      {"a\xE2\x80\xAAz", "bidirectional formatting characters (U+202A"},
      {"a\xE2\x81\xA6z", "bidirectional formatting characters (U+2066"},
      {"a\xE2\x81\xA9z", "bidirectional formatting characters (U+2069"},
      {"\xE2\x80\x8B", "zero-width characters or byte-order marks (U+200B at character 1)"},
      {"a\xE2\x80\x8Dz", "zero-width characters or byte-order marks (U+200D"},
      {"a\xE2\x81\xA0z", "zero-width characters or byte-order marks (U+2060"},
      {"\xEF\xBB\xBFname", "zero-width characters or byte-order marks (U+FEFF at character 1)"},
  };
  for (const Case& c : cases) {
    const absl::Status status = Check(c.value);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.expected;
    EXPECT_THAT(status.message(), HasSubstr(c.expected));
    EXPECT_THAT(status.message(), HasSubstr("enterprise.name: must not contain"));
  }
}

TEST(ValidateText, BlankAfterTrimmingUnicodeWhiteSpaceIsRefused) {
  for (const char* blank : {" ", "   ", "\xE3\x80\x80", "\xC2\xA0 \xE2\x80\x83"}) {
    EXPECT_THAT(Check(blank).message(), HasSubstr("must not be blank")) << blank;
    // Optional fields too: present but blank is not absent.
    EXPECT_THAT(ValidateText("address", blank, TextRule::OptionalChars(500)).message(),
                HasSubstr("address: must not be blank"));
  }
}

TEST(ValidateText, InvalidUtf8NamesTheByte) {
  EXPECT_THAT(Check("ab\xFFz").message(), "enterprise.name: is not valid UTF-8 (byte 3)");
  EXPECT_THAT(Check("\xC0\xAF").message(), HasSubstr("not valid UTF-8"));      // overlong '/'
  EXPECT_THAT(Check("\xED\xA0\x80").message(), HasSubstr("not valid UTF-8"));  // surrogate
  EXPECT_THAT(Check("\xE5\xB8").message(), HasSubstr("not valid UTF-8"));      // truncated
}

TEST(ValidateText, LimitsInBytesOrCharacters) {
  const std::string twenty_han = [] {
    std::string s;
    for (int i = 0; i < 20; ++i) s += "市";
    return s;
  }();
  EXPECT_OK(ValidateText("f", twenty_han, TextRule::RequiredChars(20)));
  EXPECT_THAT(ValidateText("f", twenty_han, TextRule::RequiredChars(19)).message(),
              "f: must be at most 19 characters, got 20");
  EXPECT_THAT(ValidateText("f", twenty_han, TextRule::RequiredBytes(59)).message(),
              "f: must be at most 59 bytes, got 60");
  // A long value is refused by its size before the whole of it is examined.
  EXPECT_THAT(ValidateText("f", std::string(100000, '\x01'), TextRule::RequiredBytes(500))
                  .message(),
              HasSubstr("at most 500 bytes"));
}

TEST(ValidateText, MultilineRulesLetLineFeedsThroughAndNothingElse) {
  const TextRule rule = TextRule::OptionalBytes(4000).Multiline();
  EXPECT_OK(ValidateText("result.findings", "line one\nline two", rule));
  EXPECT_THAT(ValidateText("result.findings", "a\r\nb", rule).message(), HasSubstr("U+000D"));
  EXPECT_THAT(ValidateText("result.findings", "\n\n", rule).message(), HasSubstr("blank"));
}

TEST(Utf8, DecodesAndCounts) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("市场监管局"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_EQ(Utf8Length("市场a"), 3u);
  EXPECT_EQ(Utf8Length("\xFF\xFE"), 2u);
}

}  // namespace
}  // namespace regulation
