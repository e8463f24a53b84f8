#ifndef SCHEDULER_ROSTER_H_
#define SCHEDULER_ROSTER_H_

// The frozen inspector roster a draw staffs its teams from, and its digest
// (docs/draw-spec.md §3.3): the inspectors (执法检查人员名录库) with every field the team
// rules read, the declared conflicts of interest (回避), and who inspected each enterprise
// last time (rotation). The service freezes it when a plan is committed.
//
// Thread safety: value types and stateless functions.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler {

enum class InspectorStatus { kActive, kUnavailable, kRetired };

// "ACTIVE", "UNAVAILABLE", "RETIRED".
absl::string_view InspectorStatusName(InspectorStatus status);
// The inverse of InspectorStatusName; INVALID_ARGUMENT for anything else.
absl::StatusOr<InspectorStatus> ParseInspectorStatus(absl::string_view name);

struct InspectorRecord {
  // 1-64 characters from [A-Za-z0-9._-]; unique in the roster.
  std::string inspector_id;
  // 1-128 bytes of text.
  std::string department;
  // Six digits (GB/T 2260); its jurisdiction is JurisdictionPrefix(region_code).
  std::string region_code;
  // Last day the enforcement certificate (执法证) is valid, YYYY-MM-DD; empty: none.
  std::string certificate_valid_until;
  // Each 1-128 bytes of text; order and repeats do not matter.
  std::vector<std::string> qualifications;
  InspectorStatus status = InspectorStatus::kActive;
};

// A declared conflict: the inspector may not inspect the enterprise.
struct ConflictRecord {
  std::string inspector_id;
  std::string credit_code;
};

// The inspector was on the enterprise's last inspection team: rotated out this time.
struct LastInspectionRecord {
  std::string credit_code;
  std::string inspector_id;
};

struct FrozenRoster {
  // Any order.
  std::vector<InspectorRecord> inspectors;
  // Sets: any order, repeats ignored. The inspector ids need not be on the roster.
  std::vector<ConflictRecord> conflicts;
  std::vector<LastInspectionRecord> last_inspections;
};

// OK, or INVALID_ARGUMENT naming the first bad field ("roster.inspectors[3].region_code: ...").
absl::Status ValidateRoster(const FrozenRoster& roster);

// `roster` with inspectors sorted by id, each inspector's qualifications sorted and
// deduplicated, conflicts sorted by (inspector_id, credit_code) and last inspections by
// (credit_code, inspector_id), both deduplicated. Byte order throughout.
FrozenRoster CanonicalRoster(FrozenRoster roster);

// True when `roster` is in canonical order already (CanonicalRoster would not change it).
// Rosters frozen in canonical order are digested and staffed from without copies.
bool IsCanonicalRoster(const FrozenRoster& roster);

// Lowercase hex SHA-256 of the canonical roster record; INVALID_ARGUMENT as ValidateRoster.
absl::StatusOr<std::string> RosterDigest(const FrozenRoster& roster);

// The region prefix an inspector covers: the region code with trailing "00" pairs removed
// ("330100" -> "3301", "330000" -> "33", "330106" -> "330106").
std::string JurisdictionPrefix(absl::string_view region_code);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_ROSTER_H_
