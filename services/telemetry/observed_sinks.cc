#include "services/telemetry/observed_sinks.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/time/clock.h"

namespace regulation::telemetry {
namespace {

constexpr char kFencedPayload[] = "type.regulation.local/log-fenced";

}  // namespace

absl::Status CountingAuditSink::Append(const access::AuditEntry& entry) {
  absl::Status status = inner_->Append(entry);
  metrics_->AuditAppended(status.ok());
  return status;
}

absl::Status CountingAuditSink::AppendWithBatch(const access::AuditEntry& entry,
                                                storage::WriteBatch batch,
                                                const storage::WriteOptions& options) {
  absl::Status status = inner_->AppendWithBatch(entry, std::move(batch), options);
  metrics_->AuditAppended(status.ok());
  return status;
}

absl::StatusOr<std::vector<uint64_t>> ObservedLogWriter::Append(
    absl::Span<const std::string> entries) {
  absl::StatusOr<std::vector<uint64_t>> indices = inner_->Append(entries);
  if (indices.ok()) {
    metrics_->LogAppended(ServerMetrics::AppendOutcome::kOk);
    if (!entries.empty()) metrics_->CheckpointSigned(absl::Now());
  } else {
    metrics_->LogAppended(IsFenced(indices.status()) ? ServerMetrics::AppendOutcome::kFenced
                                                     : ServerMetrics::AppendOutcome::kFailed);
  }
  return indices;
}

absl::Status MarkFenced(absl::Status status) {
  status.SetPayload(kFencedPayload, absl::Cord("1"));
  return status;
}

bool IsFenced(const absl::Status& status) {
  return status.GetPayload(kFencedPayload).has_value();
}

}  // namespace regulation::telemetry
