#ifndef SERVICES_ALERTS_ALERT_BOOK_H_
#define SERVICES_ALERTS_ALERT_BOOK_H_

// The stored alerts and the rules in force: the only writer of the `alerts` and
// `alert_rules` column families (docs/storage.md).
//
// Scope: a caller sees an alert when its region code lies in the caller's jurisdiction
// (services/access/jurisdiction.h) and, for a caller with a department (an agency), the
// alert concerns that department or every department (score rules). An alert out of
// scope answers exactly as an unknown id does (NOT_FOUND), so that refusals reveal
// nothing.
//
// Idempotency: Raise stores an alert only when its id is new, so the same cause raised
// again (a retry, a replay, a re-run) changes nothing. AcknowledgeAlert and
// UpdateAlertRules follow the request_id protocol (services/common/idempotent_write.h).
//
// Thread safety: safe for concurrent use. Writes are serialised by one mutex; watchers
// wait on their own queues, which Raise fills after its write (see Durability).

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/v1/alert_service.pb.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"
#include "storage/proto_table.h"

namespace regulation::services {

class AlertBook {
 public:
  // A watcher that falls this many alerts behind is ended (RESOURCE_EXHAUSTED).
  static constexpr size_t kMaxWatchBacklog = 4096;

  // `store` and `clock` must outlive the book.
  AlertBook(storage::KvStore* store, Clock* clock);

  // The rules in force: the stored set, or DefaultAlertRules() when none was stored.
  // DATA_LOSS when the stored set does not parse.
  absl::StatusOr<v1::AlertRules> Rules();

  // Validates and stores a new set (its update_time set now) and answers it.
  // INVALID_ARGUMENT naming the field (alert_rules.h); ALREADY_EXISTS for a request_id
  // reused with another request; the store's statuses.
  absl::StatusOr<v1::AlertRules> UpdateRules(const access::Caller& caller,
                                             const v1::UpdateAlertRulesRequest& request);

  // How Raise's write becomes durable.
  enum class Durability {
    // fsync'ed before Raise returns.
    kSynced,
    // Written through the write-ahead log without an fsync of its own: durable once any
    // later write is (the log is one for the whole store), and lost to a power loss
    // before that. For alerts whose causes are handed over again after such a loss
    // (durable_events_observer.h): waiting for an fsync of their own held up every
    // ingest stream's acknowledgements by one more disk flush.
    kLogged,
  };

  // Stores the alerts whose ids are new (raise_time set now), in one write, then hands
  // them to watchers. Answers how many were new. REQUIRES: each alert has its id, rule,
  // credit code and region code set. The store's statuses.
  absl::StatusOr<int> Raise(std::vector<v1::Alert> alerts,
                            Durability durability = Durability::kSynced);

  // The alerts in the caller's scope matching the filters, in alert-id order.
  // INVALID_ARGUMENT for a malformed credit code, bad paging or a token of other filters;
  // PERMISSION_DENIED "region_prefix: outside your jurisdiction" for a prefix that does
  // not overlap it.
  absl::StatusOr<v1::ListAlertsResponse> List(const access::Caller& caller,
                                              const v1::ListAlertsRequest& request);

  // Streams the unacknowledged alerts in scope (in alert-id order), then each new one as
  // Raise stores it, to `emit` until `emit` returns false (OK) or `keep_going()`,
  // checked at least once a second, returns an error (that error). RESOURCE_EXHAUSTED
  // when the client reads so slowly that kMaxWatchBacklog new alerts wait; the region
  // statuses of List.
  absl::Status Watch(const access::Caller& caller, const v1::WatchAlertsRequest& request,
                     const std::function<bool(const v1::Alert&)>& emit,
                     const std::function<absl::Status()>& keep_going);

  // Records the disposition and note. The same acknowledgement again answers the stored
  // alert; a different one is FAILED_PRECONDITION naming who acknowledged and how.
  // INVALID_ARGUMENT for a missing alert id or disposition, or a bad note; NOT_FOUND for
  // an unknown alert or one out of scope; ALREADY_EXISTS for a reused request_id.
  absl::StatusOr<v1::Alert> Acknowledge(const access::Caller& caller,
                                        const v1::AcknowledgeAlertRequest& request);

 private:
  struct Watcher {
    access::Caller caller;
    std::string region_prefix;
    std::deque<v1::Alert> pending;  // guarded by AlertBook::watch_mu_
    bool overflowed = false;        // guarded by AlertBook::watch_mu_
  };

  // Constant after construction.
  storage::KvStore* const store_;
  Clock* const clock_;
  const storage::ProtoTable<v1::Alert> alerts_;
  const storage::ProtoTable<v1::AlertRules> rules_;

  // Serialises the look-up and write of alerts and rules.
  absl::Mutex write_mu_;

  absl::Mutex watch_mu_;
  std::vector<Watcher*> watchers_ ABSL_GUARDED_BY(watch_mu_);
};

// Whether `caller` may see `alert` (the scope above), within `region_prefix` (already
// narrowed to the jurisdiction).
bool AlertInScope(const access::Caller& caller, absl::string_view region_prefix,
                  const v1::Alert& alert);

}  // namespace regulation::services

#endif  // SERVICES_ALERTS_ALERT_BOOK_H_
