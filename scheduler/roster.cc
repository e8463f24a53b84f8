#include "scheduler/roster.h"

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/canonical_record.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler {

absl::string_view InspectorStatusName(InspectorStatus status) {
  switch (status) {
    case InspectorStatus::kActive:
      return "ACTIVE";
    case InspectorStatus::kUnavailable:
      return "UNAVAILABLE";
    case InspectorStatus::kRetired:
      return "RETIRED";
  }
  return "UNKNOWN";
}

absl::StatusOr<InspectorStatus> ParseInspectorStatus(absl::string_view name) {
  if (name == "ACTIVE") return InspectorStatus::kActive;
  if (name == "UNAVAILABLE") return InspectorStatus::kUnavailable;
  if (name == "RETIRED") return InspectorStatus::kRetired;
  return absl::InvalidArgumentError(
      absl::StrFormat("must be ACTIVE, UNAVAILABLE or RETIRED, got \"%s\"", name));
}

absl::Status ValidateRoster(const FrozenRoster& roster) {
  std::set<std::string> ids;
  for (size_t i = 0; i < roster.inspectors.size(); ++i) {
    const InspectorRecord& inspector = roster.inspectors[i];
    const std::string field = absl::StrFormat("roster.inspectors[%d]", i);
    REG_RETURN_IF_ERROR(CheckInspectorId(field + ".inspector_id", inspector.inspector_id));
    if (!ids.insert(inspector.inspector_id).second) {
      return absl::InvalidArgumentError(absl::StrFormat("%s.inspector_id: \"%s\" is listed twice",
                                                        field, inspector.inspector_id));
    }
    REG_RETURN_IF_ERROR(CheckText(field + ".department", inspector.department, 128));
    REG_RETURN_IF_ERROR(CheckRegionCode(field + ".region_code", inspector.region_code));
    if (!inspector.certificate_valid_until.empty()) {
      REG_RETURN_IF_ERROR(
          CheckIsoDate(field + ".certificate_valid_until", inspector.certificate_valid_until));
    }
    for (size_t q = 0; q < inspector.qualifications.size(); ++q) {
      REG_RETURN_IF_ERROR(CheckText(absl::StrFormat("%s.qualifications[%d]", field, q),
                                    inspector.qualifications[q], 128));
    }
  }
  // Conflicts and last inspections can number millions: field names only on failure.
  for (size_t i = 0; i < roster.conflicts.size(); ++i) {
    const ConflictRecord& c = roster.conflicts[i];
    if (IsInspectorId(c.inspector_id) && IsCreditCode(c.credit_code)) continue;
    const std::string field = absl::StrFormat("roster.conflicts[%d]", i);
    REG_RETURN_IF_ERROR(CheckInspectorId(field + ".inspector_id", c.inspector_id));
    REG_RETURN_IF_ERROR(CheckCreditCode(field + ".credit_code", c.credit_code));
  }
  for (size_t i = 0; i < roster.last_inspections.size(); ++i) {
    const LastInspectionRecord& l = roster.last_inspections[i];
    if (IsInspectorId(l.inspector_id) && IsCreditCode(l.credit_code)) continue;
    const std::string field = absl::StrFormat("roster.last_inspections[%d]", i);
    REG_RETURN_IF_ERROR(CheckCreditCode(field + ".credit_code", l.credit_code));
    REG_RETURN_IF_ERROR(CheckInspectorId(field + ".inspector_id", l.inspector_id));
  }
  return absl::OkStatus();
}

namespace {

bool InspectorLess(const InspectorRecord& a, const InspectorRecord& b) {
  return a.inspector_id < b.inspector_id;
}
bool ConflictLess(const ConflictRecord& a, const ConflictRecord& b) {
  return std::tie(a.inspector_id, a.credit_code) < std::tie(b.inspector_id, b.credit_code);
}
bool LastLess(const LastInspectionRecord& a, const LastInspectionRecord& b) {
  return std::tie(a.credit_code, a.inspector_id) < std::tie(b.credit_code, b.inspector_id);
}

// Strictly ascending: sorted without repeats.
template <typename T, typename Less>
bool StrictlyAscending(const std::vector<T>& v, Less less) {
  for (size_t i = 1; i < v.size(); ++i) {
    if (!less(v[i - 1], v[i])) return false;
  }
  return true;
}

template <typename T, typename Less>
void SortUnique(std::vector<T>& v, Less less) {
  if (StrictlyAscending(v, less)) return;
  std::sort(v.begin(), v.end(), less);
  v.erase(std::unique(v.begin(), v.end(),
                      [&](const T& a, const T& b) { return !less(a, b) && !less(b, a); }),
          v.end());
}

}  // namespace

bool IsCanonicalRoster(const FrozenRoster& roster) {
  if (!StrictlyAscending(roster.inspectors, InspectorLess)) return false;
  for (const InspectorRecord& inspector : roster.inspectors) {
    if (!StrictlyAscending(inspector.qualifications, std::less<std::string>())) return false;
  }
  return StrictlyAscending(roster.conflicts, ConflictLess) &&
         StrictlyAscending(roster.last_inspections, LastLess);
}

FrozenRoster CanonicalRoster(FrozenRoster roster) {
  // Inspector ids are unique in a valid roster; sorting keeps them so.
  if (!StrictlyAscending(roster.inspectors, InspectorLess)) {
    std::sort(roster.inspectors.begin(), roster.inspectors.end(), InspectorLess);
  }
  for (InspectorRecord& inspector : roster.inspectors) {
    SortUnique(inspector.qualifications, std::less<std::string>());
  }
  SortUnique(roster.conflicts, ConflictLess);
  SortUnique(roster.last_inspections, LastLess);
  return roster;
}

namespace {

// REQUIRES: `roster` canonical.
std::string CanonicalRosterDigest(const FrozenRoster& roster) {
  CanonicalRecord record(CanonicalRecord::Mode::kHashOnly);
  record.Add("domain", "regulation.roster.v1");
  record.Add("inspectors", static_cast<int64_t>(roster.inspectors.size()));
  for (const InspectorRecord& inspector : roster.inspectors) {
    record.Add("inspector.id", inspector.inspector_id);
    record.Add("inspector.department", inspector.department);
    record.Add("inspector.region_code", inspector.region_code);
    record.Add("inspector.certificate_valid_until", inspector.certificate_valid_until);
    record.Add("inspector.status", InspectorStatusName(inspector.status));
    record.Add("inspector.qualifications", static_cast<int64_t>(inspector.qualifications.size()));
    for (const std::string& q : inspector.qualifications) record.Add("inspector.qualification", q);
  }
  record.Add("conflicts", static_cast<int64_t>(roster.conflicts.size()));
  for (const ConflictRecord& conflict : roster.conflicts) {
    record.Add("conflict.inspector_id", conflict.inspector_id);
    record.Add("conflict.credit_code", conflict.credit_code);
  }
  record.Add("last_inspections", static_cast<int64_t>(roster.last_inspections.size()));
  for (const LastInspectionRecord& last : roster.last_inspections) {
    record.Add("last_inspection.credit_code", last.credit_code);
    record.Add("last_inspection.inspector_id", last.inspector_id);
  }
  return record.Sha256Hex();
}

}  // namespace

absl::StatusOr<std::string> RosterDigest(const FrozenRoster& roster) {
  REG_RETURN_IF_ERROR(ValidateRoster(roster));
  if (IsCanonicalRoster(roster)) return CanonicalRosterDigest(roster);
  return CanonicalRosterDigest(CanonicalRoster(roster));
}

std::string JurisdictionPrefix(absl::string_view region_code) {
  while (absl::EndsWith(region_code, "00")) region_code.remove_suffix(2);
  return std::string(region_code);
}

}  // namespace regulation::scheduler
