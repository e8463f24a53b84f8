#include "services/telemetry/rpc_labels.h"

#include "gtest/gtest.h"

namespace regulation::telemetry {
namespace {

TEST(RpcLabelsFor, NamesAKnownMethodAndWhetherItChangesState) {
  const RpcLabels write =
      RpcLabelsFor("/regulation.v1.PortraitService/IngestEvents", RpcType::kBidiStream);
  EXPECT_EQ(write.service, "regulation.v1.PortraitService");
  EXPECT_EQ(write.method, "IngestEvents");
  EXPECT_EQ(write.type, "bidi_stream");
  EXPECT_TRUE(write.mutating);
  const RpcLabels read = RpcLabelsFor("/grpc.health.v1.Health/Check", RpcType::kUnary);
  EXPECT_EQ(read.service, "grpc.health.v1.Health");
  EXPECT_EQ(read.method, "Check");
  EXPECT_FALSE(read.mutating);
}

TEST(RpcLabelsFor, AnyOtherNameIsUnknownSoLabelsStayBounded) {
  for (const char* name : {"/made.up.Service/Method", "/regulation.v1.PortraitService/Nope",
                           "no-slash", "", "/"}) {
    const RpcLabels labels = RpcLabelsFor(name, RpcType::kUnary);
    EXPECT_EQ(labels.service, "unknown") << name;
    EXPECT_EQ(labels.method, "unknown") << name;
  }
}

TEST(StatusCodeName, CanonicalNames) {
  EXPECT_EQ(StatusCodeName(0), "OK");
  EXPECT_EQ(StatusCodeName(3), "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(16), "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(17), "UNKNOWN");
  EXPECT_EQ(StatusCodeName(-1), "UNKNOWN");
}

}  // namespace
}  // namespace regulation::telemetry
