#include "scheduler/draw_bundle.h"

#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "scheduler/field_checks.h"
#include "scheduler/json.h"
#include "scheduler/json_fields.h"
#include "scheduler/seed.h"
#include "scheduler/ticket.h"
#include "scheduler/visit_rules_json.h"

namespace regulation::scheduler {
namespace {

// ---- Writing ----

std::string ClassLetter(int index) { return std::string(1, RiskClassLetter(index + 1)); }

void WritePlan(std::string* out, const PlanSpec& plan) {
  out->push_back('{');
  StringMember(out, "plan_id", plan.plan_id);
  out->push_back(',');
  Key(out, "departments");
  StringArray(out, plan.departments);
  out->push_back(',');
  Key(out, "items");
  out->push_back('[');
  for (size_t i = 0; i < plan.items.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "item_id", plan.items[i].item_id);
    out->push_back(',');
    StringMember(out, "department", plan.items[i].department);
    out->push_back(',');
    StringMember(out, "required_qualification", plan.items[i].required_qualification);
    out->push_back('}');
  }
  out->append("],");
  Key(out, "quotas");
  out->push_back('[');
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (c > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "class", ClassLetter(c));
    out->push_back(',');
    IntMember(out, plan.quotas[c].kind == ClassQuota::Kind::kRatioPpm ? "ratio_ppm" : "count",
              plan.quotas[c].value);
    out->push_back('}');
  }
  out->append("],");
  IntMember(out, "team_size", plan.team_size);
  out->push_back(',');
  IntMember(out, "workload_cap", plan.workload_cap);
  out->push_back(',');
  StringMember(out, "due_date", plan.due_date);
  if (plan.targeted()) {  // a random plan's bundle has no "targets" key (unchanged bytes)
    out->push_back(',');
    Key(out, "targets");
    out->push_back('[');
    for (size_t i = 0; i < plan.listed_targets.size(); ++i) {
      if (i > 0) out->push_back(',');
      out->push_back('{');
      StringMember(out, "credit_code", plan.listed_targets[i].credit_code);
      out->push_back(',');
      StringMember(out, "reason", TargetReasonName(plan.listed_targets[i].reason));
      out->push_back('}');
    }
    out->push_back(']');
  }
  if (!plan.credit.is_default()) {  // a plan without a credit policy has no "credit" key
    out->push_back(',');
    Key(out, "credit");
    out->push_back('{');
    StringMember(out, "class_source", ClassSourceName(plan.credit.class_source));
    out->push_back(',');
    StringMember(out, "dishonest_policy", DishonestPolicyName(plan.credit.dishonest_policy));
    out->push_back(',');
    Key(out, "dishonest");
    StringArray(out, plan.credit.dishonest);
    out->push_back('}');
  }
  if (plan.no_repeat.has_value()) {  // absent unless set, like "targets"
    out->push_back(',');
    Key(out, "no_repeat");
    WriteNoRepeatJson(out, *plan.no_repeat);
  }
  if (!plan.recusals.empty()) {
    out->push_back(',');
    Key(out, "recusals");
    WriteRecusalsJson(out, plan.recusals);
  }
  out->push_back('}');
}

// ---- Reading ----

// A random plan's credit policy (the optional last key of "plan").
absl::Status ReadCreditPolicy(const JsonValue& v, PlanSpec* plan) {
  const JsonValue* credit = nullptr;
  for (const auto& [name, value] : v.members()) {
    if (name == "credit") credit = &value;
  }
  REG_RETURN_IF_ERROR(
      ExpectObject(*credit, "plan.credit", {"class_source", "dishonest_policy", "dishonest"}));
  std::string source, policy;
  REG_RETURN_IF_ERROR(GetString(*credit, "plan.credit", "class_source", &source));
  REG_RETURN_IF_ERROR(GetString(*credit, "plan.credit", "dishonest_policy", &policy));
  absl::StatusOr<ClassSource> parsed_source = ParseClassSource(source);
  if (!parsed_source.ok()) return Bad("plan.credit.class_source", parsed_source.status().message());
  absl::StatusOr<DishonestPolicy> parsed_policy = ParseDishonestPolicy(policy);
  if (!parsed_policy.ok()) {
    return Bad("plan.credit.dishonest_policy", parsed_policy.status().message());
  }
  plan->credit.class_source = *parsed_source;
  plan->credit.dishonest_policy = *parsed_policy;
  REG_RETURN_IF_ERROR(
      GetStringArray(*credit, "plan.credit", "dishonest", &plan->credit.dishonest));
  if (plan->credit.is_default()) {
    return Bad("plan.credit", "present only when the plan has a credit policy");
  }
  return absl::OkStatus();
}

// A targeted plan's listed targets (the optional last key of "plan").
absl::Status ReadListedTargets(const JsonValue& v, PlanSpec* plan) {
  const std::vector<JsonValue>* targets;
  REG_RETURN_IF_ERROR(GetArray(v, "plan", "targets", &targets));
  if (targets->empty()) return Bad("plan.targets", "present only when it lists targets");
  for (size_t i = 0; i < targets->size(); ++i) {
    const std::string where = absl::StrFormat("plan.targets[%d]", i);
    const JsonValue& target = (*targets)[i];
    REG_RETURN_IF_ERROR(ExpectObject(target, where, {"credit_code", "reason"}));
    ListedTarget& out = plan->listed_targets.emplace_back();
    REG_RETURN_IF_ERROR(GetString(target, where, "credit_code", &out.credit_code));
    std::string reason;
    REG_RETURN_IF_ERROR(GetString(target, where, "reason", &reason));
    absl::StatusOr<TargetReason> parsed = ParseTargetReason(reason);
    if (!parsed.ok()) return Bad(where + ".reason", parsed.status().message());
    out.reason = *parsed;
  }
  return absl::OkStatus();
}

absl::Status ReadPlan(const JsonValue& v, PlanSpec* plan) {
  // Seven members always, then those of "targets", "credit", "no_repeat", "recusals" it
  // has, in that order.
  std::vector<absl::string_view> keys = {"plan_id",   "departments",  "items",   "quotas",
                                         "team_size", "workload_cap", "due_date"};
  for (absl::string_view optional : {"targets", "credit", "no_repeat", "recusals"}) {
    if (v.is_object() && v.Find(optional) != nullptr) keys.push_back(optional);
  }
  REG_RETURN_IF_ERROR(ExpectObject(v, "plan", keys));
  const bool targeted = v.Find("targets") != nullptr;
  const bool credit = v.Find("credit") != nullptr;
  REG_RETURN_IF_ERROR(GetString(v, "plan", "plan_id", &plan->plan_id));
  REG_RETURN_IF_ERROR(GetStringArray(v, "plan", "departments", &plan->departments));
  const std::vector<JsonValue>* items;
  REG_RETURN_IF_ERROR(GetArray(v, "plan", "items", &items));
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string where = absl::StrFormat("plan.items[%d]", i);
    const JsonValue& item = (*items)[i];
    REG_RETURN_IF_ERROR(
        ExpectObject(item, where, {"item_id", "department", "required_qualification"}));
    PlanItem& out = plan->items.emplace_back();
    REG_RETURN_IF_ERROR(GetString(item, where, "item_id", &out.item_id));
    REG_RETURN_IF_ERROR(GetString(item, where, "department", &out.department));
    REG_RETURN_IF_ERROR(
        GetString(item, where, "required_qualification", &out.required_qualification));
  }
  const std::vector<JsonValue>* quotas;
  REG_RETURN_IF_ERROR(GetArray(v, "plan", "quotas", &quotas));
  if (quotas->size() != kRiskClassCount) return Bad("plan.quotas", "must list classes A, B, C, D");
  for (int c = 0; c < kRiskClassCount; ++c) {
    const std::string where = absl::StrFormat("plan.quotas[%d]", c);
    const JsonValue& q = (*quotas)[c];
    const bool ratio =
        q.is_object() && q.members().size() == 2 && q.members()[1].first == "ratio_ppm";
    REG_RETURN_IF_ERROR(ExpectObject(q, where, {"class", ratio ? "ratio_ppm" : "count"}));
    std::string letter;
    REG_RETURN_IF_ERROR(GetString(q, where, "class", &letter));
    if (letter != ClassLetter(c)) return Bad(where + ".class", "must be " + ClassLetter(c));
    int64_t value;
    REG_RETURN_IF_ERROR(GetInt(q, where, ratio ? "ratio_ppm" : "count", 0, &value));
    plan->quotas[c] = ratio ? ClassQuota::RatioPpm(value) : ClassQuota::Count(value);
  }
  int64_t team_size, workload_cap;
  REG_RETURN_IF_ERROR(GetInt(v, "plan", "team_size", 0, &team_size));
  REG_RETURN_IF_ERROR(GetInt(v, "plan", "workload_cap", 0, &workload_cap));
  if (team_size > 1000 || workload_cap > (int64_t{1} << 31) - 1) {
    return Bad("plan", "team_size or workload_cap out of range");
  }
  plan->team_size = static_cast<int>(team_size);
  plan->workload_cap = static_cast<int>(workload_cap);
  REG_RETURN_IF_ERROR(GetString(v, "plan", "due_date", &plan->due_date));
  if (targeted) REG_RETURN_IF_ERROR(ReadListedTargets(v, plan));
  if (credit) REG_RETURN_IF_ERROR(ReadCreditPolicy(v, plan));
  if (const JsonValue* rule = v.Find("no_repeat"); rule != nullptr) {
    REG_RETURN_IF_ERROR(ReadNoRepeatJson(*rule, &plan->no_repeat.emplace()));
  }
  if (const JsonValue* recusals = v.Find("recusals"); recusals != nullptr) {
    REG_RETURN_IF_ERROR(ReadRecusalsJson(*recusals, &plan->recusals));
  }
  absl::Status status = ValidatePlanSpec(*plan);
  if (!status.ok()) return absl::DataLossError(status.message());
  if (!(CanonicalPlanSpec(*plan) == *plan)) {
    return Bad("plan",
               "departments, items, targets, dishonest codes, no_repeat and recusals must be "
               "sorted (canonical form)");
  }
  return absl::OkStatus();
}

absl::Status ReadReplacement(const JsonValue& v, BundleReplacement* r) {
  REG_RETURN_IF_ERROR(ExpectObject(v, "replacement",
                                   {"previous_bundle_digest", "named", "counts", "excluded",
                                    "prior_workload"}));
  REG_RETURN_IF_ERROR(
      GetString(v, "replacement", "previous_bundle_digest", &r->previous_bundle_digest));
  REG_RETURN_IF_ERROR(Recode("replacement.previous_bundle_digest",
                             CheckDigestHex("digest", r->previous_bundle_digest)));
  REG_RETURN_IF_ERROR(GetStringArray(v, "replacement", "named", &r->named));
  for (size_t i = 0; i < r->named.size(); ++i) {
    const std::string where = absl::StrFormat("replacement.named[%d]", i);
    REG_RETURN_IF_ERROR(Recode(where, CheckCreditCode("credit code", r->named[i])));
    if (i > 0 && !(r->named[i - 1] < r->named[i])) {
      return Bad(where, "must be sorted without repeats");
    }
  }
  const std::vector<JsonValue>* counts;
  REG_RETURN_IF_ERROR(GetArray(v, "replacement", "counts", &counts));
  if (counts->size() != kRiskClassCount) {
    return Bad("replacement.counts", "must list classes A, B, C, D");
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    const std::string where = absl::StrFormat("replacement.counts[%d]", c);
    REG_RETURN_IF_ERROR(ExpectObject((*counts)[c], where, {"class", "count"}));
    std::string letter;
    REG_RETURN_IF_ERROR(GetString((*counts)[c], where, "class", &letter));
    if (letter != ClassLetter(c)) return Bad(where + ".class", "must be " + ClassLetter(c));
    REG_RETURN_IF_ERROR(GetInt((*counts)[c], where, "count", 0, &r->counts[c]));
  }
  REG_RETURN_IF_ERROR(GetStringArray(v, "replacement", "excluded", &r->excluded));
  for (size_t i = 0; i < r->excluded.size(); ++i) {
    const std::string where = absl::StrFormat("replacement.excluded[%d]", i);
    REG_RETURN_IF_ERROR(Recode(where, CheckCreditCode("credit code", r->excluded[i])));
    if (i > 0 && !(r->excluded[i - 1] < r->excluded[i])) {
      return Bad(where, "must be sorted without repeats");
    }
  }
  const std::vector<JsonValue>* workload;
  REG_RETURN_IF_ERROR(GetArray(v, "replacement", "prior_workload", &workload));
  for (size_t i = 0; i < workload->size(); ++i) {
    const std::string where = absl::StrFormat("replacement.prior_workload[%d]", i);
    REG_RETURN_IF_ERROR(ExpectObject((*workload)[i], where, {"inspector_id", "count"}));
    auto& entry = r->prior_workload.emplace_back();
    REG_RETURN_IF_ERROR(GetString((*workload)[i], where, "inspector_id", &entry.first));
    REG_RETURN_IF_ERROR(Recode(where, CheckInspectorId("inspector_id", entry.first)));
    REG_RETURN_IF_ERROR(GetInt((*workload)[i], where, "count", 1, &entry.second));
    if (i > 0 && !(r->prior_workload[i - 1].first < entry.first)) {
      return Bad(where, "must be sorted by inspector_id without repeats");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadBundle(const JsonValue& root, DrawBundle* b) {
  // The version first, so that an older bundle is named as such.
  if (root.is_object() && root.Find("spec") != nullptr && root.Find("spec")->is_string() &&
      root.Find("spec")->string() != kDrawSpecVersion) {
    const std::string& spec = root.Find("spec")->string();
    return Bad("spec", absl::StrFormat(
                           "unsupported version \"%s\" (this verifier reads \"%s\")%s", spec,
                           kDrawSpecVersion,
                           spec == "regulation.draw.v1"
                               ? ": a v1 bundle's entropy is a bare value that nothing can check"
                               : ""));
  }
  const bool has_replacement = root.is_object() && root.Find("replacement") != nullptr;
  if (has_replacement) {
    REG_RETURN_IF_ERROR(
        ExpectObject(root, "document",
                     {"spec", "plan", "digests", "commitment", "nonce", "statements", "round",
                      "replacement", "seed", "classes", "targets", "teams"}));
  } else {
    REG_RETURN_IF_ERROR(ExpectObject(root, "document",
                                     {"spec", "plan", "digests", "commitment", "nonce",
                                      "statements", "round", "seed", "classes", "targets",
                                      "teams"}));
  }
  REG_RETURN_IF_ERROR(GetString(root, "", "spec", &b->spec));
  REG_RETURN_IF_ERROR(ReadPlan(*root.Find("plan"), &b->plan));

  const JsonValue& digests = *root.Find("digests");
  REG_RETURN_IF_ERROR(ExpectObject(digests, "digests",
                                   {"plan", "population", "population_a", "population_b",
                                    "population_c", "population_d", "roster"}));
  REG_RETURN_IF_ERROR(GetString(digests, "digests", "plan", &b->digests.plan));
  REG_RETURN_IF_ERROR(GetString(digests, "digests", "population", &b->digests.population));
  for (int c = 0; c < kRiskClassCount; ++c) {
    REG_RETURN_IF_ERROR(GetString(digests, "digests",
                                  absl::StrCat("population_", std::string(1, 'a' + c)),
                                  &b->digests.population_classes[c]));
  }
  REG_RETURN_IF_ERROR(GetString(digests, "digests", "roster", &b->digests.roster));
  for (const auto& member : digests.members()) {
    REG_RETURN_IF_ERROR(Recode(absl::StrCat("digests.", member.first),
                               CheckDigestHex("digest", member.second.string())));
  }

  REG_RETURN_IF_ERROR(ReadCommitmentJson(*root.Find("commitment"), "commitment", &b->commitment));
  REG_RETURN_IF_ERROR(GetString(root, "", "nonce", &b->nonce));
  REG_RETURN_IF_ERROR(Recode("nonce", ValidateNonceHex(b->nonce)));
  REG_RETURN_IF_ERROR(ReadStatementsJson(*root.Find("statements"), "statements", &b->statements));
  REG_RETURN_IF_ERROR(GetInt(root, "", "round", 0, &b->round));
  if (b->round > 1000000) return Bad("round", "out of range");
  if ((b->round > 0) != has_replacement) {
    return Bad("replacement",
               b->round > 0 ? "is required in rounds >= 1" : "is only allowed in rounds >= 1");
  }
  if (has_replacement) {
    b->replacement.emplace();
    REG_RETURN_IF_ERROR(ReadReplacement(*root.Find("replacement"), &*b->replacement));
  }
  REG_RETURN_IF_ERROR(GetString(root, "", "seed", &b->seed));
  REG_RETURN_IF_ERROR(Recode("seed", CheckDigestHex("seed", b->seed)));

  const std::vector<JsonValue>* classes;
  REG_RETURN_IF_ERROR(GetArray(root, "", "classes", &classes));
  if (classes->size() != kRiskClassCount) return Bad("classes", "must list classes A, B, C, D");
  for (int c = 0; c < kRiskClassCount; ++c) {
    const std::string where = absl::StrFormat("classes[%d]", c);
    const JsonValue& v = (*classes)[c];
    REG_RETURN_IF_ERROR(ExpectObject(v, where, {"class", "population", "selected", "cutoff"}));
    std::string letter;
    REG_RETURN_IF_ERROR(GetString(v, where, "class", &letter));
    if (letter != ClassLetter(c)) return Bad(where + ".class", "must be " + ClassLetter(c));
    BundleClass& cls = b->classes[c];
    REG_RETURN_IF_ERROR(GetInt(v, where, "population", 0, &cls.population));
    REG_RETURN_IF_ERROR(GetInt(v, where, "selected", 0, &cls.selected));
    REG_RETURN_IF_ERROR(GetString(v, where, "cutoff", &cls.cutoff));
    if (!cls.cutoff.empty() && !IsWellFormedTicket(cls.cutoff)) {
      return Bad(where + ".cutoff", "is not a ticket (\"0.\" and 1-78 digits)");
    }
  }

  const std::vector<JsonValue>* targets;
  REG_RETURN_IF_ERROR(GetArray(root, "", "targets", &targets));
  b->targets.reserve(targets->size());
  for (size_t i = 0; i < targets->size(); ++i) {
    const std::string where = absl::StrFormat("targets[%d]", i);
    const JsonValue& v = (*targets)[i];
    REG_RETURN_IF_ERROR(ExpectObject(v, where, {"credit_code", "region_code", "ticket", "rank"}));
    BundleTarget& t = b->targets.emplace_back();
    REG_RETURN_IF_ERROR(GetString(v, where, "credit_code", &t.credit_code));
    REG_RETURN_IF_ERROR(Recode(where, CheckCreditCode("credit_code", t.credit_code)));
    REG_RETURN_IF_ERROR(GetString(v, where, "region_code", &t.region_code));
    if (!t.region_code.empty()) {
      REG_RETURN_IF_ERROR(Recode(where, CheckRegionCode("region_code", t.region_code)));
    }
    REG_RETURN_IF_ERROR(GetString(v, where, "ticket", &t.ticket));
    if (!IsWellFormedTicket(t.ticket)) {
      return Bad(where + ".ticket", "is not a ticket (\"0.\" and 1-78 digits)");
    }
    REG_RETURN_IF_ERROR(GetInt(v, where, "rank", 1, &t.rank));
  }

  const std::vector<JsonValue>* teams;
  REG_RETURN_IF_ERROR(GetArray(root, "", "teams", &teams));
  b->teams.reserve(teams->size());
  for (size_t i = 0; i < teams->size(); ++i) {
    const std::string where = absl::StrFormat("teams[%d]", i);
    const JsonValue& v = (*teams)[i];
    REG_RETURN_IF_ERROR(ExpectObject(v, where, {"credit_code", "inspectors", "status", "reason"}));
    TeamResult& t = b->teams.emplace_back();
    REG_RETURN_IF_ERROR(GetString(v, where, "credit_code", &t.credit_code));
    REG_RETURN_IF_ERROR(Recode(where, CheckCreditCode("credit_code", t.credit_code)));
    REG_RETURN_IF_ERROR(GetStringArray(v, where, "inspectors", &t.inspector_ids));
    for (size_t k = 0; k < t.inspector_ids.size(); ++k) {
      REG_RETURN_IF_ERROR(Recode(
          where, CheckInspectorId(absl::StrFormat("inspectors[%d]", k), t.inspector_ids[k])));
    }
    std::string status;
    REG_RETURN_IF_ERROR(GetString(v, where, "status", &status));
    if (status == "STAFFED") {
      t.status = StaffingStatus::kStaffed;
    } else if (status == "UNSTAFFED") {
      t.status = StaffingStatus::kUnstaffed;
    } else {
      return Bad(where + ".status",
                 absl::StrFormat("must be STAFFED or UNSTAFFED, got \"%s\"", status));
    }
    REG_RETURN_IF_ERROR(GetString(v, where, "reason", &t.reason));
  }
  return absl::OkStatus();
}

}  // namespace

void AppendBundleHeadJson(std::string* out_ptr, const DrawBundle& b) {
  std::string& out = *out_ptr;
  out.push_back('{');
  StringMember(&out, "spec", b.spec);
  out.push_back(',');
  Key(&out, "plan");
  WritePlan(&out, b.plan);
  out.push_back(',');
  Key(&out, "digests");
  out.push_back('{');
  StringMember(&out, "plan", b.digests.plan);
  out.push_back(',');
  StringMember(&out, "population", b.digests.population);
  for (int c = 0; c < kRiskClassCount; ++c) {
    out.push_back(',');
    StringMember(&out, absl::StrCat("population_", std::string(1, 'a' + c)),
                 b.digests.population_classes[c]);
  }
  out.push_back(',');
  StringMember(&out, "roster", b.digests.roster);
  out.append("},");
  Key(&out, "commitment");
  AppendCommitmentJson(&out, b.commitment);
  out.push_back(',');
  StringMember(&out, "nonce", b.nonce);
  out.push_back(',');
  Key(&out, "statements");
  AppendStatementsJson(&out, b.statements);
  out.push_back(',');
  IntMember(&out, "round", b.round);
  out.push_back(',');
  if (b.replacement.has_value()) {
    const BundleReplacement& r = *b.replacement;
    Key(&out, "replacement");
    out.push_back('{');
    StringMember(&out, "previous_bundle_digest", r.previous_bundle_digest);
    out.push_back(',');
    Key(&out, "named");
    StringArray(&out, r.named);
    out.push_back(',');
    Key(&out, "counts");
    out.push_back('[');
    for (int c = 0; c < kRiskClassCount; ++c) {
      if (c > 0) out.push_back(',');
      out.push_back('{');
      StringMember(&out, "class", ClassLetter(c));
      out.push_back(',');
      IntMember(&out, "count", r.counts[c]);
      out.push_back('}');
    }
    out.append("],");
    Key(&out, "excluded");
    StringArray(&out, r.excluded);
    out.push_back(',');
    Key(&out, "prior_workload");
    out.push_back('[');
    for (size_t i = 0; i < r.prior_workload.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('{');
      StringMember(&out, "inspector_id", r.prior_workload[i].first);
      out.push_back(',');
      IntMember(&out, "count", r.prior_workload[i].second);
      out.push_back('}');
    }
    out.append("]},");
  }
  StringMember(&out, "seed", b.seed);
  out.push_back(',');
  Key(&out, "classes");
  out.push_back('[');
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (c > 0) out.push_back(',');
    out.push_back('{');
    StringMember(&out, "class", ClassLetter(c));
    out.push_back(',');
    IntMember(&out, "population", b.classes[c].population);
    out.push_back(',');
    IntMember(&out, "selected", b.classes[c].selected);
    out.push_back(',');
    StringMember(&out, "cutoff", b.classes[c].cutoff);
    out.push_back('}');
  }
  out.append("],");
  Key(&out, "targets");
  out.push_back('[');
}

void AppendBundleTargetsJson(std::string* out, const DrawBundle& b, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    const BundleTarget& t = b.targets[i];
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "credit_code", t.credit_code);
    out->push_back(',');
    StringMember(out, "region_code", t.region_code);
    out->push_back(',');
    StringMember(out, "ticket", t.ticket);
    out->push_back(',');
    IntMember(out, "rank", t.rank);
    out->push_back('}');
  }
}

void AppendBundleTeamsJson(std::string* out, const DrawBundle& b, size_t begin, size_t end) {
  if (begin == 0) {
    out->append("],");
    Key(out, "teams");
    out->push_back('[');
  }
  for (size_t i = begin; i < end; ++i) {
    const TeamResult& t = b.teams[i];
    if (i > 0) out->push_back(',');
    out->push_back('{');
    StringMember(out, "credit_code", t.credit_code);
    out->push_back(',');
    Key(out, "inspectors");
    StringArray(out, t.inspector_ids);
    out->push_back(',');
    StringMember(out, "status", StaffingStatusName(t.status));
    out->push_back(',');
    StringMember(out, "reason", t.reason);
    out->push_back('}');
  }
  if (end == b.teams.size()) out->append("]}");
}

std::string WriteBundleJson(const DrawBundle& b) {
  std::string out;
  out.reserve(2048 + b.targets.size() * 140 + b.teams.size() * 80);
  AppendBundleHeadJson(&out, b);
  AppendBundleTargetsJson(&out, b, 0, b.targets.size());
  AppendBundleTeamsJson(&out, b, 0, b.teams.size());
  return out;
}

CommitmentScope ScopeOf(const DrawBundle& bundle) {
  CommitmentScope scope;
  scope.plan_id = bundle.plan.plan_id;
  scope.departments = bundle.plan.departments;
  scope.round = bundle.round;
  scope.plan_digest = bundle.digests.plan;
  scope.population_digest = bundle.digests.population;
  scope.population_classes = bundle.digests.population_classes;
  scope.roster_digest = bundle.digests.roster;
  if (bundle.replacement.has_value()) {
    scope.previous_bundle_digest = bundle.replacement->previous_bundle_digest;
    scope.named = bundle.replacement->named;
  }
  return scope;
}

absl::StatusOr<DrawBundle> ParseBundleJson(absl::string_view json) {
  absl::StatusOr<JsonValue> root = ParseJson(json);
  if (!root.ok()) return absl::DataLossError(absl::StrCat("bundle: ", root.status().message()));
  DrawBundle bundle;
  if (absl::Status read = ReadBundle(*root, &bundle); !read.ok()) {
    return absl::DataLossError(absl::StrCat("bundle: ", read.message()));
  }
  // Everything parsed; the bytes must also be the canonical ones (whitespace, escapes).
  const std::string canonical = WriteBundleJson(bundle);
  if (canonical != json) {
    size_t i = 0;
    while (i < canonical.size() && i < json.size() && canonical[i] == json[i]) ++i;
    return absl::DataLossError(
        absl::StrFormat("bundle: not in canonical form (first difference at byte %d)", i));
  }
  return bundle;
}

}  // namespace regulation::scheduler
