#include "common/net_address.h"

#include "gtest/gtest.h"

namespace regulation {
namespace {

TEST(NetAddress, LoopbackHostsOnly) {
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:0"));
  EXPECT_TRUE(IsLoopbackAddress("127.8.9.10:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:50051"));
  EXPECT_FALSE(IsLoopbackAddress("example.org:50051"));
  EXPECT_FALSE(IsLoopbackAddress("localhost.example.org:1"));
  EXPECT_FALSE(IsLoopbackAddress("[::1:50051"));
}

}  // namespace
}  // namespace regulation
