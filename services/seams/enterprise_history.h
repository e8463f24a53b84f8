#ifndef SERVICES_SEAMS_ENTERPRISE_HISTORY_H_
#define SERVICES_SEAMS_ENTERPRISE_HISTORY_H_

// What disclosure needs of portrait: the seam between the two services.
//
// A published result names its enterprise, and an approved result joins the
// enterprise's history as an inspection event (services/disclosure/result_event.h), so
// that portraits and training rows see what was inspected. In regulatord (one process)
// both go to this process's directory and event ingestor, the event in the same atomic
// write as the result (LocalEnterpriseHistory, local_enterprise_history.h). When
// disclosured runs apart from portrait they are calls to
// regulation.internal.v1.EnterpriseHistoryService (GrpcEnterpriseHistory,
// enterprise_history_client.h): the result is written first, then its event sent; an
// event portrait cannot take now is not lost, because the result it comes from is
// stored: ResultDesk::RecordHistory sends it again later. Recording is idempotent by
// event id ("result:<result id>"), so a retry or a replay is a duplicate, never a
// second event.
//
// Thread safety: implementations are safe for concurrent use.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regulation/v1/event.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

class EnterpriseHistory {
 public:
  // What CommitWith did with the event.
  enum class Delivery {
    // In the enterprise's history now (added, superseding, or a duplicate).
    kRecorded,
    // Not yet: the batch is written, the event must be sent again (RecordHistory).
    kDeferred,
  };

  virtual ~EnterpriseHistory() = default;

  // The enterprise's name in the directory; std::nullopt when it is not there. DATA_LOSS
  // for a corrupt record; UNAVAILABLE or DEADLINE_EXCEEDED naming the portrait service
  // when a peer cannot be reached in time.
  virtual absl::StatusOr<std::optional<std::string>> EnterpriseName(
      absl::string_view credit_code) = 0;

  // Writes `batch` to `store` durably and records `event` (derived from a result the
  // batch writes): in process, in the same atomic write; apart, after it (kDeferred when
  // portrait could not take it). Not OK only when the batch was not written (then nothing
  // was). REQUIRES: `event` is ResultEvent's (a valid event, id "result:<result id>");
  // in process, `store` is the one the history is kept in.
  virtual absl::StatusOr<Delivery> CommitWith(storage::KvStore* store, const v1::Event& event,
                                              storage::WriteBatch* batch) = 0;

  // Records `events` (ResultEvent's) now; returns how many were added or superseded
  // (the rest were already there). Peer statuses as EnterpriseName; DATA_LOSS or a
  // storage error from the portrait side.
  virtual absl::StatusOr<int64_t> Record(absl::Span<const v1::Event> events) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ENTERPRISE_HISTORY_H_
