#include "services/access/boundary_status.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.pb.h"
#include "testing/status_matchers.h"

namespace regulation::access {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr absl::string_view kListEnterprises = "/regulation.v1.PortraitService/ListEnterprises";

TEST(StatusForCaller, UnparseableRequestBecomesInvalidArgumentNamingTheField) {
  v1::ListEnterprisesRequest linked;  // links the descriptor into the generated pool
  (void)linked;
  CallFacts facts;
  facts.method = kListEnterprises;
  facts.request_unparsed = true;
  facts.invalid_utf8_field = "regulation.v1.ListEnterprisesRequest.region_prefix";
  grpc::Status status = StatusForCaller(grpc::Status(grpc::StatusCode::INTERNAL, ""), facts);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(status.error_message(),
            "region_prefix: is not valid UTF-8 (string fields carry UTF-8 text only)");

  facts.invalid_utf8_field = "regulation.v1.Enterprise.name";  // nested: named in full
  status = StatusForCaller(grpc::Status(grpc::StatusCode::INTERNAL, ""), facts);
  EXPECT_THAT(status.error_message(), HasSubstr("regulation.v1.Enterprise.name: is not valid"));

  facts.invalid_utf8_field.clear();
  status = StatusForCaller(grpc::Status(grpc::StatusCode::INTERNAL, ""), facts);
  EXPECT_THAT(
      status,
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("request: cannot be parsed as regulation.v1.ListEnterprisesRequest")));
}

TEST(StatusForCaller, OtherInternalErrorsAreLeftAlone) {
  CallFacts facts;
  facts.method = kListEnterprises;
  const grpc::Status disk(grpc::StatusCode::INTERNAL, "IO error: No space left on device");
  EXPECT_THAT(StatusForCaller(disk, facts), StatusIs(absl::StatusCode::kInternal));
}

TEST(StatusForCaller, ThreadExhaustionNamesTheFlag) {
  CallFacts facts;
  facts.max_threads = 64;
  const grpc::Status status = StatusForCaller(
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "Server Threadpool Exhausted"), facts);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted,
                               HasSubstr("all 64 of its threads (--max_threads)")));
}

TEST(StatusForCaller, LongMessagesAreCut) {
  CallFacts facts;
  const grpc::Status status = StatusForCaller(
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, std::string(100000, 'x')), facts);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_LE(status.error_message().size(), kMaxStatusMessageBytes);
  EXPECT_THAT(status.error_message(), HasSubstr("(100000 bytes)"));
}

}  // namespace
}  // namespace regulation::access
