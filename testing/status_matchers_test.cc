#include "testing/status_matchers.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace regulation::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<std::string> Found() { return std::string("value"); }
absl::StatusOr<std::string> Missing() { return absl::NotFoundError("key k of enterprises"); }

TEST(IsOk, MatchesOkStatusesOfEveryKind) {
  EXPECT_THAT(absl::OkStatus(), IsOk());
  EXPECT_THAT(Found(), IsOk());
  EXPECT_THAT(grpc::Status::OK, IsOk());
  EXPECT_THAT(absl::InternalError("x"), Not(IsOk()));
  EXPECT_THAT(Missing(), Not(IsOk()));
  EXPECT_THAT(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"), Not(IsOk()));
}

TEST(StatusIs, ComparesTheCodeAndTheMessage) {
  EXPECT_THAT(Missing(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Missing(), StatusIs(absl::StatusCode::kNotFound, HasSubstr("enterprises")));
  EXPECT_THAT(Missing(), StatusIs(absl::StatusCode::kNotFound, "key k of enterprises"));
  EXPECT_THAT(Missing(), Not(StatusIs(absl::StatusCode::kInternal)));
  EXPECT_THAT(Missing(), Not(StatusIs(absl::StatusCode::kNotFound, HasSubstr("regions"))));
  EXPECT_THAT(Found(), Not(StatusIs(absl::StatusCode::kNotFound)));
  EXPECT_THAT(Found(), StatusIs(absl::StatusCode::kOk));
}

TEST(StatusIs, ReadsGrpcStatusesWithTheSameCodes) {
  const grpc::Status denied(grpc::StatusCode::PERMISSION_DENIED, "role inspector may not");
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("inspector")));
  EXPECT_THAT(denied, Not(StatusIs(absl::StatusCode::kUnauthenticated)));
}

TEST(StatusIs, FailureMessageShowsTheStatus) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(Missing(), StatusIs(absl::StatusCode::kInvalidArgument)),
      "NOT_FOUND: key k of enterprises");
}

TEST(AssertOk, FailsWithTheStatusAndPassesOnOk) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(Missing()), "Missing() is not OK: NOT_FOUND: key k");
  EXPECT_FATAL_FAILURE(ASSERT_OK(absl::DataLossError("torn page")), "DATA_LOSS: torn page");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(grpc::Status(grpc::StatusCode::ABORTED, "retry")),
                          "ABORTED: retry");
  ASSERT_OK(Found());
  EXPECT_OK(absl::OkStatus());
}

TEST(AssertOkAndAssign, AssignsTheValueOrStops) {
  ASSERT_OK_AND_ASSIGN(std::string value, Found());
  EXPECT_EQ(value, "value");
  ASSERT_OK_AND_ASSIGN(value, absl::StatusOr<std::string>("again"));
  EXPECT_EQ(value, "again");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<int> owned,
                       absl::StatusOr<std::unique_ptr<int>>(std::make_unique<int>(7)));
  EXPECT_EQ(*owned, 7);
  EXPECT_FATAL_FAILURE(
      {
        ASSERT_OK_AND_ASSIGN(std::string never, Missing());
        (void)never;
      },
      "NOT_FOUND");
}

}  // namespace
}  // namespace regulation::testing
