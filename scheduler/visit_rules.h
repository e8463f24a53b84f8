#ifndef SCHEDULER_VISIT_RULES_H_
#define SCHEDULER_VISIT_RULES_H_

// Two frozen inputs of a plan that shape its draw besides the quotas (docs/draw-spec.md
// §3.2, §7 "No repeated visits", §8.1 rule 6):
//
//   NoRepeatRule   进一次门、查多项事: the enterprises that earlier rounds (of other plans)
//                  drew within a window before this plan's commit are not drawn again.
//                  The rule lists the earlier rounds it considered (by bundle digest) and
//                  every enterprise it excludes with the round that drew it, so that
//                  anyone holding those published bundles re-checks the set.
//   GrantedRecusal 回避申请: an enterprise asked that an inspector step aside and the agency
//                  granted it before the commit. The inspector is never on that
//                  enterprise's team. Only a reference (the request id) is public, never
//                  the grounds.
//
// Both are part of the plan digest (so of the commitment, before any randomness exists)
// and of the bundle's plan. A plan without them digests and writes as it always did.
//
// Thread safety: value types and stateless functions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler {

class CanonicalRecord;

// Which earlier rounds count: those of plans sharing a department with this plan, or
// those of every plan.
enum class RepeatScope { kDepartment, kAllDepartments };

// "department", "all".
const char* RepeatScopeName(RepeatScope scope);
// INVALID_ARGUMENT (message without a field name) for anything else.
absl::StatusOr<RepeatScope> ParseRepeatScope(absl::string_view name);

// A published round of another plan that the rule considered.
struct EarlierRound {
  // Lowercase hex SHA-256 of its bundle.
  std::string bundle_digest;
  std::string plan_id;
  int64_t round = 0;
  // Its commitment's committed_at (canonical time, docs/draw-spec.md §1).
  std::string committed_at;
};

// An enterprise not drawn, and the considered round that drew it (the first of them in
// bundle-digest order when several did).
struct RepeatExclusion {
  std::string credit_code;
  std::string bundle_digest;
};

struct NoRepeatRule {
  // 1-366: rounds committed at most this many days (of 86,400 s) before this plan's
  // commit count.
  int window_days = 0;
  RepeatScope scope = RepeatScope::kDepartment;
  // Sorted by bundle digest (canonical form), no repeats.
  std::vector<EarlierRound> considered;
  // Sorted by credit code (canonical form), no repeats; each bundle digest considered.
  std::vector<RepeatExclusion> excluded;
};

struct GrantedRecusal {
  // The request's id: 1-64 characters of [A-Za-z0-9._-].
  std::string request_id;
  std::string credit_code;
  std::string inspector_id;
};

// OK, or INVALID_ARGUMENT naming the first bad field ("plan.no_repeat.excluded[2]: ...").
absl::Status ValidateNoRepeatRule(const NoRepeatRule& rule);
absl::Status ValidateRecusals(const std::vector<GrantedRecusal>& recusals);

// Canonical order (above); recusals by (credit code, inspector id).
void CanonicalizeNoRepeatRule(NoRepeatRule* rule);
void CanonicalizeRecusals(std::vector<GrantedRecusal>* recusals);

// Appends the canonical record fields (docs/draw-spec.md §3.2). REQUIRES: canonical.
void AddNoRepeatFields(const NoRepeatRule& rule, CanonicalRecord* record);
void AddRecusalFields(const std::vector<GrantedRecusal>& recusals, CanonicalRecord* record);

// The credit codes the rule excludes (empty without a rule).
absl::flat_hash_set<std::string> ExcludedCodes(const std::optional<NoRepeatRule>& rule);

bool operator==(const EarlierRound& a, const EarlierRound& b);
bool operator==(const RepeatExclusion& a, const RepeatExclusion& b);
bool operator==(const NoRepeatRule& a, const NoRepeatRule& b);
bool operator==(const GrantedRecusal& a, const GrantedRecusal& b);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_VISIT_RULES_H_
