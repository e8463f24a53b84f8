#ifndef SCORING_EXPLANATIONS_H_
#define SCORING_EXPLANATIONS_H_

// Reasons behind a risk score: the features whose SHAP contributions (Booster::
// Contributions) raise the score most, each with a stable code and a sentence built from
// the feature's value.
//
//   std::vector<float> contributions;  // num_features + 1, from Booster::Contributions
//   std::vector<v1::ScoreReason> reasons = TopReasons(contributions, features, 3);
//   // reasons[0].text: "2 administrative penalties in the last 12 months"
//   // reasons[0].text_zh: "近12个月受到行政处罚2次" (scoring/reason_text_zh.h)
//
// Every feature of the catalogue (scoring/feature_catalogue.h) has a sentence template;
// a test keeps the table complete. SHAP costs about 1,000 predictions per row, so
// reasons are computed on demand for the enterprise being looked at (docs/scoring.md).
//
// Thread safety: pure functions over immutable tables.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regulation/v1/scoring.pb.h"

namespace regulation::scoring {

// The stable reason code of a feature: its name in upper case ("penalties_1y" ->
// "PENALTIES_1Y").
std::string ReasonCode(absl::string_view feature);

// Whether `feature` has a sentence template.
bool HasReasonTemplate(absl::string_view feature);

// The plain-language sentence for `feature` at `value`, e.g. ("days_since_penalty", 40)
// -> "last penalty 40 days ago". NOT_FOUND for a feature without a template.
absl::StatusOr<std::string> DescribeFeature(absl::string_view feature, double value);

// Up to `max_reasons` reasons: the catalogue features with a positive contribution,
// largest first (equal contributions in catalogue order). Features that lower the risk
// are not reasons; a score with none has no reasons. Empty when the sizes do not match.
// REQUIRES: feature_values.size() == FeatureCatalogue().size() and
// contributions.size() == feature_values.size() + 1 (the last entry is the bias).
std::vector<v1::ScoreReason> TopReasons(absl::Span<const float> contributions,
                                        absl::Span<const double> feature_values, int max_reasons);

// For tests and audits: OK when each of the n rows of `contributions` (n x (n_features
// + 1), row-major, bias last) sums to that row's margin (log-odds) within `tolerance`.
// INVALID_ARGUMENT when the sizes disagree; FAILED_PRECONDITION naming the first row
// that does not add up.
absl::Status CheckContributionsSumToMargin(absl::Span<const float> contributions,
                                           absl::Span<const float> margins, size_t n_features,
                                           double tolerance = 1e-4);

}  // namespace regulation::scoring

#endif  // SCORING_EXPLANATIONS_H_
