#ifndef TOOLS_REGCTL_RESULT_CONTENT_FLAGS_H_
#define TOOLS_REGCTL_RESULT_CONTENT_FLAGS_H_

// What an inspection result says, from the command line's flags (--category, --findings,
// --follow_up, --inspection_end): shared by `regctl results` (submit, correct) and
// `regctl objection answer` (the corrected content of an upheld objection).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::regctl {

// A YYYY-MM-DD flag. INVALID_ARGUMENT naming `flag`.
absl::StatusOr<v1::Date> ParseDate(absl::string_view flag, const std::string& text);

// An official category by its enum name (case-insensitive). INVALID_ARGUMENT listing them.
absl::StatusOr<v1::InspectionResultCategory> ParseCategory(const std::string& text);

// The content flags as a result; INVALID_ARGUMENT naming the flag that is wrong.
absl::StatusOr<v1::InspectionResult> ParseResultContent(const std::string& category,
                                                        const std::string& findings,
                                                        const std::string& follow_up,
                                                        const std::string& end_date);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_RESULT_CONTENT_FLAGS_H_
