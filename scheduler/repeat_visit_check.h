#ifndef SCHEDULER_REPEAT_VISIT_CHECK_H_
#define SCHEDULER_REPEAT_VISIT_CHECK_H_

// Re-checks a plan's no-repeat rule (visit_rules.h, docs/draw-spec.md §11.4) from the
// published bundles of the earlier rounds: every round it considered is given and is
// what the rule says (plan, round, time), lies in the window before this round's commit
// and in scope (a shared department unless the scope is "all"); the excluded set is
// exactly the targets of the considered rounds, each with the first considered round (in
// bundle-digest order) that drew it; and no given round of another plan that lies in the
// window and scope was left out. The caller gives the rounds published before the commit
// (the log's DRAW records before its COMMITMENT record): a round published later was
// rightly not considered and must not be given.
//
// Thread safety: stateless.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "scheduler/draw_bundle.h"

namespace regulation::scheduler {

struct PublishedRound {
  // Lowercase hex SHA-256 of the bundle's bytes.
  std::string digest;
  // Parsed and verified alone.
  DrawBundle bundle;
};

// OK, or DATA_LOSS "no_repeat: ..." naming the first discrepancy; FAILED_PRECONDITION
// "no_repeat: ..." for a considered round not among `earlier`; INVALID_ARGUMENT when the
// plan has no no-repeat rule.
absl::Status CheckRepeatExclusion(const DrawBundle& bundle,
                                  const std::vector<PublishedRound>& earlier);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_REPEAT_VISIT_CHECK_H_
