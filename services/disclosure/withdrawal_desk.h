#ifndef SERVICES_DISCLOSURE_WITHDRAWAL_DESK_H_
#define SERVICES_DISCLOSURE_WITHDRAWAL_DESK_H_

// Withdrawal of a published body (docs/disclosure.md, "Withdrawal"), a two-party
// procedure: personal data that should never have been published (or that the law says
// must be deleted on request, 《个人信息保护法》第四十七条) can be taken back without
// breaking the log.
//
//   RequestWithdrawal   the record's department (the agency of the result's plan) asks,
//                       giving the reason (kept here, restricted) and the legal basis
//                       (published). Asking again before approval replaces both.
//   ApproveWithdrawal   an admin other than the one who asked approves: in one atomic,
//                       fsync'ed batch the body and salt are replaced by a tombstone and
//                       a WITHDRAWAL record is staged (disclosure/withdrawal.h); then the
//                       old body is erased from disk (KvStore::CompactRange) and the log
//                       is flushed. The leaf, the tree and every proof are untouched.
//   ListWithdrawals     admins and auditors see every request; agencies their plans'.
//
// Only RESULT, CORRECTION and OBJECTION_OUTCOME records can be withdrawn. Both writes are audited (the
// access interceptor) and idempotent by request_id. Stored in kWithdrawals by log index.
//
// Thread safety: safe for concurrent use; writes are serialised by a mutex.

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "disclosure/log_reader.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/disclosure_service.pb.h"
#include "services/access/caller.h"
#include "services/seams/inspection_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class WithdrawalDesk {
 public:
  // Everything must outlive the desk. `plans`: where the desk reads plans.
  WithdrawalDesk(storage::KvStore* store, const disclosure::LogReader* log, InspectionFeed* plans,
                 disclosure::PublicationQueue* publications, Clock* clock)
      : store_(store), log_(log), plans_(plans), publications_(publications), clock_(clock) {}

  // INVALID_ARGUMENT naming the field; NOT_FOUND for a record not in the log;
  // FAILED_PRECONDITION for a record that cannot be withdrawn (not a result or
  // correction) or is withdrawn already; PERMISSION_DENIED unless the caller's agency
  // may manage the record's plan.
  absl::StatusOr<v1::Withdrawal> Request(const access::Caller& caller,
                                         const v1::RequestWithdrawalRequest& request);
  // NOT_FOUND when nothing was requested for the record; FAILED_PRECONDITION when it is
  // withdrawn already; PERMISSION_DENIED when the approver is the one who asked.
  absl::StatusOr<v1::Withdrawal> Approve(const access::Caller& caller,
                                         const v1::ApproveWithdrawalRequest& request);
  absl::StatusOr<v1::ListWithdrawalsResponse> List(const access::Caller& caller,
                                                   const v1::ListWithdrawalsRequest& request);

 private:
  // The stored request for `log_index`, its WITHDRAWAL record's index filled in once
  // logged; NOT_FOUND when there is none.
  absl::StatusOr<v1::Withdrawal> Load(int64_t log_index);
  absl::Status Save(const v1::Withdrawal& withdrawal, storage::WriteBatch* batch);

  storage::KvStore* const store_;
  const disclosure::LogReader* const log_;
  // Where plans are read (services/seams/inspection_feed.h).
  InspectionFeed* const plans_;
  disclosure::PublicationQueue* const publications_;
  Clock* const clock_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_WITHDRAWAL_DESK_H_
