#include "services/disclosure/result_event.h"

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "services/common/proto_time.h"

namespace regulation::services {

std::string ResultEventId(absl::string_view result_id) {
  return absl::StrCat("result:", result_id);
}

bool IsViolationCategory(v1::InspectionResultCategory category) {
  switch (category) {
    case v1::PROBLEM_FOUND_FOLLOW_UP_PENDING:
    case v1::REQUIRED_INFORMATION_NOT_PUBLISHED:
    case v1::PUBLISHED_INFORMATION_FALSE:
    case v1::UNREACHABLE_AT_REGISTERED_ADDRESS:
    case v1::PROBLEM_CORRECTED_ON_ORDER:
    case v1::SERIOUS_REFUSAL_TO_COOPERATE:
    case v1::OTHER_DEPARTMENT_VIOLATION:
      return true;
    default:
      return false;
  }
}

v1::Event ResultEvent(const v1::InspectionResult& result, absl::string_view department) {
  v1::Event event;
  event.set_event_id(ResultEventId(result.result_id()));
  event.set_source_department(department.empty() ? "samr" : std::string(department));
  event.set_credit_code(result.credit_code());
  const v1::Date& d = result.inspection_end_date();
  *event.mutable_occur_time() = ToProtoTimestamp(
      absl::FromCivil(absl::CivilDay(d.year(), d.month(), d.day()), ChinaTimeZone()));
  v1::InspectionOutcome* outcome = event.mutable_inspection_outcome();
  outcome->set_problem_found(IsViolationCategory(result.category()));
  outcome->set_result_category(result.category());
  outcome->set_plan_id(result.plan_id());
  return event;
}

}  // namespace regulation::services
