#ifndef SERVICES_DISCLOSURE_PUBLIC_RESULT_H_
#define SERVICES_DISCLOSURE_PUBLIC_RESULT_H_

// The one place an inspection result becomes public (docs/redaction-and-deadlines.md):
// every free-text field goes through disclosure::RedactPersonalData, and only the fields
// the rules allow are copied: the enterprise by name and credit code, the official
// category, the redacted findings and follow-up measures, the dates and departments.
// Inspectors are not named (a rule allowing badge numbers is UNCONFIRMED).
//
// Thread safety: stateless functions.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "disclosure/redaction.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::services {

// The official Chinese name of a result category, e.g. "未发现问题".
std::string CategoryLabel(v1::InspectionResultCategory category);

// The public form of `result`. `report` (optional) receives what was redacted. Without
// `approved` the form has no approve_time (a preview, made before the approval).
v1::PublicResult PublicResultOf(const v1::InspectionResult& result,
                                absl::string_view enterprise_name,
                                const std::vector<std::string>& departments,
                                std::optional<absl::Time> approved,
                                disclosure::RedactionReport* report = nullptr);

// Record keys, unique in the log.
std::string ResultRecordKey(absl::string_view result_id);
// The n-th change of a result (its stored version) keys its correction.
std::string CorrectionRecordKey(absl::string_view result_id, int64_t version);

// The log entry of an approved result; without `now` it has no publish_time (a preview).
v1::PublicEntry ResultEntryOf(const v1::PublicResult& result, std::optional<absl::Time> now);

// The log entries (PublicEntry JSON) of an approved result and of a correction.
std::string ResultEntry(const v1::PublicResult& result, absl::Time now);
// `objection_id`: the upheld objection the correction answers, if any.
std::string CorrectionEntry(absl::string_view record_key, const v1::PublicResult& corrected,
                            int64_t corrects_index, absl::string_view reason, absl::Time now,
                            absl::string_view objection_id = "");

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_PUBLIC_RESULT_H_
