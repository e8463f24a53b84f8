// disclosured as its server runs it (RegulationServer with --serve=disclosure and the
// peers from a Topology): it serves DisclosureService and nothing of inspection or
// portrait, reads plans from the inspection peer (an agency's access check goes there,
// and a peer that is down is named), and refuses to start without its peers.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "services/access/identity.h"
#include "services/server/peers.h"
#include "services/server/regulation_server.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// Every caller of disclosured is an agency of Hangzhou (so that reading a result checks
// the plan, which lives with inspection).
class AgencyResolver : public access::IdentityResolver {
 public:
  absl::StatusOr<access::Caller> Resolve(const grpc::ServerContextBase&) const override {
    access::Caller caller;
    caller.roles = {access::Role::kAgency};
    caller.subject = "agency-3301";
    caller.department = "samr";
    caller.region_prefix = "3301";
    return caller;
  }
};

absl::StatusOr<std::unique_ptr<RegulationServer>> StartServer(ServedServices serve,
                                                              const access::IdentityResolver* who,
                                                              InspectionFeed* inspection = nullptr,
                                                              EnterpriseHistory* history = nullptr) {
  ServerOptions options;
  options.serve = serve;
  options.listen_address = "127.0.0.1:0";
  options.credentials = grpc::InsecureServerCredentials();
  options.identity = who;
  options.inspection = inspection;
  options.enterprise_history = history;
  return RegulationServer::Start(storage::NewMemoryStore(), options);
}

class DisclosuredServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(regulatord_, StartServer(ServedServices::kAll, &operator_));
    internal::v1::Topology topology;
    topology.set_inspection_address(absl::StrCat("127.0.0.1:", regulatord_->port()));
    topology.set_portrait_address(absl::StrCat("127.0.0.1:", regulatord_->port()));
    topology.set_call_deadline_seconds(5);
    ASSERT_OK_AND_ASSIGN(inspection_, ConnectInspectionPeer(topology));
    ASSERT_OK_AND_ASSIGN(history_, ConnectHistoryPeer(topology));
    ASSERT_OK_AND_ASSIGN(disclosured_, StartServer(ServedServices::kDisclosure, &agency_,
                                                   inspection_.get(), history_.get()));
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", disclosured_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  grpc::Status GetResult(const std::string& id) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::GetResultRequest request;
    request.set_result_id(id);
    v1::InspectionResult result;
    return v1::DisclosureService::NewStub(channel_)->GetResult(&context, request, &result);
  }

  access::LocalOperatorResolver operator_;
  AgencyResolver agency_;
  std::unique_ptr<RegulationServer> regulatord_;
  std::unique_ptr<InspectionFeed> inspection_;
  std::unique_ptr<EnterpriseHistory> history_;
  std::unique_ptr<RegulationServer> disclosured_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(DisclosuredServerTest, ServesDisclosureOnlyAndAsksInspectionForPlans) {
  // No such result, and no such plan at the inspection peer.
  grpc::Status got = GetResult("P20261127-0001.91330106000001810M");
  EXPECT_EQ(got.error_code(), grpc::StatusCode::NOT_FOUND) << got.error_message();
  EXPECT_THAT(got.error_message(), HasSubstr("plan_id"));

  grpc::ClientContext context;
  v1::ListPlansResponse plans;
  got = v1::InspectionService::NewStub(channel_)->ListPlans(&context, v1::ListPlansRequest(),
                                                            &plans);
  EXPECT_EQ(got.error_code(), grpc::StatusCode::UNIMPLEMENTED) << got.error_message();

  // The inspection peer goes away: the same read fails naming it.
  regulatord_->Shutdown(absl::Now());
  regulatord_.reset();
  got = GetResult("P20261127-0001.91330106000001810M");
  EXPECT_TRUE(got.error_code() == grpc::StatusCode::UNAVAILABLE ||
              got.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
      << got.error_message();
  EXPECT_THAT(got.error_message(), HasSubstr("inspection service"));
}

TEST(DisclosuredServerStartTest, NeedsItsPeers) {
  AgencyResolver agency;
  EXPECT_THAT(StartServer(ServedServices::kDisclosure, &agency).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("enterprise_history")));
  ASSERT_OK_AND_ASSIGN(ServedServices serve, ParseServedServices("disclosure"));
  EXPECT_EQ(serve, ServedServices::kDisclosure);
  EXPECT_THAT(ServedServiceNames(serve), ::testing::Contains("regulation.v1.DisclosureService"));
  EXPECT_THAT(ServedServiceNames(serve),
              ::testing::Not(::testing::Contains("regulation.v1.InspectionService")));
  internal::v1::Topology no_inspection;
  no_inspection.set_portrait_address("127.0.0.1:1");
  EXPECT_THAT(ConnectInspectionPeer(no_inspection).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inspection_address")));
}

}  // namespace
}  // namespace regulation::services
