#ifndef SERVICES_TELEMETRY_OBSERVED_SINKS_H_
#define SERVICES_TELEMETRY_OBSERVED_SINKS_H_

// Decorators that count what passes through the two places every record of the
// system's history goes: the audit trail (CountingAuditSink) and the disclosure log
// (ObservedLogWriter). They change nothing that passes.
//
// Thread safety: as the wrapped sink and writer (both are safe for concurrent use).

#include <memory>
#include <string>
#include <vector>

#include "disclosure/publication_queue.h"
#include "services/access/audit_sink.h"
#include "services/telemetry/server_metrics.h"

namespace regulation::telemetry {

// regulation_audit_records_total{outcome}.
class CountingAuditSink : public access::AuditSink {
 public:
  // Neither is owned; both must outlive the sink.
  CountingAuditSink(access::AuditSink* inner, ServerMetrics* metrics)
      : inner_(inner), metrics_(metrics) {}
  absl::Status Append(const access::AuditEntry& entry) override;
  absl::Status AppendWithBatch(const access::AuditEntry& entry, storage::WriteBatch batch,
                               const storage::WriteOptions& options) override;

 private:
  access::AuditSink* const inner_;
  ServerMetrics* const metrics_;
};

// regulation_log_appends_total{outcome} and the time of the last checkpoint signed.
class ObservedLogWriter : public disclosure::LogWriter {
 public:
  // `metrics` is not owned and must outlive the writer.
  ObservedLogWriter(std::unique_ptr<disclosure::LogWriter> inner, ServerMetrics* metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}

  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override;
  uint64_t size() const override { return inner_->size(); }
  absl::StatusOr<std::string> Entry(uint64_t index) const override { return inner_->Entry(index); }

 private:
  const std::unique_ptr<disclosure::LogWriter> inner_;
  ServerMetrics* const metrics_;
};

// Marks `status` as a refusal to sign by a log fence (so that it is counted as
// "fenced", not "failed"), and asks whether a status carries that mark.
absl::Status MarkFenced(absl::Status status);
bool IsFenced(const absl::Status& status);

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_OBSERVED_SINKS_H_
