#include "common/credit_code.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// The valid examples of ../shared/notes/domain.md.
constexpr const char* kValidCodes[] = {"91350100M000100Y43", "91110000600037341L"};

TEST(CreditCode, PublishedExamplesAreValid) {
  for (const char* code : kValidCodes) {
    EXPECT_OK(ValidateCreditCode(code)) << code << ": " << ValidateCreditCode(code);
  }
}

TEST(CreditCode, CheckCharacterOfPublishedExamples) {
  EXPECT_EQ(CreditCodeCheckCharacter("91350100M000100Y4"), '3');
  EXPECT_EQ(CreditCodeCheckCharacter("91110000600037341"), 'L');
}

TEST(CreditCode, EverySingleCharacterSubstitutionFails) {
  const std::string candidates =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_ \x01\xff";
  int tried = 0;
  for (const std::string valid : kValidCodes) {
    for (size_t pos = 0; pos < valid.size(); ++pos) {
      for (char c : candidates) {
        if (c == valid[pos]) continue;
        std::string changed = valid;
        changed[pos] = c;
        ++tried;
        EXPECT_THAT(ValidateCreditCode(changed), StatusIs(absl::StatusCode::kInvalidArgument))
            << changed << " (position " << pos + 1 << ") was accepted";
      }
    }
  }
  EXPECT_GT(tried, 2 * 18 * 60);
}

TEST(CreditCode, LowercaseIsRejectedWithReason) {
  const absl::Status status = ValidateCreditCode("91350100m000100Y43");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lowercase")));
}

TEST(CreditCode, WrongLengthIsRejected) {
  EXPECT_THAT(ValidateCreditCode("91350100M000100Y4").message(), HasSubstr("18 characters"));
  EXPECT_THAT(ValidateCreditCode("91350100M000100Y430").message(), HasSubstr("18 characters"));
  EXPECT_THAT(ValidateCreditCode("").message(), HasSubstr("required"));
}

TEST(CreditCode, ForbiddenLettersAreRejectedEvenWithMatchingWeights) {
  // I, O, S, V, Z are outside the alphabet wherever they appear.
  for (char forbidden : std::string("IOSVZ")) {
    std::string code = "91350100M000100Y43";
    code[8] = forbidden;
    const absl::Status status = ValidateCreditCode(code);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(status.message(), HasSubstr("not allowed")) << code;
  }
}

TEST(CreditCode, WrongCheckCharacterNamesTheExpectedOne) {
  EXPECT_THAT(ValidateCreditCode("91350100M000100Y44").message(), HasSubstr("expected '3'"));
}

TEST(CreditCode, AlphabetValuesRoundTrip) {
  for (int v = 0; v < 31; ++v) EXPECT_EQ(CreditCodeCharValue(CreditCodeCharFromValue(v)), v);
  EXPECT_EQ(CreditCodeCharValue('I'), -1);
  EXPECT_EQ(CreditCodeCharValue('a'), -1);
}

}  // namespace
}  // namespace regulation
