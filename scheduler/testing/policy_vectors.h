#ifndef SCHEDULER_TESTING_POLICY_VECTORS_H_
#define SCHEDULER_TESTING_POLICY_VECTORS_H_

// The policy vectors of docs/draw-spec.md §12.3: round 0 of the spec's plan (§12.2) under
// each plan feature the Python reference re-runs besides a plain random plan — a targeted
// plan with a granted recusal, the credit policies (official and stricter class sources,
// dishonest highest_ratio and always), no repeated visits (exclude, with granted recusals,
// and join) over an earlier plan's round, and always together with exclude. Each is drawn
// by the C++ library from the spec's inputs; the Python reference must write the same
// bytes (scheduler/reference:draw_reference_test). Deterministic: the same files on every
// run (write_spec_vectors writes them).
//
// Thread safety: not thread-safe (reads the test data directory's files).

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace regulation::scheduler::testing {

struct VectorFile {
  std::string name;  // a file name in scheduler/testdata
  std::string text;
};

// spec_credit.csv (each spec enterprise's model class, official class and listing) and the
// bundles spec_bundle_<name>.json; an error names the vector that failed.
absl::StatusOr<std::vector<VectorFile>> PolicyVectors();

}  // namespace regulation::scheduler::testing

#endif  // SCHEDULER_TESTING_POLICY_VECTORS_H_
