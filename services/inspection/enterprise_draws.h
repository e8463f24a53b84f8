#ifndef SERVICES_INSPECTION_ENTERPRISE_DRAWS_H_
#define SERVICES_INSPECTION_ENTERPRISE_DRAWS_H_

// "Its draws" (docs/api.md ListMyDraws): the rounds in which one enterprise was a target,
// with what its own check needs (docs/draw-spec.md §11.2): the plan and round whose
// bundle to fetch (GetDrawBundle, or the DRAW record at log_index on the public site),
// the bundle digest to compare, its ticket and rank, and its team. An enterprise sees its
// own code only (the access interceptor and this both enforce it); auditors and admins
// name a code.
//
// Thread safety: safe for concurrent use (reads only).

#include "absl/status/statusor.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/visit.pb.h"
#include "services/access/caller.h"
#include "services/inspection/draw_archive.h"
#include "storage/kv_store.h"

namespace regulation::services {

class EnterpriseDraws {
 public:
  // Everything must outlive this.
  EnterpriseDraws(storage::KvStore* store, DrawArchive* archive,
                  disclosure::PublicationQueue* publications)
      : store_(store), archive_(archive), publications_(publications) {}

  // A page of plans (in plan-id order) and, in each, every round that drew the
  // enterprise. INVALID_ARGUMENT for a missing or malformed credit_code, a bad page size
  // or token; DATA_LOSS for a corrupt stored plan.
  absl::StatusOr<v1::ListMyDrawsResponse> List(const access::Caller& caller,
                                               const v1::ListMyDrawsRequest& request);

 private:
  storage::KvStore* const store_;
  DrawArchive* const archive_;
  disclosure::PublicationQueue* const publications_;
};

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_ENTERPRISE_DRAWS_H_
