#ifndef SERVICES_OPS_OPERATIONS_H_
#define SERVICES_OPS_OPERATIONS_H_

// What regulatord adds to a RegulationServer for the people who run it
// (docs/operations.md): metrics, request ids and call logs, and the disclosure log's
// fence after a restore. RegulationServer::Start calls it in one place:
//
//   log_writer = operations->WrapLogWriter(std::move(log_writer));   // before anything
//                                                                     // is appended
//   audit_sink = operations->WrapAuditSink(audit_log);  // counted; every writer of audit
//                                                       // records (the access interceptor,
//                                                       // IngestEvents) appends through it
//   session = operations->Attach(parts);  // probes, sampler, scrape sources
//   interceptors = session->TakeInterceptors();  // before the access interceptor
//
// and ends the session before it destroys what the session observes.
//
// Thread safety: Attach and the session's methods are called from the server's start
// and shutdown; the metrics are safe for concurrent use.
// Ownership: Operations outlives every server attached to it; it owns the metrics, so a
// metrics endpoint serving its collectables may outlive the servers.

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "disclosure/publication_queue.h"
#include "disclosure/transparency_log.h"
#include "prometheus/collectable.h"
#include "services/access/audit_sink.h"
#include "services/audit/audit_log.h"
#include "services/disclosure/result_desk.h"
#include "services/portrait/event_ingestor.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/risk_scorer.h"
#include "services/telemetry/call_interceptor.h"
#include "services/telemetry/observed_sinks.h"
#include "services/telemetry/scrape_collector.h"
#include "services/telemetry/server_metrics.h"
#include "services/telemetry/state_sampler.h"
#include "storage/kv_store.h"

namespace regulation::ops {

// A certificate whose expiry is exported
// (regulation_certificate_expiry_timestamp_seconds{certificate=name}).
struct CertificateExpiry {
  std::string name;  // "server", "ca"
  absl::Time not_after;
};

struct OperationsOptions {
  telemetry::CallLogOptions call_log;
  telemetry::SamplerOptions sampler;
  // The data directory, for its free bytes. Default empty: not reported.
  std::string data_dir;
  // Set when the disclosure log must not sign (log_fence.h): every append is refused,
  // with this reason. Default unset.
  std::optional<std::string> log_fence;
  std::vector<CertificateExpiry> certificates;
};

// The parts of a running server that operations observe; owned by the server.
struct ServerParts {
  storage::KvStore* store = nullptr;
  audit::AuditLog* audit_log = nullptr;
  const disclosure::TransparencyLog* log = nullptr;
  services::ResultDesk* results = nullptr;
  services::ModelRegistry* models = nullptr;
  services::EventIngestor* ingestor = nullptr;
  services::RiskScorer* scorer = nullptr;
};

// Operations while one server runs. Destroying it stops the sampler, detaches the
// scrape-time sources and the probes.
class Session {
 public:
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The call interceptor's factory, to install before the access interceptor (once).
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
  TakeInterceptors();

 private:
  friend class Operations;
  Session(const ServerParts& parts, telemetry::ServerMetrics* metrics,
          telemetry::ScrapeCollector* collector, const OperationsOptions& options);

  const ServerParts parts_;
  telemetry::ScrapeCollector* const collector_;
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> interceptor_;
  telemetry::StateSampler sampler_;
};

class Operations {
 public:
  explicit Operations(OperationsOptions options);
  Operations(const Operations&) = delete;
  Operations& operator=(const Operations&) = delete;

  // What a metrics endpoint serves: the metrics registry and the scrape-time collector.
  std::vector<std::weak_ptr<prometheus::Collectable>> collectables() const;
  telemetry::ServerMetrics& metrics() { return *metrics_; }

  // The writer the publication queue appends through: counted, and refusing every append
  // when the options name a fence. Records the log's opening as its latest checkpoint.
  std::unique_ptr<disclosure::LogWriter> WrapLogWriter(std::unique_ptr<disclosure::LogWriter> writer);

  // The audit trail, counted (regulation_audit_records_total). `inner` must outlive the
  // returned sink.
  std::unique_ptr<access::AuditSink> WrapAuditSink(access::AuditSink* inner);

  // Starts observing a server's parts: sets the probes, starts the sampler (one refresh
  // at once, then every interval), attaches the scrape-time sources.
  std::unique_ptr<Session> Attach(const ServerParts& parts);

 private:
  const OperationsOptions options_;
  const std::shared_ptr<telemetry::ServerMetrics> metrics_;
  const std::shared_ptr<telemetry::ScrapeCollector> collector_;
};

}  // namespace regulation::ops

#endif  // SERVICES_OPS_OPERATIONS_H_
