#include "services/server/health_listener.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace regulation::services {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// grpc.health.v1 over one flag. (gRPC's built-in health service needs another
// synchronous service on the same server to run, and this listener has none.)
class HealthListener::HealthService final : public grpc::health::v1::Health::Service {
 public:
  explicit HealthService(std::vector<std::string> names) : names_(std::move(names)) {}

  void Set(bool serving) {
    absl::MutexLock lock(&mu_);
    serving_ = serving;
    ++version_;
  }

  void Stop() {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }

  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest* request,
                     HealthCheckResponse* response) override {
    if (!Knows(request->service())) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("service: no health status for \"",
                                       request->service(), "\""));
    }
    absl::MutexLock lock(&mu_);
    response->set_status(Status(serving_));
    return grpc::Status::OK;
  }

  // Sends the status now and again on each change, until the caller leaves or the
  // listener stops. An unknown name is SERVICE_UNKNOWN, as the protocol asks.
  grpc::Status Watch(grpc::ServerContext* context, const HealthCheckRequest* request,
                     grpc::ServerWriter<HealthCheckResponse>* writer) override {
    const bool known = Knows(request->service());
    int64_t sent_version = -1;
    while (!context->IsCancelled()) {
      HealthCheckResponse response;
      {
        absl::MutexLock lock(&mu_);
        auto changed = [this, sent_version] { return stopped_ || version_ != sent_version; };
        mu_.AwaitWithTimeout(absl::Condition(&changed), absl::Seconds(1));
        if (stopped_) break;
        if (version_ == sent_version) continue;
        sent_version = version_;
        response.set_status(known ? Status(serving_) : HealthCheckResponse::SERVICE_UNKNOWN);
      }
      if (!writer->Write(response)) break;
    }
    return grpc::Status::OK;
  }

 private:
  static HealthCheckResponse::ServingStatus Status(bool serving) {
    return serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  }

  bool Knows(const std::string& name) const {
    return name.empty() || std::find(names_.begin(), names_.end(), name) != names_.end();
  }

  const std::vector<std::string> names_;
  absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int64_t version_ ABSL_GUARDED_BY(mu_) = 0;
};

absl::StatusOr<std::unique_ptr<HealthListener>> HealthListener::Start(
    const std::string& address, std::vector<std::string> service_names) {
  if (address.empty()) {
    return absl::InvalidArgumentError("health listener: the address is empty");
  }
  std::unique_ptr<HealthListener> listener(new HealthListener());
  listener->service_ = std::make_unique<HealthService>(std::move(service_names));
  grpc::ServerBuilder builder;
  // Two servers on one port would split the probes between them.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &listener->port_);
  builder.RegisterService(listener->service_.get());
  listener->server_ = builder.BuildAndStart();
  if (listener->server_ == nullptr || listener->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen for health checks on ", address,
        " (address in use, or not a valid host:port)"));
  }
  return listener;
}

void HealthListener::SetServing(bool serving) { service_->Set(serving); }

HealthListener::~HealthListener() {
  if (server_ == nullptr) return;
  service_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
}

}  // namespace regulation::services
