#include "scheduler/entropy/hex.h"

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler::entropy {
namespace {

using ::regulation::testing::StatusIs;

TEST(DecodeHex, DecodesLowercase) {
  absl::StatusOr<std::string> bytes = DecodeHex("f", "00ff10");
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, std::string("\x00\xff\x10", 3));
}

TEST(DecodeHex, LowerOnlyRefusesUppercaseNamingTheField) {
  absl::StatusOr<std::string> bytes = DecodeHex("signature_hex", "00FF");
  ASSERT_FALSE(bytes.ok());
  EXPECT_THAT(bytes, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(bytes.status().message(),
            "signature_hex: must be lowercase hex, got \"F\" at character 3");
}

TEST(DecodeHex, EitherCaseAcceptsUppercase) {
  absl::StatusOr<std::string> bytes = DecodeHex("f", "0aFf", 0, HexCase::kEither);
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "\x0a\xff");
}

TEST(DecodeHex, RefusesOddLengthAndWrongSize) {
  EXPECT_EQ(DecodeHex("f", "abc").status().message(),
            "f: must be lowercase hex of whole bytes, got 3 digits");
  EXPECT_EQ(DecodeHex("f", "abcd", 3).status().message(),
            "f: must be 3 bytes (6 hex digits), got 2");
  EXPECT_FALSE(DecodeHex("f", "zz").ok());
  EXPECT_FALSE(DecodeHex("f", " 0").ok());
}

TEST(EncodeHex, IsLowercase) { EXPECT_EQ(EncodeHex("\x0a\xff"), "0aff"); }

}  // namespace
}  // namespace regulation::scheduler::entropy
