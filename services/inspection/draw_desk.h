#ifndef SERVICES_INSPECTION_DRAW_DESK_H_
#define SERVICES_INSPECTION_DRAW_DESK_H_

// Commit, then draw (docs/draw-spec.md, docs/architecture.md §draws).
//
//   Commit   DRAFT -> COMMITTED. Freezes the plan, its eligible population (with each
//            enterprise's class) and roster (plan_freezer.h), refuses a roster that
//            cannot staff the expected targets (unless allow_unstaffed), fixes the nonce
//            commitment and the registered entropy sources (round_entropy.h), and logs
//            the commitment with its digest, all before any randomness exists. Without a
//            caller's nonce commitment the server draws a 32-byte nonce from OpenSSL's
//            CSPRNG and keeps it sealed.
//   Draw     COMMITTED -> DRAWN. Takes the sources' signed statements (and the caller's
//            nonce if it committed one), checks them (registered, not retired, signed by
//            the committed key, bound to this plan, round and commitment digest, no
//            earlier than the commitment plus the minimum entropy delay, not in the
//            future), runs scheduler::RunDraw over the frozen inputs, stores the draw and
//            its canonical bundle, hands out the assignments, records the teams for
//            rotation, and logs the draw.
//   Announce DRAWN. Names the targets to replace (deregistered, unreachable), or with
//            restaff the unstaffed targets to staff again from the roster as it is now
//            (frozen here), the round's registered sources and a new sealed nonce's
//            commitment, and logs them with the round's commitment digest: after round 0
//            the plan's nonce is public, so without this step whoever calls for the round
//            could try values (or targets) until the outcome suited.
//   Replace  DRAWN, announced. Draws the round with its sources' statements (never the
//            old seed): as many per class as were replaced, excluding every earlier
//            target, their assignments withdrawn; or, re-staffing, teams for the named
//            targets from the round's roster.
//
// Every change is one atomic, fsync'ed batch together with its public log entry
// (publication_queue.h) and its idempotency record: a client that retries with the same
// request_id gets the first answer, never a second draw.
//
// Plans of any size. A round whose bundle is over Options::archive.inline_bundle_bytes is
// kept in parts (draw_archive.h): its bundle parts and target slices are written first,
// then the one batch above stores the round's summary (Draw.bundle_parts) with the plan
// marked fanout_pending, and its assignments and rotation history follow slice by slice
// (draw_fanout.h) before the mark is cleared. Nothing holds the round in one value or one
// message; the draw itself holds the selected targets and their teams in memory (about
// 1 KB a target). ListDrawTargets pages the targets and teams, StreamBundle serves the
// bundle part by part, whichever form a round is kept in.
//
// Thread safety: safe for concurrent use; commits and draws are serialised (one at a
// time for the whole server: they are rare and each reads a consistent state).

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/keep_going.h"
#include "disclosure/publication_queue.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "scheduler/draw.h"
#include "scheduler/round_commitment.h"
#include "services/access/caller.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_archive.h"
#include "services/inspection/entropy_registry.h"
#include "services/inspection/plan_book.h"
#include "services/inspection/plan_freezer.h"
#include "services/seams/local_population.h"
#include "services/seams/population_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class DrawDesk {
 public:
  struct Options {
    // Threads hashing tickets in a draw (the result does not depend on it). Default 2.
    int draw_threads = 2;
    // Statements signed (pulses emitted) earlier than this after a round's commitment
    // are refused; whole seconds. Default 10 minutes (regulatord --min_entropy_delay).
    absl::Duration min_entropy_delay = absl::Minutes(10);
    // How far a statement's time may run ahead of the server's clock. Default 2 minutes.
    absl::Duration max_clock_skew = absl::Minutes(2);
    // When a round is kept in parts, and their sizes (draw_archive.h).
    DrawArchive::Options archive;
    // Where a commit reads the population and assignments the enterprises
    // (services/seams/population_feed.h). Null: the desk's own store, in process
    // (regulatord). Not owned; must outlive the desk.
    PopulationFeed* population = nullptr;
  };

  // Everything must outlive the desk.
  DrawDesk(storage::KvStore* store, PlanBook* plans, AssignmentBoard* board,
           disclosure::PublicationQueue* publications, EntropyRegistry* registry, Clock* clock,
           Options options)
      : store_(store),
        plans_(plans),
        board_(board),
        publications_(publications),
        registry_(registry),
        clock_(clock),
        options_(options),
        archive_(store, options.archive),
        own_population_(options.population == nullptr
                            ? std::make_unique<LocalPopulationFeed>(store)
                            : nullptr),
        population_(options.population != nullptr ? options.population
                                                  : own_population_->feed()) {}

  // INVALID_ARGUMENT naming the field (the v1 entropy_source among them, or sources that
  // are not one WITNESS or BEACON at least); FAILED_PRECONDITION unless the plan is
  // DRAFT, when nothing is eligible, when the roster cannot staff the expected targets
  // (the numbers, unless allow_unstaffed), or for a source not registered, retired, a
  // WITNESS of the plan's own department, or a pulse not after the commit plus the
  // minimum delay (naming the source); NOT_FOUND / PERMISSION_DENIED for the plan. `keep_going`
  // (common/keep_going.h) may stop the freeze, with the plan unchanged.
  absl::StatusOr<v1::Commitment> Commit(const access::Caller& caller,
                                        const v1::CommitPlanRequest& request,
                                        const KeepGoing& keep_going = nullptr);

  // INVALID_ARGUMENT naming the field (the v1 entropy_value, a malformed statement);
  // FAILED_PRECONDITION unless the plan is COMMITTED, when a caller-committed plan's
  // nonce is missing or does not match its commitment, or a statement is refused
  // (naming its source and why: unregistered, retired, does not verify, another plan,
  // round or commitment, signed too early or in the future, pulse time differs,
  // duplicate, missing, unchecked value not attested). `keep_going` may stop the draw
  // before anything is written.
  absl::StatusOr<v1::Draw> Draw(const access::Caller& caller, const v1::DrawPlanRequest& request,
                                const KeepGoing& keep_going = nullptr);

  // Fixes the next round before its randomness exists: its targets, its registered
  // sources and a new sealed nonce's commitment, and for a re-staffing round the roster,
  // logged publicly with the round's commitment digest. INVALID_ARGUMENT naming the field
  // (a code that is no target or was replaced already); FAILED_PRECONDITION unless the
  // plan is DRAWN with no announced round pending, for a re-staffed target that is
  // staffed or replaced, and for sources as Commit.
  absl::StatusOr<v1::ReplacementAnnouncement> Announce(
      const access::Caller& caller, const v1::AnnounceReplacementsRequest& request);

  // Draws the announced round with its sources' statements. FAILED_PRECONDITION without
  // a pending announcement, or for statements as Draw; INVALID_ARGUMENT for codes that
  // differ from the announced ones.
  absl::StatusOr<v1::Draw> Replace(const access::Caller& caller,
                                   const v1::DrawReplacementsRequest& request,
                                   const KeepGoing& keep_going = nullptr);

  // Streams the roster of `request.round` and the plan's frozen population (draw-spec
  // §10) to `emit`, which returns false to stop. FAILED_PRECONDITION for a plan not yet
  // committed; INVALID_ARGUMENT for a round not announced.
  absl::Status ExportInputs(const access::Caller& caller,
                            const v1::ExportDrawInputsRequest& request,
                            const std::function<bool(const v1::DrawInputsChunk&)>& emit);

  // NOT_FOUND for a round that was not drawn. A round kept in parts comes without its
  // targets, teams and bundle_json (ListDrawTargets, BundlePart).
  absl::StatusOr<v1::Draw> GetDraw(const access::Caller& caller, const v1::GetDrawRequest& request);

  // A page of a drawn round's targets and teams, in team order. INVALID_ARGUMENT for
  // page_size outside 0-5000 or a page_token this call did not return; NOT_FOUND for a
  // round not drawn; DATA_LOSS for a stored slice missing or corrupt.
  absl::StatusOr<v1::ListDrawTargetsResponse> ListDrawTargets(
      const access::Caller& caller, const v1::ListDrawTargetsRequest& request);

  // Streams a drawn round's bundle to `emit`, part by part (returns false to stop:
  // CANCELLED). NOT_FOUND for a round not drawn; DATA_LOSS for a part missing or not
  // matching its SHA-256.
  absl::Status StreamBundle(const access::Caller& caller, const v1::GetDrawBundleRequest& request,
                            const std::function<bool(const v1::DrawBundlePart&)>& emit);

  // Finishes the fan-out of every plan a crash left fanout_pending (call once at
  // startup, before serving). Errors as the store's.
  absl::Status ResumeFanOuts();

 private:
  // Appends what the last write queued; a log that is down leaves it queued for later.
  void Publish();

  // Adds to `frozen` the plan's no-repeat rule (the rounds of other plans drawn within its
  // window before `now`, repeat_visits.h) and its granted recusals, and digests the plan
  // again. REQUIRES: mu_ held.
  absl::Status FreezeVisitRules(const internal::PlanRecord& record, absl::Time now,
                                FrozenPlan* frozen);

  // Writes the assignments and history of the last round of `plan_id` if its record is
  // fanout_pending, then clears the mark. REQUIRES: mu_ held.
  absl::Status FinishFanOut(absl::string_view plan_id);

  // `record` with every round's targets and teams filled in (draw_archive.h), for the
  // computations that read earlier rounds; the record saved stays the summary.
  absl::StatusOr<internal::PlanRecord> WithEveryTarget(const internal::PlanRecord& record);

  // Stages the hand-out of `draw` (filled, as DrawOf made it) in `batch`: a round kept
  // whole stages its assignments (returned, to publish once durable) and history; a round
  // to be kept in parts is stored in parts, emptied to its summary, and `record` marked
  // fanout_pending.
  absl::StatusOr<std::vector<v1::Assignment>> StageHandOut(internal::PlanRecord* record,
                                                           v1::Draw* draw,
                                                           storage::WriteBatch* batch);

  // A round's commitment at `now`: `refs` resolved against the registry, its digest over
  // `inputs` (the round's plan, digests, round and replacement section).
  absl::StatusOr<scheduler::RoundCommitment> CommitRound(
      const scheduler::DrawInputs& inputs, scheduler::RoundKind kind,
      const std::string& nonce_commitment,
      const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& refs, absl::Time now);

  // Checks `statements` against round inputs.round's stored commitment (the registry, the
  // server's clock, the signatures) and draws it.
  absl::StatusOr<scheduler::DrawResult> DrawRound(
      const internal::PlanRecord& record, scheduler::DrawInputs inputs,
      const google::protobuf::RepeatedPtrField<v1::EntropyStatement>& statements,
      const KeepGoing& keep_going);

  storage::KvStore* const store_;
  PlanBook* const plans_;
  AssignmentBoard* const board_;
  disclosure::PublicationQueue* const publications_;
  EntropyRegistry* const registry_;
  Clock* const clock_;
  const Options options_;
  DrawArchive archive_;
  const std::unique_ptr<LocalPopulationFeed> own_population_;
  PopulationFeed* const population_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_DRAW_DESK_H_
