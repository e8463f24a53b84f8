#include "tools/regctl/import/utf8.h"

#include <string>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

TEST(ValidateUtf8, AcceptsAsciiChineseAndFourByteCharacters) {
  EXPECT_OK(ValidateUtf8(""));
  EXPECT_OK(ValidateUtf8("Hangzhou, 330106"));
  EXPECT_OK(ValidateUtf8("杭州西湖区文三路 1 号"));
  EXPECT_OK(ValidateUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_OK(ValidateUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(ValidateUtf8, NamesTheFirstBadByte) {
  EXPECT_EQ(ValidateUtf8("ab\xFF").message(), "not valid UTF-8 (byte 3)");
  // GBK bytes of 杭州: a common mistake with Chinese spreadsheets.
  EXPECT_EQ(ValidateUtf8("x\xBA\xBC\xD6\xDD").message(), "not valid UTF-8 (byte 2)");
  EXPECT_FALSE(ValidateUtf8("\xE6\x9D").ok());               // truncated
  EXPECT_FALSE(ValidateUtf8("\xC0\xAF").ok());               // overlong '/'
  EXPECT_FALSE(ValidateUtf8("\xE0\x80\xAF").ok());           // overlong
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80").ok());           // surrogate U+D800
  EXPECT_FALSE(ValidateUtf8("\xF4\x90\x80\x80").ok());       // above U+10FFFF
  EXPECT_FALSE(ValidateUtf8(std::string("a\x80", 2)).ok());  // lone continuation
}

}  // namespace
}  // namespace regulation::regctl
