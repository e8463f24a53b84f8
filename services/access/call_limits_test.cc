#include "services/access/call_limits.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace regulation::access {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

TEST(CallLimiter, StreamsPastTheLimitAreRefusedAndSlotsComeBack) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  CallLimiter limiter({/*max_streams_per_identity=*/2, 0, 0}, &clock);
  std::vector<CallLimiter::StreamSlot> held;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<CallLimiter::StreamSlot> slot = limiter.AcquireStream("CN=a");
    ASSERT_OK(slot);
    held.push_back(*std::move(slot));
  }
  absl::StatusOr<CallLimiter::StreamSlot> third = limiter.AcquireStream("CN=a");
  EXPECT_THAT(third, StatusIs(absl::StatusCode::kResourceExhausted,
                              HasSubstr("--max_streams_per_identity=2")));
  // Another identity is not affected.
  EXPECT_OK(limiter.AcquireStream("CN=b"));
  EXPECT_EQ(limiter.OpenStreams("CN=b"), 0);  // that slot was a temporary, released
  held.pop_back();
  EXPECT_EQ(limiter.OpenStreams("CN=a"), 1);
  EXPECT_OK(limiter.AcquireStream("CN=a"));
  held.clear();
  EXPECT_EQ(limiter.OpenStreams("CN=a"), 0);
}

TEST(CallLimiter, WritesAreATokenBucketPerIdentity) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  CallLimiter limiter({0, /*writes_per_second=*/10, /*burst=*/3}, &clock);
  for (int i = 0; i < 3; ++i) EXPECT_OK(limiter.AdmitWrite("CN=a")) << i;
  const absl::Status refused = limiter.AdmitWrite("CN=a");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                HasSubstr("at most 10 state-changing calls per second")));
  EXPECT_THAT(refused.message(), HasSubstr("--write_rate_per_identity"));
  EXPECT_THAT(refused.message(), HasSubstr("retry in 0.10 s"));
  EXPECT_OK(limiter.AdmitWrite("CN=b"));
  clock.Advance(absl::Milliseconds(100));  // one token back
  EXPECT_OK(limiter.AdmitWrite("CN=a"));
  EXPECT_FALSE(limiter.AdmitWrite("CN=a").ok());
  clock.Advance(absl::Hours(1));  // never more than the burst
  for (int i = 0; i < 3; ++i) EXPECT_OK(limiter.AdmitWrite("CN=a")) << i;
  EXPECT_FALSE(limiter.AdmitWrite("CN=a").ok());
}

TEST(CallLimiter, ZeroMeansNoLimit) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  CallLimiter limiter({0, 0, 0}, &clock);
  std::vector<CallLimiter::StreamSlot> held;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_OK(limiter.AdmitWrite("CN=a"));
    held.push_back(*limiter.AcquireStream("CN=a"));
  }
}

}  // namespace
}  // namespace regulation::access
