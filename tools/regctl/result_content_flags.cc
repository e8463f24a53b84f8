#include "tools/regctl/result_content_flags.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "tools/regctl/date_time_flag.h"

namespace regulation::regctl {

absl::StatusOr<v1::Date> ParseDate(absl::string_view flag, const std::string& text) {
  absl::StatusOr<absl::CivilDay> day = ParseDayFlag(flag, text);
  if (!day.ok()) return day.status();
  return services::ToProtoDate(*day);
}

absl::StatusOr<v1::InspectionResultCategory> ParseCategory(const std::string& text) {
  v1::InspectionResultCategory category;
  if (!v1::InspectionResultCategory_Parse(absl::AsciiStrToUpper(text), &category) ||
      category == v1::INSPECTION_RESULT_CATEGORY_UNSPECIFIED) {
    std::string names;
    for (int c = 1; v1::InspectionResultCategory_IsValid(c); ++c) {
      absl::StrAppend(&names, names.empty() ? "" : ", ",
                      v1::InspectionResultCategory_Name(static_cast<v1::InspectionResultCategory>(c)));
    }
    return absl::InvalidArgumentError(absl::StrCat("--category: one of ", names));
  }
  return category;
}

absl::StatusOr<v1::InspectionResult> ParseResultContent(const std::string& category,
                                                        const std::string& findings,
                                                        const std::string& follow_up,
                                                        const std::string& end_date) {
  v1::InspectionResult r;
  absl::StatusOr<v1::InspectionResultCategory> parsed = ParseCategory(category);
  if (!parsed.ok()) return parsed.status();
  r.set_category(*parsed);
  r.set_findings(findings);
  r.set_follow_up_measures(follow_up);
  absl::StatusOr<v1::Date> end = ParseDate("--inspection_end", end_date);
  if (!end.ok()) return end.status();
  *r.mutable_inspection_end_date() = *end;
  return r;
}

}  // namespace regulation::regctl
