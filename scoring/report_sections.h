#ifndef SCORING_REPORT_SECTIONS_H_
#define SCORING_REPORT_SECTIONS_H_

// Internal to the report: the optional sections of EvaluationReport (intervals, classes,
// policy, schedule, tuning) as HTML and as JSON members. Each returns "" when its
// section is absent.

#include <string>

#include "scoring/report.h"

namespace regulation::scoring::report_internal {

// The HTML of every present section, in page order.
std::string SectionsHtml(const EvaluationReport& report);

// The JSON members of every present section, each preceded by a comma:
// ,"intervals":{...},"classes":[...],"policy":{...},"schedule":{...},"tuning":{...}
std::string SectionsJson(const EvaluationReport& report);

}  // namespace regulation::scoring::report_internal

#endif  // SCORING_REPORT_SECTIONS_H_
