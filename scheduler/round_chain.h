#ifndef SCHEDULER_ROUND_CHAIN_H_
#define SCHEDULER_ROUND_CHAIN_H_

// The link between a round and the round before it (docs/draw-spec.md §11.3): what one
// bundle cannot show alone. After round 0 its nonce is public; a later round that reused
// it (or reused statements) would let whoever asks for the round compute outcomes in
// advance. Checked here, given both verified bundles:
//
//   - round r follows round r - 1 of the same plan and population, and names the
//     previous bundle's digest;
//   - a fresh nonce commitment (and nonce), no statement and no source value repeated;
//   - every earlier target excluded (the previous exclusions and targets), the workload
//     carried (the previous prior workload plus its staffed teams);
//   - each named target is a target of the previous round or excluded by it (an earlier
//     one); a re-staffing round's targets that the previous round listed were UNSTAFFED
//     there, and keep their region codes; it is staffed from a roster of its own, every
//     other round from the same roster.
//
// Thread safety: stateless functions.

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/seed.h"

namespace regulation::scheduler {

// OK, or DATA_LOSS "chain: <what>" for the first broken link. REQUIRES: both bundles
// verified alone; `values` are each round's checked entropy values.
absl::Status CheckRoundChain(const DrawBundle& previous, absl::string_view previous_json,
                             const std::vector<EntropyValue>& previous_values,
                             const DrawBundle& bundle, const std::vector<EntropyValue>& values);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_ROUND_CHAIN_H_
