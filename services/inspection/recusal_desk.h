#ifndef SERVICES_INSPECTION_RECUSAL_DESK_H_
#define SERVICES_INSPECTION_RECUSAL_DESK_H_

// Recusal requests (回避申请, docs/api.md "Recusal requests"): before a plan is committed,
// an enterprise asks that a named inspector step aside for it; the plan's agency grants
// or refuses, with a reason. CommitPlan freezes the granted requests into the plan (its
// digest and the bundle carry them by reference: recusal id, credit code, inspector id;
// never the grounds), and the draw never puts that inspector on that enterprise's team
// (draw-spec §8.1 rule 6). Once the plan is committed, requests and decisions are refused
// (FAILED_PRECONDITION): the draw's inputs are fixed.
//
// Requests live in the plan's own record and every change saves it at the version read,
// so a decision and the commit cannot interleave: whichever saves second is refused.
// Writes are idempotent by request_id.
//
// Thread safety: safe for concurrent use.

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/v1/visit.pb.h"
#include "services/access/caller.h"
#include "services/inspection/plan_book.h"
#include "storage/kv_store.h"

namespace regulation::services {

class RecusalDesk {
 public:
  // Every request of a plan at most (RESOURCE_EXHAUSTED beyond).
  static constexpr int kMaxPerPlan = 1000;

  // Everything must outlive the desk.
  RecusalDesk(storage::KvStore* store, PlanBook* plans, Roster* roster, Clock* clock)
      : store_(store), plans_(plans), roster_(roster), clock_(clock) {}

  // An enterprise for itself (credit_code empty or its own). INVALID_ARGUMENT naming the
  // field; NOT_FOUND for an unknown plan or inspector; FAILED_PRECONDITION for a plan
  // past DRAFT, or a request for the same inspector already pending or granted.
  absl::StatusOr<v1::Recusal> Request(const access::Caller& caller,
                                      const v1::RequestRecusalRequest& request);
  // The plan's agency (or an admin). INVALID_ARGUMENT naming the field; NOT_FOUND for an
  // unknown recusal; PERMISSION_DENIED for another agency's plan; FAILED_PRECONDITION for a
  // plan past DRAFT or a request decided already.
  absl::StatusOr<v1::Recusal> Decide(const access::Caller& caller,
                                     const v1::DecideRecusalRequest& request);
  // A plan's requests (agency of the plan, auditor, admin); an enterprise's own, of one plan
  // or of every plan.
  absl::StatusOr<v1::ListRecusalsResponse> List(const access::Caller& caller,
                                                const v1::ListRecusalsRequest& request);

 private:
  storage::KvStore* const store_;
  PlanBook* const plans_;
  Roster* const roster_;
  Clock* const clock_;
  // Serialises each write's idempotency look-up with its write.
  absl::Mutex mu_;
};

// Whether `caller` acts only as an enterprise (its certificate's credit code then scopes
// every answer).
bool ActsAsEnterprise(const access::Caller& caller);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_RECUSAL_DESK_H_
