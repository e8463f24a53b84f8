#ifndef SERVICES_DISCLOSURE_RESULT_DESK_H_
#define SERVICES_DISCLOSURE_RESULT_DESK_H_

// Inspection results, from submission to publication (docs/disclosure.md):
//
//   SubmitResult    an inspector assigned to the target (plan, enterprise) submits or,
//                   while it is SUBMITTED or RETURNED, revises it. The publication
//                   deadline is fixed now: `publish_working_days` (default 20) working
//                   days after the inspection's last day, by the holiday calendar.
//   ReturnResult    the plan's agency sends it back with a comment (RETURNED).
//   PreviewPublication  what approving it would publish, with every removal of personal
//                   data and a digest (publication_preview.h).
//   ApproveResult   the plan's agency approves it, naming the digest of the preview it saw:
//                   its public form (public_result.h) is staged for the log in the same
//                   atomic batch, then appended; the result is PUBLISHED once the log holds
//                   it (APPROVED until then).
//   PublishCorrection  a new log record pointing at the result's latest record; the old
//                   one stays in the log.
//
// One result per target and plan: its id is "<plan id>.<credit code>". Every write is
// one atomic, fsync'ed batch with its idempotency record.
//
// Results become history: approving a result records it as an inspection event of its
// enterprise (result_event.h), and a correction supersedes that event, so that
// portraits, past portraits and training rows see what was inspected. In one process the
// event is in the result's own atomic write; with portrait apart (disclosured) it is sent
// after the write, and one portrait could not take is sent again by RecordHistory
// (HistoryBehind says when that is needed: services/seams/enterprise_history.h).
//
// With inspection or portrait apart (disclosured), a peer that cannot be reached fails
// the call with UNAVAILABLE or DEADLINE_EXCEEDED naming it, before anything is written;
// only an approval's or a correction's history event waits for portrait (above).
//
// Thread safety: safe for concurrent use; writes are serialised by a mutex (held while a
// history event is sent to portrait apart: each send has the peer's call deadline).

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "disclosure/holiday_calendar.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/disclosure_service.pb.h"
#include "services/access/caller.h"
#include "services/disclosure/publication_preview.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/plan_book.h"
#include "services/portrait/event_ingestor.h"
#include "services/seams/enterprise_history.h"
#include "services/seams/inspection_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class ResultDesk {
 public:
  struct Options {
    // Working days after the inspection's last day within which a result is published.
    int publish_working_days = 20;
  };

  // Everything must outlive the desk. `inspection` is where plans and assignments are
  // read (services/seams/inspection_feed.h); `history` names enterprises and records
  // approved results as events (services/seams/enterprise_history.h).
  ResultDesk(storage::KvStore* store, InspectionFeed* inspection, EnterpriseHistory* history,
             disclosure::PublicationQueue* publications,
             const disclosure::HolidayCalendar* calendar, Clock* clock, Options options)
      : store_(store),
        inspection_(inspection),
        history_(history),
        publications_(publications),
        calendar_(calendar),
        clock_(clock),
        options_(options) {}
  // In one process: reads `plans` and `board`, and records events with `history`, directly
  // (a LocalInspectionFeed and a LocalEnterpriseHistory).
  ResultDesk(storage::KvStore* store, PlanBook* plans, AssignmentBoard* board,
             EventIngestor* history, disclosure::PublicationQueue* publications,
             const disclosure::HolidayCalendar* calendar, Clock* clock, Options options);

  // INVALID_ARGUMENT naming the field; PERMISSION_DENIED unless the caller is assigned to
  // the target; FAILED_PRECONDITION once approved (publish a correction instead).
  absl::StatusOr<v1::InspectionResult> Submit(const access::Caller& caller,
                                              const v1::SubmitResultRequest& request);
  // What approving the result would publish. FAILED_PRECONDITION unless SUBMITTED;
  // PERMISSION_DENIED for another agency's plan; NOT_FOUND for no such result;
  // RESOURCE_EXHAUSTED when the record would be too large for the log (as approval would).
  absl::StatusOr<v1::PublicationPreview> Preview(const access::Caller& caller,
                                                 const v1::PreviewPublicationRequest& request);
  // INVALID_ARGUMENT without a well-formed preview_digest; FAILED_PRECONDITION unless
  // SUBMITTED, or when preview_digest is not the digest of what would be published now
  // (the result or its public form changed since the preview); PERMISSION_DENIED for
  // another agency's plan.
  absl::StatusOr<v1::InspectionResult> Approve(const access::Caller& caller,
                                               const v1::ApproveResultRequest& request);
  absl::StatusOr<v1::InspectionResult> Return(const access::Caller& caller,
                                              const v1::ReturnResultRequest& request);
  // Inspectors see the results they submitted; agencies those of their plans.
  absl::StatusOr<v1::InspectionResult> Get(const access::Caller& caller,
                                           absl::string_view result_id);
  absl::StatusOr<v1::ListResultsResponse> List(const access::Caller& caller,
                                               const v1::ListResultsRequest& request);
  // Results not yet published (submitted, returned or approved) whose deadline is at
  // most `within_working_days` working days after `as_of` (default today; 0 lists the
  // late ones and those due that day), in result-id order. A late result has a negative
  // working_days_left, at least -1 (late by a weekend is late).
  absl::StatusOr<v1::ListOverdueResponse> ListOverdue(const access::Caller& caller,
                                                      const v1::ListOverdueRequest& request);
  // INVALID_ARGUMENT unless corrects_index is the result's latest public record.
  absl::StatusOr<v1::PublicRecord> PublishCorrection(const access::Caller& caller,
                                                     const v1::PublishCorrectionRequest& request);

  // The stored result, without an access check: for the objection desk, which checks
  // the enterprise itself. NOT_FOUND for no such result.
  absl::StatusOr<v1::InspectionResult> LoadUnchecked(absl::string_view result_id);

  // A correction that answers an upheld objection (objection_desk.h): as
  // PublishCorrection of `content` (category, findings, follow-up measures, end date)
  // against the result's latest record, without an idempotency record of its own.
  // `also` adds the objection's own writes to the same atomic batch, given the
  // correction's record key. Returns that key. FAILED_PRECONDITION unless the result is
  // PUBLISHED; PERMISSION_DENIED for another agency's plan; INVALID_ARGUMENT naming the
  // field for bad content ("corrected.*").
  absl::StatusOr<std::string> CorrectForObjection(
      const access::Caller& caller, absl::string_view result_id,
      const v1::InspectionResult& content, absl::string_view reason,
      absl::string_view objection_id,
      const std::function<absl::Status(const std::string& correction_key,
                                       storage::WriteBatch* batch)>& also);

  // Records every approved or published result that is not yet in its enterprise's
  // history as it now reads (for results approved before results became history, or a
  // store restored from elsewhere). Returns how many events were added or superseded.
  // Idempotent; safe to call at every start. DATA_LOSS for corrupt records; with portrait
  // apart, its statuses (UNAVAILABLE naming it). Once it succeeds, HistoryBehind is false.
  absl::StatusOr<int64_t> RecordHistory();

  // Whether a result's event could not be recorded when the result was written (portrait
  // apart and unreachable) and RecordHistory has not succeeded since.
  bool HistoryBehind() const { return history_behind_.load(); }

 private:
  // The stored result, its publication settled (APPROVED -> PUBLISHED once logged).
  absl::StatusOr<v1::InspectionResult> Load(absl::string_view result_id);
  // NOT_FOUND / PERMISSION_DENIED unless `caller` may see `result`.
  absl::Status CheckAccess(const access::Caller& caller, const v1::InspectionResult& result);
  // Load, then CheckAccess. A caller who could not see the result were it stored is refused
  // the same way whether it is stored or not, so that result ids cannot be probed.
  absl::StatusOr<v1::InspectionResult> LoadFor(const access::Caller& caller,
                                               absl::string_view result_id);
  // The enterprise's name and the plan's departments, which the public record names.
  absl::StatusOr<PublicationInputs> InputsFor(const access::Caller& caller,
                                              const v1::InspectionResult& result);
  // Writes `result` (version incremented) with whatever `batch` holds, durably.
  absl::Status Save(v1::InspectionResult* result, storage::WriteBatch* batch);
  // As Save, and records `result` as its enterprise's inspection event in the same write.
  // `department`: the plan's first, which the event is recorded for.
  absl::Status SaveWithHistory(v1::InspectionResult* result, const std::string& department,
                               storage::WriteBatch* batch);
  // RecordHistory's work, under mu_.
  absl::StatusOr<int64_t> SendHistory() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Appends what was staged; marks `result` PUBLISHED when its record is in the log.
  void PublishAndSettle(v1::InspectionResult* result);
  // The CORRECTION record staged under `key`, from its stored body (or that it was
  // withdrawn); log_index is the caller's to fill in.
  absl::StatusOr<v1::PublicRecord> CorrectionRecord(absl::string_view key);

  storage::KvStore* const store_;
  // Set by the in-process constructor only; inspection_ points at it then.
  std::unique_ptr<InspectionFeed> own_inspection_;
  std::unique_ptr<EnterpriseHistory> own_history_;
  InspectionFeed* const inspection_;
  EnterpriseHistory* const history_;
  std::atomic<bool> history_behind_{false};
  disclosure::PublicationQueue* const publications_;
  const disclosure::HolidayCalendar* const calendar_;
  Clock* const clock_;
  const Options options_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_RESULT_DESK_H_
