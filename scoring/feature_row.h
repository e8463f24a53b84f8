#ifndef SCORING_FEATURE_ROW_H_
#define SCORING_FEATURE_ROW_H_

// A feature row: exactly what the features need from an enterprise record and its
// portrait state, as one flat binary value, so that a batch run (ScoreAll) evaluates the
// features at any moment without parsing two protobufs per enterprise. The features of
// a row are bit-identical to ComputeFeaturesInto(enterprise, state, as_of) for every
// `as_of`: both are computed by the same formulas (feature_formulas.h) over the same
// values, and a test compares them over randomised states and moments.
//
// Layout, format 1 (integers little-endian, fixed width; no padding):
//   u8  format (1)
//   --- the enterprise's part (FeatureRowEnterprise), 24 bytes ---
//   i64 established day (days from 1970-01-01 to the normalised establishment date)
//   i64 registered capital in yuan
//   i32 industry_section feature, i32 province feature
//   --- the state's part ---
//   i64 reported capital in yuan (0: none reported)
//   u8  S, then S signals (known ones only, each once: the state's first history):
//       u8 signal, u8 flags (bit 0: amounts follow), i64 count_total, i64 last_micros,
//       u32 n, n x i64 occurrence time, [n x i64 amount]
//   u32 L, then L lists (every list of the state, in its order):
//       i32 list, u32 n, n x {i64 time, u8 added}
// Fixed widths decode with plain loads; amounts are stored only for a signal that has
// one (penalties), which halves the bytes of the others. Evaluating a row costs about
// 0.3 µs of CPU with its scan (docs/performance.md, "`ScoreAll`"); other layouts were
// not measured.
//
// Statuses: FAILED_PRECONDITION for a row of another format (a newer or older build
// wrote it: rebuild the rows); DATA_LOSS for a malformed row.
//
// Thread safety: plain functions and values.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/feature_formulas.h"

namespace regulation::scoring {

inline constexpr uint8_t kFeatureRowFormat = 1;

// The enterprise record's part of a row.
struct FeatureRowEnterprise {
  int64_t established_day = 0;
  int64_t registered_capital_yuan = 0;
  int32_t industry_section = 0;
  int32_t province = 0;

  bool operator==(const FeatureRowEnterprise& o) const {
    return established_day == o.established_day &&
           registered_capital_yuan == o.registered_capital_yuan &&
           industry_section == o.industry_section && province == o.province;
  }
};

FeatureRowEnterprise FeatureRowEnterpriseOf(const v1::Enterprise& enterprise);

// The enterprise part of a stored row (to rebuild the row for a new state without
// reading the enterprise record).
absl::StatusOr<FeatureRowEnterprise> ReadFeatureRowEnterprise(absl::string_view row);

// Replaces `*row` with the row of `enterprise` and `state` (reusing its capacity).
// A state whose recent_amounts is shorter than its recent_micros (never written so)
// counts the missing amounts as zero.
void EncodeFeatureRow(const FeatureRowEnterprise& enterprise,
                      const internal::PortraitState& state, std::string* row);
std::string FeatureRowOf(const v1::Enterprise& enterprise, const internal::PortraitState& state);

// Replaces the enterprise part of `row`, a row EncodeFeatureRow wrote: the part has a
// fixed place and width, so a row can be encoded from a state before its enterprise part
// is known. REQUIRES: `row` was written by EncodeFeatureRow.
void SetFeatureRowEnterprise(const FeatureRowEnterprise& enterprise, std::string* row);

// A parsed row: views of the bytes it was parsed from (which must outlive it, or the
// next Parse). Parse validates every length once, so evaluation reads without checks.
// Reusable: Parse allocates nothing.
class FeatureRow {
 public:
  // `what` names the row in errors (its credit code).
  absl::Status Parse(absl::string_view bytes, absl::string_view what);

  const FeatureRowEnterprise& enterprise() const { return enterprise_; }

  // The features at `as_of`, as floats, to out[0 .. FeatureCatalogue().size()).
  // REQUIRES: a successful Parse.
  void ComputeFeaturesInto(int64_t as_of, float* out) const;

 private:
  friend class RowInputs;
  FeatureRowEnterprise enterprise_;
  int64_t reported_capital_yuan_ = 0;
  // Each known signal's record in the bytes, or nullptr.
  const char* signals_[kKnownSignals] = {};
  const char* lists_ = nullptr;  // the first list record
  uint32_t list_count_ = 0;
};

}  // namespace regulation::scoring

#endif  // SCORING_FEATURE_ROW_H_
