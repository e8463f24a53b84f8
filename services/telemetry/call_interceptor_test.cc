#include "services/telemetry/call_interceptor.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <future>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "services/common/request_id.h"
#include "services/telemetry/metrics_text.h"
#include "testing/status_matchers.h"

namespace regulation::telemetry {
namespace {

using ::regulation::testing::StatusIs;

constexpr char kCheck[] = "/grpc.health.v1.Health/Check";

// A server with gRPC's health service and the call interceptor alone.
class CallInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&unimplemented_);  // a server needs one synchronous service
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(std::make_unique<CallInterceptorFactory>(&metrics_, CallLogOptions{}));
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override { server_->Shutdown(); }

  struct Reply {
    grpc::Status status;
    std::string request_id;  // from the response's initial metadata
  };

  // A unary call with an empty request, sending `request_id` when not empty.
  Reply Call(const std::string& method, const std::string& request_id = "") {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    if (!request_id.empty()) context.AddMetadata(services::kRequestIdMetadataKey, request_id);
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    Reply reply;
    reply.status = done.get_future().get();
    const auto& metadata = context.GetServerInitialMetadata();
    auto it = metadata.find(services::kRequestIdMetadataKey);
    if (it != metadata.end()) reply.request_id = std::string(it->second.data(), it->second.size());
    return reply;
  }

  std::vector<MetricSample> Scrape() {
    const std::string text =
        prometheus::TextSerializer().Serialize(metrics_.registry()->Collect());
    absl::StatusOr<std::vector<MetricSample>> samples = ParseMetricsText(text);
    EXPECT_OK(samples);
    return samples.ok() ? *samples : std::vector<MetricSample>{};
  }

  ServerMetrics metrics_;
  v1::AuditService::Service unimplemented_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(CallInterceptorTest, ReturnsTheClientsRequestIdOrAFreshOne) {
  const Reply echoed = Call(kCheck, "client-id-42");
  ASSERT_OK(echoed.status);
  EXPECT_EQ(echoed.request_id, "client-id-42");

  const Reply fresh = Call(kCheck);
  EXPECT_EQ(fresh.request_id.size(), 32u);
  EXPECT_TRUE(services::IsValidRequestId(fresh.request_id));
  EXPECT_NE(Call(kCheck).request_id, fresh.request_id);

  // An id that is not safe to log is replaced, not repeated.
  const Reply replaced = Call(kCheck, "two words");
  EXPECT_NE(replaced.request_id, "two words");
  EXPECT_TRUE(services::IsValidRequestId(replaced.request_id));
}

TEST_F(CallInterceptorTest, CountsCallsByMethodAndCodeWithBoundedLabels) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(Call(kCheck).status);
  // Made-up methods: counted, but under "unknown", whatever their names.
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(Call(absl::StrCat("/attacker.Service/Method", i)).status,
                StatusIs(absl::StatusCode::kUnimplemented));
  }
  const std::vector<MetricSample> samples = Scrape();
  EXPECT_EQ(SumOf(samples, "grpc_server_handled_total",
                  {{"grpc_service", "grpc.health.v1.Health"},
                   {"grpc_method", "Check"},
                   {"grpc_type", "unary"},
                   {"grpc_code", "OK"}}),
            3);
  EXPECT_EQ(SumOf(samples, "grpc_server_started_total", {{"grpc_method", "Check"}}), 3);
  EXPECT_EQ(SumOf(samples, "grpc_server_handling_seconds_count",
                  {{"grpc_method", "Check"}, {"grpc_code", "OK"}}),
            3);
  EXPECT_EQ(SumOf(samples, "grpc_server_handled_total",
                  {{"grpc_service", "unknown"}, {"grpc_method", "unknown"},
                   {"grpc_code", "UNIMPLEMENTED"}}),
            5);
  for (const MetricSample& s : samples) {
    for (const auto& [key, value] : s.labels) {
      EXPECT_EQ(value.find("attacker"), std::string::npos) << s.name << " " << key;
    }
  }
}

}  // namespace
}  // namespace regulation::telemetry
