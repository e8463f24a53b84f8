#include "services/server/health_listener.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.grpc.pb.h"

namespace regulation::services {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr char kPortrait[] = "regulation.v1.PortraitService";

std::shared_ptr<grpc::Channel> PlaintextChannel(int port) {
  return grpc::CreateChannel(absl::StrCat("localhost:", port),
                             grpc::InsecureChannelCredentials());
}

// The status a probe sees for `service` ("" is the whole server), or the call's error.
struct Answer {
  grpc::StatusCode code;
  HealthCheckResponse::ServingStatus status;
};

Answer Check(int port, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(PlaintextChannel(port));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  return {status.error_code(), response.status()};
}

TEST(HealthListener, NotServingUntilTheOwnerSaysSoThenFollowsIt) {
  auto listener = HealthListener::Start("localhost:0", {kPortrait});
  ASSERT_TRUE(listener.ok()) << listener.status();
  const int port = (*listener)->port();

  for (const std::string service : {"", kPortrait}) {
    const Answer before = Check(port, service);
    EXPECT_EQ(before.code, grpc::StatusCode::OK) << service;
    EXPECT_EQ(before.status, HealthCheckResponse::NOT_SERVING) << service;
  }
  (*listener)->SetServing(true);
  for (const std::string service : {"", kPortrait}) {
    EXPECT_EQ(Check(port, service).status, HealthCheckResponse::SERVING) << service;
  }
  // Draining: a readiness probe must see it before calls stop being answered.
  (*listener)->SetServing(false);
  for (const std::string service : {"", kPortrait}) {
    EXPECT_EQ(Check(port, service).status, HealthCheckResponse::NOT_SERVING) << service;
  }
}

// A watcher (grpc-health-probe --watch, a load balancer) hears each change.
TEST(HealthListener, AWatcherHearsTheChange) {
  auto listener = HealthListener::Start("localhost:0", {kPortrait});
  ASSERT_TRUE(listener.ok()) << listener.status();
  auto stub = grpc::health::v1::Health::NewStub(PlaintextChannel((*listener)->port()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  HealthCheckRequest request;
  request.set_service(kPortrait);
  auto reader = stub->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  (*listener)->SetServing(true);
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  context.TryCancel();
}

TEST(HealthListener, AnUnknownServiceIsNotFound) {
  auto listener = HealthListener::Start("localhost:0", {kPortrait});
  ASSERT_TRUE(listener.ok()) << listener.status();
  (*listener)->SetServing(true);
  EXPECT_EQ(Check((*listener)->port(), "regulation.v1.NoSuchService").code,
            grpc::StatusCode::NOT_FOUND);
}

// The plaintext port must not become a way around mutual TLS.
TEST(HealthListener, ServesNoRegulationRpc) {
  auto listener = HealthListener::Start("localhost:0", {kPortrait});
  ASSERT_TRUE(listener.ok()) << listener.status();
  (*listener)->SetServing(true);
  auto stub = v1::PortraitService::NewStub(PlaintextChannel((*listener)->port()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetEnterpriseRequest request;
  v1::Enterprise response;
  EXPECT_EQ(stub->GetEnterprise(&context, request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(HealthListener, AnAddressInUseIsUnavailable) {
  auto first = HealthListener::Start("localhost:0", {});
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = HealthListener::Start(absl::StrCat("127.0.0.1:", (*first)->port()), {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(HealthListener::Start("", {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::services
