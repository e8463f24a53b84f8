// Early warning through the real server over mutual TLS (issue 16 item 1): events
// ingested through PortraitService raise alerts once, whatever is retried; an agency sees
// only its jurisdiction's and department's alerts, in ListAlerts and in WatchAlerts; an
// acknowledgement is kept once.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regulation/v1/alert_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;

class AlertServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
        testing::SecureTestServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
    admin_portrait_ = v1::PortraitService::NewStub(
        server_->ChannelAs(testing::RoleCertificate(access::Role::kAdmin)));
    hangzhou_ = v1::AlertService::NewStub(server_->ChannelAs(testing::AgencyCertificate("3301")));
    ningbo_ = v1::AlertService::NewStub(server_->ChannelAs(testing::AgencyCertificate("3302")));
    hangzhou_tax_ =
        v1::AlertService::NewStub(server_->ChannelAs(testing::AgencyCertificate("3301", "tax")));
    v1::BatchUpsertEnterprisesRequest directory;
    *directory.add_enterprises() = testing::MakeEnterprise("330106", 0);
    *directory.add_enterprises() = testing::MakeEnterprise("330203", 1);
    grpc::ClientContext context;
    v1::BatchUpsertEnterprisesResponse response;
    ASSERT_OK(admin_portrait_->BatchUpsertEnterprises(&context, directory, &response));
  }

  static v1::Event Penalty(const std::string& id, const std::string& region, int serial) {
    v1::Event e;
    e.set_event_id(id);
    e.set_source_department("samr");
    e.set_credit_code(testing::MakeCreditCode(region, serial));
    e.mutable_occur_time()->set_seconds(1700000000);
    e.mutable_administrative_penalty()->set_amount_yuan(30000);
    e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
    e.mutable_administrative_penalty()->set_legal_basis("Art. 49");
    return e;
  }

  void Ingest(const v1::Event& event) {
    v1::IngestEventRequest request;
    *request.mutable_event() = event;
    grpc::ClientContext context;
    v1::IngestEventResponse response;
    ASSERT_OK(admin_portrait_->IngestEvent(&context, request, &response));
  }

  static std::vector<std::string> Causes(v1::AlertService::Stub* stub) {
    grpc::ClientContext context;
    v1::ListAlertsResponse response;
    EXPECT_OK(stub->ListAlerts(&context, v1::ListAlertsRequest(), &response));
    std::vector<std::string> out;
    for (const v1::Alert& a : response.alerts()) out.push_back(a.cause());
    return out;
  }

  // What WatchAlerts sends `stub` within `wait` (the stream is then cancelled).
  static std::vector<std::string> Watched(v1::AlertService::Stub* stub, absl::Duration wait) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + wait));
    std::unique_ptr<grpc::ClientReader<v1::Alert>> reader =
        stub->WatchAlerts(&context, v1::WatchAlertsRequest());
    std::vector<std::string> out;
    v1::Alert alert;
    while (reader->Read(&alert)) out.push_back(alert.cause());
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
    return out;
  }

  std::unique_ptr<testing::SecureTestServer> server_;
  std::unique_ptr<v1::PortraitService::Stub> admin_portrait_;
  std::unique_ptr<v1::AlertService::Stub> hangzhou_, ningbo_, hangzhou_tax_;
};

TEST_F(AlertServiceTest, AnIngestedPenaltyAlertsItsOwnJurisdictionOnceInListAndWatch) {
  Ingest(Penalty("pen-hz", "330106", 0));
  Ingest(Penalty("pen-hz", "330106", 0));  // a client's retry
  Ingest(Penalty("pen-nb", "330203", 1));
  EXPECT_EQ(Causes(hangzhou_.get()), std::vector<std::string>{"event:pen-hz"});
  EXPECT_EQ(Causes(ningbo_.get()), std::vector<std::string>{"event:pen-nb"});
  EXPECT_TRUE(Causes(hangzhou_tax_.get()).empty());  // another department's penalty
  EXPECT_EQ(Watched(hangzhou_.get(), absl::Seconds(2)), std::vector<std::string>{"event:pen-hz"});
  EXPECT_EQ(Watched(ningbo_.get(), absl::Seconds(2)), std::vector<std::string>{"event:pen-nb"});
}

TEST_F(AlertServiceTest, AcknowledgingTwiceDifferentlyIsAFailedPrecondition) {
  Ingest(Penalty("pen-ack", "330106", 0));
  grpc::ClientContext list_context;
  v1::ListAlertsResponse listed;
  ASSERT_OK(hangzhou_->ListAlerts(&list_context, v1::ListAlertsRequest(), &listed));
  ASSERT_EQ(listed.alerts_size(), 1);
  v1::AcknowledgeAlertRequest ack;
  ack.set_alert_id(listed.alerts(0).alert_id());
  ack.set_disposition(v1::ALERT_DISPOSITION_MONITORING);
  ack.set_request_id("ack-1");
  {
    grpc::ClientContext context;
    v1::Alert done;
    ASSERT_OK(hangzhou_->AcknowledgeAlert(&context, ack, &done));
    EXPECT_EQ(done.acknowledgement().disposition(), v1::ALERT_DISPOSITION_MONITORING);
  }
  {
    grpc::ClientContext context;
    v1::Alert again;
    ASSERT_OK(hangzhou_->AcknowledgeAlert(&context, ack, &again));  // the retry
  }
  ack.set_disposition(v1::ALERT_DISPOSITION_DISMISSED);
  ack.set_request_id("ack-2");
  grpc::ClientContext context;
  v1::Alert refused;
  EXPECT_THAT(hangzhou_->AcknowledgeAlert(&context, ack, &refused),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Ningbo cannot even see it.
  grpc::ClientContext other_context;
  EXPECT_THAT(ningbo_->AcknowledgeAlert(&other_context, ack, &refused),
              StatusIs(absl::StatusCode::kNotFound));
  // Acknowledged alerts are not sent to watchers again.
  EXPECT_TRUE(Watched(hangzhou_.get(), absl::Seconds(1)).empty());
}

}  // namespace
}  // namespace regulation
