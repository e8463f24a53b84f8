#include "services/ops/operations.h"

#include <utility>

#include "absl/time/clock.h"
#include "prometheus/gauge.h"
#include "services/backup/log_fence.h"
#include "services/telemetry/observed_sinks.h"

namespace regulation::ops {
namespace {

// The sampler keeps each model's score reference beside the data (options.data_dir).
telemetry::SamplerOptions SamplerOptionsOf(const OperationsOptions& options) {
  telemetry::SamplerOptions sampler = options.sampler;
  if (sampler.reference_dir.empty()) sampler.reference_dir = options.data_dir;
  return sampler;
}

}  // namespace

Session::Session(const ServerParts& parts, telemetry::ServerMetrics* metrics,
                 telemetry::ScrapeCollector* collector, const OperationsOptions& options)
    : parts_(parts),
      collector_(collector),
      interceptor_(std::make_unique<telemetry::CallInterceptorFactory>(metrics, options.call_log)),
      sampler_({parts.store, parts.results, parts.models}, metrics, SamplerOptionsOf(options)) {
  parts_.ingestor->set_probe(metrics);
  parts_.scorer->set_probe(metrics);
  collector_->Attach({parts.store, parts.log, parts.audit_log, options.data_dir});
  sampler_.Start();
}

Session::~Session() {
  collector_->Detach();
  parts_.ingestor->set_probe(nullptr);
  parts_.scorer->set_probe(nullptr);
  // sampler_ stops in its own destructor, before the parts go.
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
Session::TakeInterceptors() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  if (interceptor_ != nullptr) factories.push_back(std::move(interceptor_));
  return factories;
}

Operations::Operations(OperationsOptions options)
    : options_(std::move(options)),
      metrics_(std::make_shared<telemetry::ServerMetrics>()),
      collector_(std::make_shared<telemetry::ScrapeCollector>()) {
  auto& expiry = prometheus::BuildGauge()
                     .Name("regulation_certificate_expiry_timestamp_seconds")
                     .Help("When a certificate regulatord serves with expires (Unix time)")
                     .Register(*metrics_->registry());
  for (const CertificateExpiry& certificate : options_.certificates) {
    expiry.Add({{"certificate", certificate.name}})
        .Set(absl::ToDoubleSeconds(certificate.not_after - absl::UnixEpoch()));
  }
  metrics_->SetLogFenced(options_.log_fence.has_value());
}

std::vector<std::weak_ptr<prometheus::Collectable>> Operations::collectables() const {
  return {metrics_->registry(), collector_};
}

std::unique_ptr<access::AuditSink> Operations::WrapAuditSink(access::AuditSink* inner) {
  return std::make_unique<telemetry::CountingAuditSink>(inner, metrics_.get());
}

std::unique_ptr<disclosure::LogWriter> Operations::WrapLogWriter(
    std::unique_ptr<disclosure::LogWriter> writer) {
  // The log was just opened: its checkpoint covers its tree (Open signs one if not).
  metrics_->CheckpointSigned(absl::Now());
  if (options_.log_fence.has_value()) {
    writer = std::make_unique<backup::FencedLogWriter>(std::move(writer), *options_.log_fence);
  }
  return std::make_unique<telemetry::ObservedLogWriter>(std::move(writer), metrics_.get());
}

std::unique_ptr<Session> Operations::Attach(const ServerParts& parts) {
  return std::unique_ptr<Session>(new Session(parts, metrics_.get(), collector_.get(), options_));
}

}  // namespace regulation::ops
