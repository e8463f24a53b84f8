#include "services/access/call_limits.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/fake_clock.h"

namespace regulation::access {
namespace {

using ::testing::HasSubstr;

TEST(CallLimiter, StreamsPastTheLimitAreRefusedAndSlotsComeBack) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  CallLimiter limiter({/*max_streams_per_identity=*/2, 0, 0}, &clock);
  std::vector<CallLimiter::StreamSlot> held;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<CallLimiter::StreamSlot> slot = limiter.AcquireStream("CN=a");
    ASSERT_TRUE(slot.ok());
    held.push_back(*std::move(slot));
  }
  absl::StatusOr<CallLimiter::StreamSlot> third = limiter.AcquireStream("CN=a");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(third.status().message(), HasSubstr("--max_streams_per_identity=2"));
  // Another identity is not affected.
  EXPECT_TRUE(limiter.AcquireStream("CN=b").ok());
  EXPECT_EQ(limiter.OpenStreams("CN=b"), 0);  // that slot was a temporary, released
  held.pop_back();
  EXPECT_EQ(limiter.OpenStreams("CN=a"), 1);
  EXPECT_TRUE(limiter.AcquireStream("CN=a").ok());
  held.clear();
  EXPECT_EQ(limiter.OpenStreams("CN=a"), 0);
}

TEST(CallLimiter, WritesAreATokenBucketPerIdentity) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  CallLimiter limiter({0, /*writes_per_second=*/10, /*burst=*/3}, &clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.AdmitWrite("CN=a").ok()) << i;
  const absl::Status refused = limiter.AdmitWrite("CN=a");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("at most 10 state-changing calls per second"));
  EXPECT_THAT(refused.message(), HasSubstr("--write_rate_per_identity"));
  EXPECT_THAT(refused.message(), HasSubstr("retry in 0.10 s"));
  EXPECT_TRUE(limiter.AdmitWrite("CN=b").ok());
  clock.Advance(absl::Milliseconds(100));  // one token back
  EXPECT_TRUE(limiter.AdmitWrite("CN=a").ok());
  EXPECT_FALSE(limiter.AdmitWrite("CN=a").ok());
  clock.Advance(absl::Hours(1));  // never more than the burst
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.AdmitWrite("CN=a").ok()) << i;
  EXPECT_FALSE(limiter.AdmitWrite("CN=a").ok());
}

TEST(CallLimiter, ZeroMeansNoLimit) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  CallLimiter limiter({0, 0, 0}, &clock);
  std::vector<CallLimiter::StreamSlot> held;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.AdmitWrite("CN=a").ok());
    held.push_back(*limiter.AcquireStream("CN=a"));
  }
}

}  // namespace
}  // namespace regulation::access
