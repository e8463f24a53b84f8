#include "services/common/pagination.h"

#include "gtest/gtest.h"

namespace regulation::services {
namespace {

TEST(Pagination, PageSizeDefaultsAndClamps) {
  EXPECT_EQ(*ResolvePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*ResolvePageSize(7), 7);
  EXPECT_EQ(*ResolvePageSize(1000000), kMaxPageSize);
  EXPECT_EQ(ResolvePageSize(-1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Pagination, TokenRoundTripsWithBinaryKeys) {
  const std::string key(
      "33\0\xff"
      "abc",
      7);
  const std::string token = EncodePageToken("f=1", key);
  absl::StatusOr<std::string> back = DecodePageToken(token, "f=1");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, key);
}

TEST(Pagination, TokenFromOtherFiltersIsRejected) {
  const std::string token = EncodePageToken("region=3301", "k");
  absl::StatusOr<std::string> back = DecodePageToken(token, "region=3302");
  EXPECT_EQ(back.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(back.status().message().find("page_token"), absl::string_view::npos);
}

TEST(Pagination, GarbageTokenIsRejected) {
  EXPECT_EQ(DecodePageToken("not base64 !!", "f").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("", "f").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::services
