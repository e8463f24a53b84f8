#ifndef SERVICES_SEAMS_LOCAL_ENTERPRISE_HISTORY_H_
#define SERVICES_SEAMS_LOCAL_ENTERPRISE_HISTORY_H_

// EnterpriseHistory over this process's store and event ingestor: what disclosure uses
// in regulatord (a result's event is written in the result's own atomic batch), and
// what the portrait side serves to disclosured (enterprise_history_service.h).
//
// Thread safety: safe for concurrent use (as EventIngestor).

#include "services/portrait/enterprise_records.h"
#include "services/portrait/event_ingestor.h"
#include "services/seams/enterprise_history.h"

namespace regulation::services {

class LocalEnterpriseHistory : public EnterpriseHistory {
 public:
  // Both must outlive this.
  LocalEnterpriseHistory(storage::KvStore* store, EventIngestor* ingestor)
      : enterprises_(store), ingestor_(ingestor) {}

  absl::StatusOr<std::optional<std::string>> EnterpriseName(
      absl::string_view credit_code) override;
  // Always kRecorded when OK: EventIngestor::CommitDerived writes the two together.
  absl::StatusOr<Delivery> CommitWith(storage::KvStore* store, const v1::Event& event,
                                      storage::WriteBatch* batch) override;
  absl::StatusOr<int64_t> Record(absl::Span<const v1::Event> events) override;

 private:
  const EnterpriseRecords enterprises_;
  EventIngestor* const ingestor_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_LOCAL_ENTERPRISE_HISTORY_H_
