#include "services/common/proto_time.h"

#include "gtest/gtest.h"

namespace regulation::services {
namespace {

TEST(ProtoTime, TimestampRoundTripIncludingBeforeEpoch) {
  for (absl::Time t :
       {absl::UnixEpoch(), absl::FromUnixMillis(1795812154123), absl::FromUnixNanos(-1500000000)}) {
    absl::StatusOr<absl::Time> back = FromProtoTimestamp(ToProtoTimestamp(t));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(ToProtoTimestamp(absl::FromUnixNanos(-1500000000)).nanos(), 500000000);
}

TEST(ProtoTime, OutOfRangeTimestampIsRejected) {
  google::protobuf::Timestamp ts;
  ts.set_nanos(-1);
  EXPECT_EQ(FromProtoTimestamp(ts).status().code(), absl::StatusCode::kInvalidArgument);
  ts.set_nanos(0);
  ts.set_seconds(253402300800);
  EXPECT_EQ(FromProtoTimestamp(ts).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ProtoTime, DatesMustExist) {
  v1::Date date;
  date.set_year(2024);
  date.set_month(2);
  date.set_day(29);
  EXPECT_TRUE(FromProtoDate(date).ok());
  date.set_year(2023);
  EXPECT_EQ(FromProtoDate(date).status().code(), absl::StatusCode::kInvalidArgument);
  date.set_month(13);
  EXPECT_FALSE(FromProtoDate(date).ok());
  date.set_year(0);
  EXPECT_FALSE(FromProtoDate(date).ok());
}

}  // namespace
}  // namespace regulation::services
