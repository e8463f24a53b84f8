#include "scheduler/roster_json.h"

#include <initializer_list>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "scheduler/json.h"
#include "scheduler/json_fields.h"

namespace regulation::scheduler {
namespace {

// An object with exactly `keys`, in any order (unlike the draw's documents, whose
// members have a fixed order: ExpectObject).
absl::Status ExpectMembers(const JsonValue& value, absl::string_view where,
                           std::initializer_list<absl::string_view> keys) {
  if (!value.is_object())
    return Bad(where, absl::StrCat("must be an object, not ", value.TypeName()));
  const std::set<absl::string_view> wanted(keys.begin(), keys.end());
  for (const auto& member : value.members()) {
    if (wanted.count(member.first) == 0) {
      return Bad(where, absl::StrFormat("unknown member \"%s\"", member.first));
    }
  }
  for (absl::string_view key : keys) {
    if (value.Find(key) == nullptr)
      return Bad(where, absl::StrFormat("member \"%s\" is missing", key));
  }
  return absl::OkStatus();
}

absl::Status InvalidRoster(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("roster file: ", what));
}

// The roster the document holds, unvalidated; json_fields' DATA_LOSS "<where>: <what>"
// when it is not shaped as one.
absl::StatusOr<FrozenRoster> ReadRosterDocument(const JsonValue& root) {
  REG_RETURN_IF_ERROR(
      ExpectMembers(root, "document", {"inspectors", "conflicts", "last_inspections"}));
  FrozenRoster roster;
  const std::vector<JsonValue>* inspectors;
  REG_RETURN_IF_ERROR(GetArray(root, "document", "inspectors", &inspectors));
  for (size_t i = 0; i < inspectors->size(); ++i) {
    const std::string where = absl::StrFormat("inspectors[%d]", i);
    const JsonValue& v = (*inspectors)[i];
    REG_RETURN_IF_ERROR(ExpectMembers(v, where,
                                      {"inspector_id", "department", "region_code",
                                       "certificate_valid_until", "qualifications", "status"}));
    InspectorRecord& inspector = roster.inspectors.emplace_back();
    REG_RETURN_IF_ERROR(GetString(v, where, "inspector_id", &inspector.inspector_id));
    REG_RETURN_IF_ERROR(GetString(v, where, "department", &inspector.department));
    REG_RETURN_IF_ERROR(GetString(v, where, "region_code", &inspector.region_code));
    REG_RETURN_IF_ERROR(
        GetString(v, where, "certificate_valid_until", &inspector.certificate_valid_until));
    REG_RETURN_IF_ERROR(GetStringArray(v, where, "qualifications", &inspector.qualifications));
    std::string status;
    REG_RETURN_IF_ERROR(GetString(v, where, "status", &status));
    absl::StatusOr<InspectorStatus> parsed = ParseInspectorStatus(status);
    if (!parsed.ok()) return Bad(where + ".status", parsed.status().message());
    inspector.status = *parsed;
  }
  const std::vector<JsonValue>* conflicts;
  REG_RETURN_IF_ERROR(GetArray(root, "document", "conflicts", &conflicts));
  for (size_t i = 0; i < conflicts->size(); ++i) {
    const std::string where = absl::StrFormat("conflicts[%d]", i);
    REG_RETURN_IF_ERROR(ExpectMembers((*conflicts)[i], where, {"inspector_id", "credit_code"}));
    ConflictRecord& conflict = roster.conflicts.emplace_back();
    REG_RETURN_IF_ERROR(GetString((*conflicts)[i], where, "inspector_id", &conflict.inspector_id));
    REG_RETURN_IF_ERROR(GetString((*conflicts)[i], where, "credit_code", &conflict.credit_code));
  }
  const std::vector<JsonValue>* last;
  REG_RETURN_IF_ERROR(GetArray(root, "document", "last_inspections", &last));
  for (size_t i = 0; i < last->size(); ++i) {
    const std::string where = absl::StrFormat("last_inspections[%d]", i);
    REG_RETURN_IF_ERROR(ExpectMembers((*last)[i], where, {"credit_code", "inspector_id"}));
    LastInspectionRecord& record = roster.last_inspections.emplace_back();
    REG_RETURN_IF_ERROR(GetString((*last)[i], where, "credit_code", &record.credit_code));
    REG_RETURN_IF_ERROR(GetString((*last)[i], where, "inspector_id", &record.inspector_id));
  }
  return roster;
}

}  // namespace

absl::StatusOr<FrozenRoster> ParseRosterJson(absl::string_view text) {
  absl::StatusOr<JsonValue> root = ParseJson(text);
  if (!root.ok()) return InvalidRoster(absl::StrCat("JSON: ", root.status().message()));
  absl::StatusOr<FrozenRoster> roster = ReadRosterDocument(*root);
  if (!roster.ok()) return InvalidRoster(roster.status().message());
  absl::Status status = ValidateRoster(*roster);
  if (!status.ok()) return InvalidRoster(status.message());
  return roster;
}

absl::StatusOr<FrozenRoster> ReadRosterJsonFile(const std::string& path) {
  REG_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  return ParseRosterJson(text);
}

std::string WriteRosterJson(const FrozenRoster& input) {
  const FrozenRoster roster = CanonicalRoster(input);
  std::string out = "{\"inspectors\":[";
  for (size_t i = 0; i < roster.inspectors.size(); ++i) {
    const InspectorRecord& inspector = roster.inspectors[i];
    if (i > 0) out.push_back(',');
    out.push_back('{');
    StringMember(&out, "inspector_id", inspector.inspector_id);
    out.push_back(',');
    StringMember(&out, "department", inspector.department);
    out.push_back(',');
    StringMember(&out, "region_code", inspector.region_code);
    out.push_back(',');
    StringMember(&out, "certificate_valid_until", inspector.certificate_valid_until);
    out.push_back(',');
    Key(&out, "qualifications");
    StringArray(&out, inspector.qualifications);
    out.push_back(',');
    StringMember(&out, "status", InspectorStatusName(inspector.status));
    out.push_back('}');
  }
  out.append("],\"conflicts\":[");
  for (size_t i = 0; i < roster.conflicts.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('{');
    StringMember(&out, "inspector_id", roster.conflicts[i].inspector_id);
    out.push_back(',');
    StringMember(&out, "credit_code", roster.conflicts[i].credit_code);
    out.push_back('}');
  }
  out.append("],\"last_inspections\":[");
  for (size_t i = 0; i < roster.last_inspections.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('{');
    StringMember(&out, "credit_code", roster.last_inspections[i].credit_code);
    out.push_back(',');
    StringMember(&out, "inspector_id", roster.last_inspections[i].inspector_id);
    out.push_back('}');
  }
  out.append("]}");
  return out;
}

}  // namespace regulation::scheduler
