#ifndef SERVICES_DISCLOSURE_OBJECTION_DESK_H_
#define SERVICES_DISCLOSURE_OBJECTION_DESK_H_

// Objections (异议) to published inspection results (docs/disclosure.md, "Objections"):
//
//   FileObjection    the enterprise a PUBLISHED result is about (Role::kEnterprise, its
//                    own credit code only) objects: grounds, optional evidence
//                    references. One OPEN objection per result at a time. The answer
//                    deadline is fixed now: `answer_working_days` (default 10, a chosen
//                    default: no national deadline was found) working days after the
//                    filing day, by the holiday calendar.
//   AnswerObjection  the result's department (the agency that may manage its plan)
//                    upholds or rejects it with a reason. In one atomic, fsync'ed batch
//                    an OBJECTION_OUTCOME record is staged for the log and, when upheld,
//                    a CORRECTION of the result (result_desk.h) before it. A late answer
//                    is still accepted and is published marked late.
//   Get/ListObjections  an enterprise sees only its own; an agency those of its plans;
//                    auditors and admins all. `overdue_only` lists the OPEN ones past
//                    their deadline.
//
// What is published (public_record.proto, PublicObjectionOutcome): the objection and
// result ids, the record objected to, the dates, the outcome, the grounds and the reason
// through the redaction rules (disclosure/redaction.h). Evidence references, who filed
// and who answered are never published.
//
// Writes are idempotent by request_id (services/common/idempotent_write.h). Stored in
// kObjections by objection id "<result id>/<n>".
//
// Thread safety: safe for concurrent use; writes are serialised by a mutex, taken
// before the result desk's.

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "disclosure/holiday_calendar.h"
#include "disclosure/publication_queue.h"
#include "regulation/v1/objection.pb.h"
#include "services/access/caller.h"
#include "services/disclosure/result_desk.h"
#include "services/seams/inspection_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class ObjectionDesk {
 public:
  struct Options {
    // Working days after the filing day within which the department answers.
    int answer_working_days = 10;
  };

  // Everything must outlive the desk. `plans`: where the desk reads plans.
  ObjectionDesk(storage::KvStore* store, ResultDesk* results, InspectionFeed* plans,
                disclosure::PublicationQueue* publications,
                const disclosure::HolidayCalendar* calendar, Clock* clock, Options options)
      : store_(store),
        results_(results),
        plans_(plans),
        publications_(publications),
        calendar_(calendar),
        clock_(clock),
        options_(options) {}

  // INVALID_ARGUMENT naming the field; PERMISSION_DENIED unless the caller is the
  // enterprise named by credit_code; NOT_FOUND unless result_id is a PUBLISHED result
  // about that enterprise (the same refusal whether the result exists or not);
  // FAILED_PRECONDITION while another objection to the result is OPEN.
  absl::StatusOr<v1::Objection> File(const access::Caller& caller,
                                     const v1::FileObjectionRequest& request);
  // INVALID_ARGUMENT naming the field (a decision other than UPHELD or REJECTED, no
  // reason, corrected content missing when upheld or given when rejected, or invalid);
  // NOT_FOUND for no such objection; PERMISSION_DENIED unless the caller's agency may
  // manage the result's plan; FAILED_PRECONDITION once answered.
  absl::StatusOr<v1::Objection> Answer(const access::Caller& caller,
                                       const v1::AnswerObjectionRequest& request);
  // NOT_FOUND for no such objection, or one the caller may not see.
  absl::StatusOr<v1::Objection> Get(const access::Caller& caller,
                                    const v1::GetObjectionRequest& request);
  absl::StatusOr<v1::ListObjectionsResponse> List(const access::Caller& caller,
                                                  const v1::ListObjectionsRequest& request);

 private:
  // The stored objection, its records' log indices and (while OPEN) its deadline
  // standing as of today filled in; NOT_FOUND when there is none.
  absl::StatusOr<v1::Objection> Load(absl::string_view objection_id);
  // Whether `caller` may see `objection`.
  bool MaySee(const access::Caller& caller, const v1::Objection& objection);
  // The OPEN objection to `result_id`, if any, and how many were filed.
  absl::Status ScanResult(absl::string_view result_id, std::string* open_id, int* filed);

  storage::KvStore* const store_;
  ResultDesk* const results_;
  // Where plans are read (services/seams/inspection_feed.h).
  InspectionFeed* const plans_;
  disclosure::PublicationQueue* const publications_;
  const disclosure::HolidayCalendar* const calendar_;
  Clock* const clock_;
  const Options options_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_OBJECTION_DESK_H_
