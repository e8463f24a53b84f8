#ifndef TOOLS_SYNTH_RUN_MERGE_H_
#define TOOLS_SYNTH_RUN_MERGE_H_

// The merge step of an external sort: sorted runs on disk become one sorted stream.
//
// A run is a text file of lines "<key>\t<payload>\n", sorted by key (bytewise). Keys
// hold no tab or newline; payloads hold no newline. MergeRuns streams every line of the
// runs in key order (equal keys: in the order the runs are given), holding one line per
// run in memory. With more runs than `fan_in`, groups of `fan_in` runs are first merged
// into intermediate runs in `temp_dir` (deleted once merged), so that no more than
// `fan_in` files are ever open at once.
//
// Thread safety: a call shares nothing with other calls.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::synth {

// Receives each merged line without its "\n": the whole "<key>\t<payload>" or, with
// strip_keys, the payload alone. A non-OK status stops the merge and is returned.
using LineSink = std::function<absl::Status(absl::string_view line)>;

// NOT_FOUND or another errno-derived status when a run cannot be read;
// INVALID_ARGUMENT when a line has no tab (with strip_keys) or fan_in < 2.
absl::Status MergeRuns(const std::vector<std::string>& runs, const std::string& temp_dir,
                       int fan_in, bool strip_keys, const LineSink& sink);

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_RUN_MERGE_H_
