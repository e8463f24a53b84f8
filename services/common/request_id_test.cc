#include "services/common/request_id.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace regulation::services {
namespace {

TEST(IsValidRequestId, AcceptsPrintableIdsOnly) {
  EXPECT_TRUE(IsValidRequestId("a1B2.c_d:e-f"));
  EXPECT_TRUE(IsValidRequestId(std::string(kMaxRequestIdLength, 'x')));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId(std::string(kMaxRequestIdLength + 1, 'x')));
  EXPECT_FALSE(IsValidRequestId("has space"));
  EXPECT_FALSE(IsValidRequestId("line\nbreak"));
  EXPECT_FALSE(IsValidRequestId("{\"json\":1}"));
  EXPECT_FALSE(IsValidRequestId("杭州"));
}

TEST(NewRequestId, IsValidAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    EXPECT_EQ(id.size(), 32u);
    EXPECT_TRUE(IsValidRequestId(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << id;
  }
}

TEST(RequestIdOf, ReturnsWhatWasRegisteredUntilUnregistered) {
  grpc::ServerContext a, b;
  EXPECT_EQ(RequestIdOf(&a), "");
  RegisterRequestId(&a, "id-a");
  RegisterRequestId(&b, "id-b");
  EXPECT_EQ(RequestIdOf(&a), "id-a");
  EXPECT_EQ(RequestIdOf(&b), "id-b");
  UnregisterRequestId(&a);
  EXPECT_EQ(RequestIdOf(&a), "");
  EXPECT_EQ(RequestIdOf(&b), "id-b");
  UnregisterRequestId(&b);
}

}  // namespace
}  // namespace regulation::services
