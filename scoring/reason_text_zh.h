#ifndef SCORING_REASON_TEXT_ZH_H_
#define SCORING_REASON_TEXT_ZH_H_

// The Chinese sentence of a score reason (ScoreReason.text_zh), beside the English one
// of explanations.h: the same feature, the same value, the same facts, for regctl, the
// API and pages read in Chinese.
//
//   DescribeFeatureZh("penalties_1y", 2)       -> "近12个月受到行政处罚2次"
//   DescribeFeatureZh("days_since_penalty", 40) -> "距上次行政处罚40天"
//
// Every feature of the catalogue (scoring/feature_catalogue.h) has a template; a test
// keeps the table complete.
//
// Thread safety: pure functions over immutable tables.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scoring {

// Whether `feature` has a Chinese sentence template.
bool HasReasonTemplateZh(absl::string_view feature);

// The Chinese sentence for `feature` at `value`. NOT_FOUND for a feature without a
// template.
absl::StatusOr<std::string> DescribeFeatureZh(absl::string_view feature, double value);

}  // namespace regulation::scoring

#endif  // SCORING_REASON_TEXT_ZH_H_
