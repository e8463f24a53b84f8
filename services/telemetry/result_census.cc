#include "services/telemetry/result_census.h"

#include "services/access/caller.h"

namespace regulation::telemetry {
namespace {

// Deadlines are at most --publish_working_days ahead of an inspection's last day, which
// is never in the future; ListOverdue takes up to 250, so asking for 250 lists every
// result not yet published.
constexpr int kEveryUnpublished = 250;

}  // namespace

absl::StatusOr<ResultCensus> CountResults(services::ResultDesk* results,
                                          int due_soon_working_days) {
  access::Caller sampler;
  sampler.roles = {access::Role::kAuditor};
  sampler.subject = "regulatord metrics sampler";
  ResultCensus census;
  v1::ListOverdueRequest request;
  request.set_within_working_days(kEveryUnpublished);
  request.set_page_size(1000);
  do {
    absl::StatusOr<v1::ListOverdueResponse> page = results->ListOverdue(sampler, request);
    if (!page.ok()) return page.status();
    for (const v1::OverdueResult& overdue : page->results()) {
      switch (overdue.result().state()) {
        case v1::RESULT_STATE_SUBMITTED:
          ++census.submitted;
          break;
        case v1::RESULT_STATE_RETURNED:
          ++census.returned;
          break;
        case v1::RESULT_STATE_APPROVED:
          ++census.approved;
          break;
        default:
          break;
      }
      if (overdue.working_days_left() < 0) {
        ++census.past_deadline;
      } else if (overdue.working_days_left() <= due_soon_working_days) {
        ++census.due_soon;
      }
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return census;
}

}  // namespace regulation::telemetry
