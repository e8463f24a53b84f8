// Alerts have one home (issue 13): a server serving portrait serves AlertService and
// takes scoring's score changes (AlertFeedService); a server serving scoring apart serves
// neither (UNIMPLEMENTED), and scoringd's peers file must name where the alerts live.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/internal/v1/alert_feed.grpc.pb.h"
#include "regulation/v1/alert_service.grpc.pb.h"
#include "services/access/identity.h"
#include "services/seams/peer_channel.h"
#include "services/seams/portrait_feed_client.h"
#include "services/server/peers.h"
#include "services/server/regulation_server.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<std::unique_ptr<RegulationServer>> StartServer(ServedServices serve,
                                                              PortraitFeed* portraits,
                                                              const access::IdentityResolver* who) {
  ServerOptions options;
  options.serve = serve;
  options.portraits = portraits;
  options.listen_address = "127.0.0.1:0";
  options.credentials = grpc::InsecureServerCredentials();
  options.identity = who;
  return RegulationServer::Start(storage::NewMemoryStore(), options);
}

grpc::Status ListAlerts(int port) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::ListAlertsResponse response;
  return v1::AlertService::NewStub(channel)->ListAlerts(&context, {}, &response);
}

grpc::Status ReportNothing(int port) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  internal::v1::ReportScoreChangesResponse response;
  return internal::v1::AlertFeedService::NewStub(channel)->ReportScoreChanges(&context, {},
                                                                             &response);
}

TEST(AlertsHomeTest, PortraitServesTheAlertsAndScoringApartServesNone) {
  access::LocalOperatorResolver local_operator;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RegulationServer> portrait,
                       StartServer(ServedServices::kPortrait, nullptr, &local_operator));
  EXPECT_EQ(ListAlerts(portrait->port()).error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(ReportNothing(portrait->port()).error_code(), grpc::StatusCode::OK);

  PeerChannelOptions to_portrait;
  to_portrait.address = absl::StrCat("127.0.0.1:", portrait->port());
  to_portrait.service_config_json = PortraitFeedServiceConfig();
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> channel, MakePeerChannel(to_portrait));
  GrpcPortraitFeed portraits(channel);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RegulationServer> scoring,
                       StartServer(ServedServices::kScoring, &portraits, &local_operator));
  EXPECT_EQ(ListAlerts(scoring->port()).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(ReportNothing(scoring->port()).error_code(), grpc::StatusCode::UNIMPLEMENTED);

  // What health checks report follows what is registered.
  EXPECT_THAT(ServedServiceNames(ServedServices::kPortrait),
              Contains("regulation.v1.AlertService"));
  EXPECT_THAT(ServedServiceNames(ServedServices::kPortrait),
              Contains("regulation.internal.v1.AlertFeedService"));
  EXPECT_THAT(ServedServiceNames(ServedServices::kAll),
              Contains("regulation.internal.v1.AlertFeedService"));
  for (ServedServices apart :
       {ServedServices::kScoring, ServedServices::kInspection, ServedServices::kDisclosure}) {
    EXPECT_THAT(ServedServiceNames(apart), Not(Contains("regulation.v1.AlertService")));
  }
}

TEST(AlertsHomeTest, ScoringdsPeersFileMustNameWhereAlertsLive) {
  internal::v1::Topology none;
  EXPECT_THAT(ConnectAlertFeedPeer(none).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("portrait_address")));
  internal::v1::Topology remote;
  remote.set_portrait_address("192.0.2.1:7101");  // plaintext beyond loopback
  EXPECT_THAT(ConnectAlertFeedPeer(remote).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("portrait_address")));
}

}  // namespace
}  // namespace regulation::services
