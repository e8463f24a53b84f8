#ifndef SERVICES_PORTRAIT_PORTRAIT_READER_H_
#define SERVICES_PORTRAIT_PORTRAIT_READER_H_

// Reads portraits and event histories. The current portrait evaluates the state
// ingestion keeps (LivePortraits: in memory ahead of the store, so a read right after an
// acknowledgement reflects it) now; a past portrait rebuilds the state from the stored
// events up to that moment, so that it never sees later events.
//
// Jurisdiction as for the directory (EnterpriseDirectory::Get): an agency reads only
// enterprises in its region prefix.
//
// Thread safety: safe for concurrent use; reads only.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/portrait_service.pb.h"
#include "services/access/caller.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/live_portraits.h"
#include "storage/kv_store.h"

namespace regulation::services {

class PortraitReader {
 public:
  // Everything must outlive the reader. `portraits` is the ingestor's
  // (EventIngestor::portraits()); null only where nothing ingests into `store` in this
  // process (then the stored states are read as they are).
  PortraitReader(storage::KvStore* store, EnterpriseDirectory* directory, Clock* clock,
                 LivePortraits* portraits)
      : store_(store), directory_(directory), clock_(clock), portraits_(portraits) {}

  // The portrait now. Statuses as EnterpriseDirectory::Get.
  absl::StatusOr<v1::Portrait> Current(const access::Caller& caller, absl::string_view credit_code);

  // The portrait at `as_of`, from the events that happened at or before it.
  // INVALID_ARGUMENT for a missing or malformed as_of, or one in the future.
  absl::StatusOr<v1::Portrait> AsOf(const access::Caller& caller, absl::string_view credit_code,
                                    const google::protobuf::Timestamp& as_of);

  // An enterprise's events in (time, id) order, optionally within [start, end).
  absl::StatusOr<v1::ListEventsResponse> ListEvents(const access::Caller& caller,
                                                    const v1::ListEventsRequest& request);

  // The incrementally kept state; empty when no event was ingested.
  absl::StatusOr<internal::PortraitState> StoredState(absl::string_view credit_code);

  // Writes the kept states back to the store (LivePortraits::Checkpoint), for readers
  // that scan kPortraits (ScoreAll's feature chunks): afterwards the store reflects
  // every event acknowledged before the call.
  absl::Status WriteBackStates();

  // The state rebuilt from the stored events at or before `micros`.
  absl::StatusOr<internal::PortraitState> StateFromHistory(absl::string_view credit_code,
                                                           int64_t micros);

 private:
  storage::KvStore* const store_;
  EnterpriseDirectory* const directory_;
  Clock* const clock_;
  LivePortraits* const portraits_;  // may be null
};

// The API form of a portrait: `features` of the catalogue, evaluated at `as_of_micros`.
v1::Portrait MakePortrait(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                          int64_t as_of_micros);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_PORTRAIT_READER_H_
