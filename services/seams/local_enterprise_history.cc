#include "services/seams/local_enterprise_history.h"

#include "common/status_macros.h"

namespace regulation::services {

absl::StatusOr<std::optional<std::string>> LocalEnterpriseHistory::EnterpriseName(
    absl::string_view credit_code) {
  absl::StatusOr<v1::Enterprise> enterprise = enterprises_.Get(credit_code);
  if (absl::IsNotFound(enterprise.status())) return std::nullopt;
  REG_RETURN_IF_ERROR(enterprise.status());
  return enterprise->name();
}

absl::StatusOr<EnterpriseHistory::Delivery> LocalEnterpriseHistory::CommitWith(
    storage::KvStore*, const v1::Event& event, storage::WriteBatch* batch) {
  REG_RETURN_IF_ERROR(ingestor_->CommitDerived(event, batch).status());
  return Delivery::kRecorded;
}

absl::StatusOr<int64_t> LocalEnterpriseHistory::Record(absl::Span<const v1::Event> events) {
  int64_t applied = 0;
  for (const v1::Event& event : events) {
    storage::WriteBatch nothing_else;
    REG_ASSIGN_OR_RETURN(IngestOutcome::Kind kind, ingestor_->CommitDerived(event, &nothing_else));
    if (kind == IngestOutcome::Kind::kApplied) ++applied;
  }
  return applied;
}

}  // namespace regulation::services
