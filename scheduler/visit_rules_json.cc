#include "scheduler/visit_rules_json.h"

#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/json_fields.h"

namespace regulation::scheduler {

void WriteNoRepeatJson(std::string* out, const NoRepeatRule& rule) {
  out->push_back('{');
  IntMember(out, "window_days", rule.window_days);
  out->push_back(',');
  StringMember(out, "scope", RepeatScopeName(rule.scope));
  out->push_back(',');
  Key(out, "considered");
  out->push_back('[');
  for (size_t i = 0; i < rule.considered.size(); ++i) {
    const EarlierRound& r = rule.considered[i];
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "bundle_digest", r.bundle_digest);
    out->push_back(',');
    StringMember(out, "plan_id", r.plan_id);
    out->push_back(',');
    IntMember(out, "round", r.round);
    out->push_back(',');
    StringMember(out, "committed_at", r.committed_at);
    out->push_back('}');
  }
  out->append("],");
  Key(out, "excluded");
  out->push_back('[');
  for (size_t i = 0; i < rule.excluded.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "credit_code", rule.excluded[i].credit_code);
    out->push_back(',');
    StringMember(out, "bundle_digest", rule.excluded[i].bundle_digest);
    out->push_back('}');
  }
  out->append("]}");
}

void WriteRecusalsJson(std::string* out, const std::vector<GrantedRecusal>& recusals) {
  out->push_back('[');
  for (size_t i = 0; i < recusals.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "request_id", recusals[i].request_id);
    out->push_back(',');
    StringMember(out, "credit_code", recusals[i].credit_code);
    out->push_back(',');
    StringMember(out, "inspector_id", recusals[i].inspector_id);
    out->push_back('}');
  }
  out->push_back(']');
}

absl::Status ReadNoRepeatJson(const JsonValue& v, NoRepeatRule* rule) {
  const std::string where = "plan.no_repeat";
  REG_RETURN_IF_ERROR(ExpectObject(v, where, {"window_days", "scope", "considered", "excluded"}));
  int64_t window_days;
  REG_RETURN_IF_ERROR(GetInt(v, where, "window_days", 0, &window_days));
  if (window_days > 366) return Bad(where + ".window_days", "must be 1 to 366");
  rule->window_days = static_cast<int>(window_days);
  std::string scope;
  REG_RETURN_IF_ERROR(GetString(v, where, "scope", &scope));
  absl::StatusOr<RepeatScope> parsed = ParseRepeatScope(scope);
  if (!parsed.ok()) return Bad(where + ".scope", parsed.status().message());
  rule->scope = *parsed;
  const std::vector<JsonValue>* considered;
  REG_RETURN_IF_ERROR(GetArray(v, where, "considered", &considered));
  for (size_t i = 0; i < considered->size(); ++i) {
    const std::string at = absl::StrFormat("%s.considered[%d]", where, i);
    const JsonValue& c = (*considered)[i];
    REG_RETURN_IF_ERROR(ExpectObject(c, at, {"bundle_digest", "plan_id", "round", "committed_at"}));
    EarlierRound& r = rule->considered.emplace_back();
    REG_RETURN_IF_ERROR(GetString(c, at, "bundle_digest", &r.bundle_digest));
    REG_RETURN_IF_ERROR(GetString(c, at, "plan_id", &r.plan_id));
    REG_RETURN_IF_ERROR(GetInt(c, at, "round", 0, &r.round));
    REG_RETURN_IF_ERROR(GetString(c, at, "committed_at", &r.committed_at));
  }
  const std::vector<JsonValue>* excluded;
  REG_RETURN_IF_ERROR(GetArray(v, where, "excluded", &excluded));
  for (size_t i = 0; i < excluded->size(); ++i) {
    const std::string at = absl::StrFormat("%s.excluded[%d]", where, i);
    const JsonValue& e = (*excluded)[i];
    REG_RETURN_IF_ERROR(ExpectObject(e, at, {"credit_code", "bundle_digest"}));
    RepeatExclusion& x = rule->excluded.emplace_back();
    REG_RETURN_IF_ERROR(GetString(e, at, "credit_code", &x.credit_code));
    REG_RETURN_IF_ERROR(GetString(e, at, "bundle_digest", &x.bundle_digest));
  }
  return absl::OkStatus();
}

absl::Status ReadRecusalsJson(const JsonValue& v, std::vector<GrantedRecusal>* recusals) {
  if (!v.is_array()) return Bad("plan.recusals", "must be an array");
  if (v.array().empty()) return Bad("plan.recusals", "present only when it lists recusals");
  for (size_t i = 0; i < v.array().size(); ++i) {
    const std::string at = absl::StrFormat("plan.recusals[%d]", i);
    const JsonValue& r = v.array()[i];
    REG_RETURN_IF_ERROR(ExpectObject(r, at, {"request_id", "credit_code", "inspector_id"}));
    GrantedRecusal& out = recusals->emplace_back();
    REG_RETURN_IF_ERROR(GetString(r, at, "request_id", &out.request_id));
    REG_RETURN_IF_ERROR(GetString(r, at, "credit_code", &out.credit_code));
    REG_RETURN_IF_ERROR(GetString(r, at, "inspector_id", &out.inspector_id));
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
