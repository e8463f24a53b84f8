#ifndef SCHEDULER_RISK_CLASS_H_
#define SCHEDULER_RISK_CLASS_H_

// Credit-risk classes as the draw uses them: the stratum of the target draw. Numbered
// 1 (A, low) to 4 (D, high), the values of regulation.v1.RiskClass; written as the
// letters A-D in every file and digest (docs/draw-spec.md §3). Classes are internal:
// the public bundle carries per-class aggregates only, never an enterprise's class.

#include "absl/strings/string_view.h"

namespace regulation::scheduler {

inline constexpr int kRiskClassCount = 4;

// 'A' for 1 ... 'D' for 4. REQUIRES: 1 <= risk_class <= 4.
inline char RiskClassLetter(int risk_class) { return static_cast<char>('A' + risk_class - 1); }

// 1-4 for "A"-"D" (uppercase only); 0 for anything else.
inline int ParseRiskClassLetter(absl::string_view letter) {
  if (letter.size() != 1 || letter[0] < 'A' || letter[0] > 'D') return 0;
  return letter[0] - 'A' + 1;
}

}  // namespace regulation::scheduler

#endif  // SCHEDULER_RISK_CLASS_H_
