#include "common/utf8.h"
#include "scheduler/field_checks.h"

#include <string>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::testing::StatusIs;

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("市场监管局"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
}

TEST(IsValidUtf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE5\xB8"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));
}

TEST(CheckText, NamesTheFieldInItsMessage) {
  EXPECT_OK(CheckText("plan.plan_id", "P-1", 128));
  absl::Status status = CheckText("plan.plan_id", "", 128);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(status.message(), "plan.plan_id: is required");
  EXPECT_FALSE(CheckText("f", "a\nb", 128).ok());
  EXPECT_FALSE(CheckText("f", std::string(129, 'a'), 128).ok());
}

TEST(CheckIsoDate, AcceptsRealDatesOnly) {
  EXPECT_OK(CheckIsoDate("d", "2026-12-31"));
  EXPECT_OK(CheckIsoDate("d", "2028-02-29"));
  EXPECT_FALSE(CheckIsoDate("d", "2026-02-29").ok());
  EXPECT_FALSE(CheckIsoDate("d", "2100-02-29").ok());
  EXPECT_OK(CheckIsoDate("d", "2000-02-29"));
  EXPECT_FALSE(CheckIsoDate("d", "2026-13-01").ok());
  EXPECT_FALSE(CheckIsoDate("d", "2026-1-01").ok());
  EXPECT_FALSE(CheckIsoDate("d", "").ok());
}

TEST(CheckDigestHex, WantsSixtyFourLowercaseHexCharacters) {
  EXPECT_OK(CheckDigestHex("d", std::string(64, 'a')));
  EXPECT_FALSE(CheckDigestHex("d", std::string(64, 'A')).ok());
  EXPECT_FALSE(CheckDigestHex("d", std::string(63, 'a')).ok());
}

TEST(CheckInspectorId, FollowsTheRosterAlphabet) {
  EXPECT_OK(CheckInspectorId("id", "HZ-M.01_a"));
  EXPECT_FALSE(CheckInspectorId("id", "HZ M").ok());
  EXPECT_FALSE(CheckInspectorId("id", "").ok());
  EXPECT_FALSE(CheckInspectorId("id", std::string(65, 'a')).ok());
}

TEST(CheckCreditCode, ChecksTheCheckCharacter) {
  EXPECT_OK(CheckCreditCode("c", "91350100M000100Y43"));
  EXPECT_FALSE(CheckCreditCode("c", "91350100M000100Y44").ok());
}

}  // namespace
}  // namespace regulation::scheduler
