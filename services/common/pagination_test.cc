#include "services/common/pagination.h"

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;

TEST(Pagination, PageSizeDefaultsAndClamps) {
  EXPECT_EQ(*ResolvePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*ResolvePageSize(7), 7);
  EXPECT_EQ(*ResolvePageSize(1000000), kMaxPageSize);
  EXPECT_THAT(ResolvePageSize(-1), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Pagination, TokenRoundTripsWithBinaryKeys) {
  const std::string key(
      "33\0\xff"
      "abc",
      7);
  const std::string token = EncodePageToken("f=1", key);
  absl::StatusOr<std::string> back = DecodePageToken(token, "f=1");
  ASSERT_OK(back);
  EXPECT_EQ(*back, key);
}

TEST(Pagination, TokenFromOtherFiltersIsRejected) {
  const std::string token = EncodePageToken("region=3301", "k");
  absl::StatusOr<std::string> back = DecodePageToken(token, "region=3302");
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(back.status().message().find("page_token"), absl::string_view::npos);
}

TEST(Pagination, GarbageTokenIsRejected) {
  EXPECT_THAT(DecodePageToken("not base64 !!", "f"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken("", "f"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::services
