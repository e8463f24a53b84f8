// An enterprise's certificate, over real mutual TLS: it reads its own directory record,
// portrait, history and score, and nothing of any other enterprise, not even whether it
// exists (issue 16, "Enterprises as users").

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "regulation/v1/scoring_service.grpc.pb.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

constexpr char kRefusal[] =
    "credit_code: an enterprise's certificate reaches only its own enterprise's records";

grpc::ClientContext* WithDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

class EnterpriseAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
        testing::SecureTestServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
    own_ = testing::MakeEnterprise("330106", 1);
    neighbour_ = testing::MakeEnterprise("330106", 2);
    auto agency = v1::PortraitService::NewStub(
        server_->ChannelAs(testing::AgencyCertificate("3301")));
    for (const v1::Enterprise& e : {own_, neighbour_}) {
      grpc::ClientContext context;
      v1::UpsertEnterpriseRequest request;
      *request.mutable_enterprise() = e;
      v1::UpsertEnterpriseResponse response;
      ASSERT_TRUE(agency->UpsertEnterprise(WithDeadline(&context), request, &response).ok());
    }
    channel_ = server_->ChannelAs(testing::EnterpriseCertificate(own_.credit_code()));
    portraits_ = v1::PortraitService::NewStub(channel_);
    scoring_ = v1::ScoringService::NewStub(channel_);
  }

  grpc::Status GetEnterprise(const std::string& code, v1::Enterprise* out) {
    grpc::ClientContext context;
    v1::GetEnterpriseRequest request;
    request.set_credit_code(code);
    return portraits_->GetEnterprise(WithDeadline(&context), request, out);
  }

  grpc::Status GetPortrait(const std::string& code) {
    grpc::ClientContext context;
    v1::GetPortraitRequest request;
    request.set_credit_code(code);
    v1::Portrait response;
    return portraits_->GetPortrait(WithDeadline(&context), request, &response);
  }

  grpc::Status ListEvents(const std::string& code) {
    grpc::ClientContext context;
    v1::ListEventsRequest request;
    request.set_credit_code(code);
    v1::ListEventsResponse response;
    return portraits_->ListEvents(WithDeadline(&context), request, &response);
  }

  grpc::Status Score(const std::string& code) {
    grpc::ClientContext context;
    v1::ScoreRequest request;
    request.set_credit_code(code);
    v1::RiskScore response;
    return scoring_->Score(WithDeadline(&context), request, &response);
  }

  std::unique_ptr<testing::SecureTestServer> server_;
  v1::Enterprise own_, neighbour_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PortraitService::Stub> portraits_;
  std::unique_ptr<v1::ScoringService::Stub> scoring_;
};

TEST_F(EnterpriseAccessTest, ReadsItsOwnRecords) {
  v1::Enterprise got;
  ASSERT_TRUE(GetEnterprise(own_.credit_code(), &got).ok());
  EXPECT_EQ(got.name(), own_.name());
  EXPECT_TRUE(GetPortrait(own_.credit_code()).ok());
  EXPECT_TRUE(ListEvents(own_.credit_code()).ok());
  // No model is trained here: admitted, and told why there is no score.
  EXPECT_EQ(Score(own_.credit_code()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EnterpriseAccessTest, AnotherEnterpriseIsRefusedTheSameWayWhetherOrNotItExists) {
  const std::string absent = testing::MakeCreditCode("330106", 3);
  for (const std::string& code : {neighbour_.credit_code(), absent}) {
    v1::Enterprise got;
    for (const grpc::Status& status :
         {GetEnterprise(code, &got), GetPortrait(code), ListEvents(code), Score(code)}) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << code;
      EXPECT_EQ(status.error_message(), kRefusal) << code;
    }
    EXPECT_TRUE(got.credit_code().empty());
  }
}

TEST_F(EnterpriseAccessTest, ListsAndWritesAreNotForEnterprises) {
  grpc::ClientContext list_context;
  v1::ListEnterprisesRequest list;
  v1::ListEnterprisesResponse listed;
  EXPECT_EQ(portraits_->ListEnterprises(WithDeadline(&list_context), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext upsert_context;
  v1::UpsertEnterpriseRequest upsert;
  *upsert.mutable_enterprise() = own_;
  upsert.mutable_enterprise()->set_name("改名");
  v1::UpsertEnterpriseResponse upserted;
  EXPECT_EQ(portraits_->UpsertEnterprise(WithDeadline(&upsert_context), upsert, &upserted)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace regulation
