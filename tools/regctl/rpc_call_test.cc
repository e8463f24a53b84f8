#include "tools/regctl/rpc_call.h"

#include <map>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "regulation/v1/inspection_service.pb.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::StatusIs;

// Three pages: "" -> a, b (next "p2"); "p2" -> c (next "p3"); "p3" -> d (end).
grpc::Status FakePage(const std::string& token, v1::ListInspectorsResponse* page,
                      std::vector<std::string>* tokens_seen) {
  tokens_seen->push_back(token);
  const std::map<std::string, std::pair<std::vector<std::string>, std::string>> pages = {
      {"", {{"a", "b"}, "p2"}}, {"p2", {{"c"}, "p3"}}, {"p3", {{"d"}, ""}}};
  auto found = pages.find(token);
  if (found == pages.end()) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "token");
  for (const std::string& id : found->second.first) page->add_inspectors()->set_inspector_id(id);
  page->set_next_page_token(found->second.second);
  return grpc::Status::OK;
}

std::string Ids(const v1::ListInspectorsResponse& r) {
  std::string ids;
  for (const v1::Inspector& i : r.inspectors()) ids += i.inspector_id();
  return ids;
}

TEST(FetchPages, AllPagesFollowsTokensToTheEnd) {
  std::vector<std::string> tokens;
  v1::ListInspectorsResponse all;
  const grpc::Status status = FetchPages(
      "", true,
      [&](const std::string& token, v1::ListInspectorsResponse* page) {
        return FakePage(token, page, &tokens);
      },
      &all);
  ASSERT_OK(status);
  EXPECT_EQ(Ids(all), "abcd");
  EXPECT_EQ(all.next_page_token(), "");
  EXPECT_EQ(tokens, (std::vector<std::string>{"", "p2", "p3"}));
}

TEST(FetchPages, OnePageKeepsTheNextToken) {
  std::vector<std::string> tokens;
  v1::ListInspectorsResponse all;
  ASSERT_OK(FetchPages(
      "p2", false,
      [&](const std::string& token, v1::ListInspectorsResponse* page) {
        return FakePage(token, page, &tokens);
      },
      &all));
  EXPECT_EQ(Ids(all), "c");
  EXPECT_EQ(all.next_page_token(), "p3");
}

TEST(FetchPages, StopsAtTheFirstError) {
  std::vector<std::string> tokens;
  v1::ListInspectorsResponse all;
  const grpc::Status status = FetchPages(
      "bogus", true,
      [&](const std::string& token, v1::ListInspectorsResponse* page) {
        return FakePage(token, page, &tokens);
      },
      &all);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(tokens.size(), 1u);
}


// A policy whose pauses are recorded instead of slept.
CallPolicy RecordingPolicy(std::vector<absl::Duration>* pauses) {
  CallPolicy policy;
  policy.deadline = absl::Seconds(7);
  policy.max_attempts = 3;
  policy.first_backoff = absl::Milliseconds(100);
  policy.sleep = [pauses](absl::Duration pause) { pauses->push_back(pause); };
  return policy;
}

TEST(RunRpc, RetriesAnIdempotentCallOnUnavailableWithGrowingPauses) {
  std::vector<absl::Duration> pauses;
  int calls = 0;
  const grpc::Status status =
      RunRpc(RecordingPolicy(&pauses), /*idempotent=*/true, [&](grpc::ClientContext*) {
        return ++calls < 3 ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting")
                           : grpc::Status::OK;
      });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(pauses, (std::vector<absl::Duration>{absl::Milliseconds(100),
                                                 absl::Milliseconds(200)}));
}

TEST(RunRpc, RetriesAnIdempotentCallOnDeadlineExceededAndGivesUpAfterMaxAttempts) {
  std::vector<absl::Duration> pauses;
  int calls = 0;
  const grpc::Status status =
      RunRpc(RecordingPolicy(&pauses), /*idempotent=*/true, [&](grpc::ClientContext*) {
        ++calls;
        return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow");
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(pauses.size(), 2u);
}

TEST(RunRpc, NeverRetriesANonIdempotentCall) {
  std::vector<absl::Duration> pauses;
  int calls = 0;
  const grpc::Status status =
      RunRpc(RecordingPolicy(&pauses), /*idempotent=*/false, [&](grpc::ClientContext*) {
        ++calls;
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(pauses.empty());
}

TEST(RunRpc, DoesNotRetryOtherErrors) {
  std::vector<absl::Duration> pauses;
  int calls = 0;
  const grpc::Status status =
      RunRpc(RecordingPolicy(&pauses), /*idempotent=*/true, [&](grpc::ClientContext*) {
        ++calls;
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad code");
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(calls, 1);
}

TEST(RunRpc, EachAttemptGetsAFreshContextWithThePolicysDeadline) {
  std::vector<absl::Duration> pauses;
  std::vector<grpc::ClientContext*> contexts;
  int calls = 0;
  (void)RunRpc(RecordingPolicy(&pauses), /*idempotent=*/true, [&](grpc::ClientContext* context) {
    const absl::Duration left = absl::FromChrono(context->deadline()) - absl::Now();
    EXPECT_GT(left, absl::Seconds(6));
    EXPECT_LE(left, absl::Seconds(7));
    contexts.push_back(context);
    return ++calls < 2 ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "") : grpc::Status::OK;
  });
  ASSERT_EQ(contexts.size(), 2u);
}

TEST(RunRpc, AnInfiniteDeadlineSetsNone) {
  CallPolicy policy;
  policy.deadline = absl::InfiniteDuration();
  (void)RunRpc(policy, true, [&](grpc::ClientContext* context) {
    EXPECT_EQ(context->deadline(), std::chrono::system_clock::time_point::max());
    return grpc::Status::OK;
  });
}

TEST(CarriesRequestId, OnlyANonEmptyRequestIdMakesAWriteRepeatable) {
  v1::DeclareConflictRequest request;
  EXPECT_FALSE(CarriesRequestId(request));
  request.set_request_id("regctl-0123");
  EXPECT_TRUE(CarriesRequestId(request));
  EXPECT_FALSE(CarriesRequestId(v1::GetInspectorRequest()));  // no such field
}

}  // namespace
}  // namespace regulation::regctl
