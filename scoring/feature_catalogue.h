#ifndef SCORING_FEATURE_CATALOGUE_H_
#define SCORING_FEATURE_CATALOGUE_H_

// The feature catalogue: every feature a portrait carries, in a fixed order, with its
// definition, window and the direction in which it may move risk (docs/features.md is
// generated from the same table by hand and a test keeps the two in step). The risk
// model reads features in this order; its monotone constraints come from the
// directions; its schema digest is the digest of the names.
//
// Thread safety: the catalogue is immutable; ComputeFeatures is a pure function.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"

namespace regulation::scoring {

enum class Direction : int {
  // No constraint: the model may use the feature either way.
  kNone = 0,
  // Raising the feature may never lower the risk score (e.g. more penalties).
  kIncreasesRisk = 1,
  // Raising the feature may never raise the risk score.
  kDecreasesRisk = -1,
};

struct FeatureSpec {
  absl::string_view name;
  absl::string_view definition;
  absl::string_view window;
  Direction direction;
};

// Every feature, in portrait order.
absl::Span<const FeatureSpec> FeatureCatalogue();

// SHA-256 (hex) of the feature names joined by '\n': portraits and models carry it,
// and a model refuses portraits whose schema differs.
const std::string& FeatureSchemaDigest();

// "Never happened" for the days-since features: ten years.
inline constexpr double kDaysSinceNever = 3650;

// The industry_section and province features of an enterprise's codes (shared with the
// feature rows, which store them).
int IndustrySectionFeature(absl::string_view industry_code);
int ProvinceFeature(absl::string_view region_code);

// The features of `enterprise` whose events are summed up in `state`, evaluated at
// `as_of_micros`. REQUIRES: every event folded into `state` happened at or before
// `as_of_micros`.
std::vector<double> ComputeFeatures(const v1::Enterprise& enterprise,
                                    const internal::PortraitState& state, int64_t as_of_micros);

// The same, written as floats to out[0 .. FeatureCatalogue().size()), without
// allocating: for batch scoring. REQUIRES: `out` has room for every feature.
void ComputeFeaturesInto(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                         int64_t as_of_micros, float* out);

}  // namespace regulation::scoring

#endif  // SCORING_FEATURE_CATALOGUE_H_
