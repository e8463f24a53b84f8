#ifndef SERVICES_INSPECTION_DRAW_DESK_H_
#define SERVICES_INSPECTION_DRAW_DESK_H_

// Commit, then draw (docs/draw-spec.md, docs/architecture.md §draws).
//
//   Commit   DRAFT -> COMMITTED. Freezes the plan, its eligible population (with each
//            enterprise's class) and roster (plan_freezer.h), fixes the nonce
//            commitment and the entropy source, and logs the commitment publicly, all
//            before any randomness exists. Without a caller's nonce commitment the
//            server draws a 32-byte nonce from OpenSSL's CSPRNG and keeps it sealed.
//   Draw     COMMITTED -> DRAWN. Takes the outside entropy value (and the caller's nonce
//            if it committed one), runs scheduler::RunDraw over the frozen inputs, stores
//            the draw and its canonical bundle, hands out the assignments, records the
//            teams for rotation, and logs the draw.
//   Announce DRAWN. Names the targets to replace (deregistered, unreachable), a fresh
//            entropy source and a new sealed nonce's commitment, and logs them: after
//            round 0 the plan's nonce is public, so without this step whoever calls for
//            replacements could try entropy values (or targets) until the outcome suited.
//   Replace  DRAWN, announced. Draws the round with the announced source's value (never
//            the old seed): as many per class as were replaced, excluding every earlier
//            target; their assignments are withdrawn.
//
// Every change is one atomic, fsync'ed batch together with its public log entry
// (publication_queue.h) and its idempotency record: a client that retries with the same
// request_id gets the first answer, never a second draw.
//
// Thread safety: safe for concurrent use; commits and draws are serialised (one at a
// time for the whole server: they are rare and each reads a consistent state).

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/keep_going.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/access/caller.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/plan_book.h"
#include "storage/kv_store.h"

namespace regulation::services {

// A round selects at most this many targets: a draw and its bundle then stay well under
// gRPC's default 4 MiB message limit. Larger plans are split, e.g. by region.
inline constexpr int64_t kMaxTargetsPerRound = 5000;

class DrawDesk {
 public:
  struct Options {
    // Threads hashing tickets in a draw (the result does not depend on it).
    int draw_threads = 2;
  };

  // Everything must outlive the desk.
  DrawDesk(storage::KvStore* store, PlanBook* plans, AssignmentBoard* board,
           disclosure::PublicationQueue* publications, Clock* clock, Options options)
      : store_(store),
        plans_(plans),
        board_(board),
        publications_(publications),
        clock_(clock),
        options_(options) {}

  // INVALID_ARGUMENT naming the field; FAILED_PRECONDITION unless the plan is DRAFT, or
  // when nothing is eligible; RESOURCE_EXHAUSTED when the quotas would select more than
  // kMaxTargetsPerRound; NOT_FOUND / PERMISSION_DENIED for the plan. `keep_going`
  // (common/keep_going.h) may stop the freeze, with the plan unchanged.
  absl::StatusOr<v1::Commitment> Commit(const access::Caller& caller,
                                        const v1::CommitPlanRequest& request,
                                        const KeepGoing& keep_going = nullptr);

  // INVALID_ARGUMENT naming the field; FAILED_PRECONDITION unless the plan is COMMITTED,
  // when a caller-committed plan's nonce is missing, or the nonce does not match its
  // commitment. `keep_going` may stop the draw before anything is written.
  absl::StatusOr<v1::Draw> Draw(const access::Caller& caller, const v1::DrawPlanRequest& request,
                                const KeepGoing& keep_going = nullptr);

  // Fixes the next replacement round before its randomness exists: its targets, the
  // entropy source (fresh: not one an earlier round named) and a new sealed nonce's
  // commitment, logged publicly. INVALID_ARGUMENT naming the field (a code that is no
  // target or was replaced already, a source already used); FAILED_PRECONDITION unless
  // the plan is DRAWN with no announced round pending.
  absl::StatusOr<v1::ReplacementAnnouncement> Announce(
      const access::Caller& caller, const v1::AnnounceReplacementsRequest& request);

  // Draws the announced round with its source's entropy value. FAILED_PRECONDITION
  // without a pending announcement; INVALID_ARGUMENT for reused entropy or codes that
  // differ from the announced ones.
  absl::StatusOr<v1::Draw> Replace(const access::Caller& caller,
                                   const v1::DrawReplacementsRequest& request,
                                   const KeepGoing& keep_going = nullptr);

  // Streams the plan's frozen roster and population files (draw-spec §10) to `emit`,
  // which returns false to stop. FAILED_PRECONDITION for a plan not yet committed.
  absl::Status ExportInputs(const access::Caller& caller, absl::string_view plan_id,
                            const std::function<bool(const v1::DrawInputsChunk&)>& emit);

  // NOT_FOUND for a round that was not drawn.
  absl::StatusOr<v1::Draw> GetDraw(const access::Caller& caller, const v1::GetDrawRequest& request);

 private:
  // Appends what the last write queued; a log that is down leaves it queued for later.
  void Publish();

  storage::KvStore* const store_;
  PlanBook* const plans_;
  AssignmentBoard* const board_;
  disclosure::PublicationQueue* const publications_;
  Clock* const clock_;
  const Options options_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_DRAW_DESK_H_
