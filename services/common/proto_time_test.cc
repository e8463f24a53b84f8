#include "services/common/proto_time.h"

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;

TEST(ProtoTime, TimestampRoundTripIncludingBeforeEpoch) {
  for (absl::Time t :
       {absl::UnixEpoch(), absl::FromUnixMillis(1795812154123), absl::FromUnixNanos(-1500000000)}) {
    absl::StatusOr<absl::Time> back = FromProtoTimestamp(ToProtoTimestamp(t));
    ASSERT_OK(back);
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(ToProtoTimestamp(absl::FromUnixNanos(-1500000000)).nanos(), 500000000);
}

// Issue 12: GetPortraitAsOf(as_of before 1677-09-21) answered with seconds -9223372037,
// because the conversion went through saturated nanoseconds.
TEST(ProtoTime, TimestampsBeyondTheNanosecondRangeRoundTrip) {
  google::protobuf::Timestamp ts;
  for (int64_t seconds : {int64_t{-62135596800}, int64_t{-9300000000}, int64_t{253402300799}}) {
    ts.set_seconds(seconds);
    ts.set_nanos(123456789);
    absl::StatusOr<absl::Time> t = FromProtoTimestamp(ts);
    ASSERT_OK(t) << seconds;
    const google::protobuf::Timestamp back = ToProtoTimestamp(*t);
    EXPECT_EQ(back.seconds(), seconds);
    EXPECT_EQ(back.nanos(), 123456789);
  }
}

TEST(ProtoTime, OutOfRangeTimestampIsRejectedWithTheRange) {
  google::protobuf::Timestamp before_year_one;
  before_year_one.set_seconds(-62135596801);
  EXPECT_EQ(FromProtoTimestamp(before_year_one).status().message(),
            "must be a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z (seconds "
            "-62135596800 to 253402300799, nanos 0 to 999999999), got seconds=-62135596801 "
            "nanos=0");
}

TEST(ProtoTime, OutOfRangeTimestampIsRejected) {
  google::protobuf::Timestamp ts;
  ts.set_nanos(-1);
  EXPECT_THAT(FromProtoTimestamp(ts), StatusIs(absl::StatusCode::kInvalidArgument));
  ts.set_nanos(0);
  ts.set_seconds(253402300800);
  EXPECT_THAT(FromProtoTimestamp(ts), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ProtoTime, DatesMustExist) {
  v1::Date date;
  date.set_year(2024);
  date.set_month(2);
  date.set_day(29);
  EXPECT_OK(FromProtoDate(date));
  date.set_year(2023);
  EXPECT_THAT(FromProtoDate(date), StatusIs(absl::StatusCode::kInvalidArgument));
  date.set_month(13);
  EXPECT_FALSE(FromProtoDate(date).ok());
  date.set_year(0);
  EXPECT_FALSE(FromProtoDate(date).ok());
}

}  // namespace
}  // namespace regulation::services
