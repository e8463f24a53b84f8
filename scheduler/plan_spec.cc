#include "scheduler/plan_spec.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scheduler/canonical_record.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler {

const char* TargetReasonName(TargetReason reason) {
  switch (reason) {
    case TargetReason::kComplaint:
      return "complaint";
    case TargetReason::kAlert:
      return "alert";
    case TargetReason::kReferral:
      return "referral";
    case TargetReason::kMonitoring:
      return "monitoring";
  }
  return "complaint";
}

absl::StatusOr<TargetReason> ParseTargetReason(absl::string_view name) {
  for (TargetReason reason : {TargetReason::kComplaint, TargetReason::kAlert,
                              TargetReason::kReferral, TargetReason::kMonitoring}) {
    if (name == TargetReasonName(reason)) return reason;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "\"%s\" is not a reason (complaint, alert, referral, monitoring)", name));
}

const char* ClassSourceName(ClassSource source) {
  switch (source) {
    case ClassSource::kModel:
      return "model";
    case ClassSource::kOfficial:
      return "official";
    case ClassSource::kStricter:
      return "stricter";
  }
  return "model";
}

const char* DishonestPolicyName(DishonestPolicy policy) {
  switch (policy) {
    case DishonestPolicy::kNone:
      return "none";
    case DishonestPolicy::kHighestRatio:
      return "highest_ratio";
    case DishonestPolicy::kAlways:
      return "always";
  }
  return "none";
}

absl::StatusOr<ClassSource> ParseClassSource(absl::string_view name) {
  for (ClassSource s : {ClassSource::kModel, ClassSource::kOfficial, ClassSource::kStricter}) {
    if (name == ClassSourceName(s)) return s;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("\"%s\" is not a class source (model, official, stricter)", name));
}

absl::StatusOr<DishonestPolicy> ParseDishonestPolicy(absl::string_view name) {
  for (DishonestPolicy p :
       {DishonestPolicy::kNone, DishonestPolicy::kHighestRatio, DishonestPolicy::kAlways}) {
    if (name == DishonestPolicyName(p)) return p;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "\"%s\" is not a dishonest-list policy (none, highest_ratio, always)", name));
}

int FrozenClassOf(ClassSource source, int model_class, int official_class) {
  if (official_class == 0 || source == ClassSource::kModel) return model_class;
  if (source == ClassSource::kOfficial) return official_class;
  return std::max(model_class, official_class);  // D (4) is the riskiest
}

int HighestRatioClass(const std::array<ClassQuota, kRiskClassCount>& quotas) {
  int best = 0;
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (quotas[c].kind != ClassQuota::Kind::kRatioPpm) continue;
    if (best == 0 || quotas[c].value >= quotas[best - 1].value) best = c + 1;
  }
  return best;
}

namespace {

absl::Status ValidateCreditPolicy(const PlanSpec& plan) {
  const CreditPolicy& credit = plan.credit;
  if (plan.targeted() && !credit.is_default()) {
    return absl::InvalidArgumentError(
        "plan.credit: a targeted plan freezes its targets in class B and has no credit policy");
  }
  if (credit.dishonest_policy == DishonestPolicy::kNone && !credit.dishonest.empty()) {
    return absl::InvalidArgumentError(
        "plan.credit.dishonest: listed enterprises only with a dishonest-list policy");
  }
  if (credit.dishonest_policy == DishonestPolicy::kHighestRatio &&
      HighestRatioClass(plan.quotas) == 0) {
    return absl::InvalidArgumentError(
        "plan.credit.dishonest_policy: highest_ratio needs at least one ratio quota");
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < credit.dishonest.size(); ++i) {
    const std::string field = absl::StrFormat("plan.credit.dishonest[%d]", i);
    REG_RETURN_IF_ERROR(CheckCreditCode(field, credit.dishonest[i]));
    if (!codes.insert(credit.dishonest[i]).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: \"%s\" is listed twice", field, credit.dishonest[i]));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateListedTargets(const PlanSpec& plan) {
  if (!plan.targeted()) return absl::OkStatus();
  std::set<std::string> codes;
  for (size_t i = 0; i < plan.listed_targets.size(); ++i) {
    const std::string field = absl::StrFormat("plan.targets[%d].credit_code", i);
    const std::string& code = plan.listed_targets[i].credit_code;
    REG_RETURN_IF_ERROR(CheckCreditCode(field, code));
    if (!codes.insert(code).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: \"%s\" is listed twice", field, code));
    }
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    const ClassQuota& quota = plan.quotas[c];
    if (quota.kind != ClassQuota::Kind::kCount || quota.value != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plan.quotas[", std::string(1, RiskClassLetter(c + 1)),
          "]: a targeted plan lists its targets and draws none by quota"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidatePlanSpec(const PlanSpec& plan) {
  REG_RETURN_IF_ERROR(CheckText("plan.plan_id", plan.plan_id, 128));
  if (plan.departments.empty()) {
    return absl::InvalidArgumentError("plan.departments: at least one is required");
  }
  std::set<std::string> departments;
  for (size_t i = 0; i < plan.departments.size(); ++i) {
    const std::string field = absl::StrFormat("plan.departments[%d]", i);
    REG_RETURN_IF_ERROR(CheckText(field, plan.departments[i], 128));
    if (!departments.insert(plan.departments[i]).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: \"%s\" is listed twice", field, plan.departments[i]));
    }
  }
  std::set<std::string> item_ids;
  for (size_t i = 0; i < plan.items.size(); ++i) {
    const PlanItem& item = plan.items[i];
    const std::string field = absl::StrFormat("plan.items[%d]", i);
    REG_RETURN_IF_ERROR(CheckText(field + ".item_id", item.item_id, 128));
    if (!item_ids.insert(item.item_id).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s.item_id: \"%s\" is listed twice", field, item.item_id));
    }
    if (departments.count(item.department) == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s.department: \"%s\" is not one of the plan's departments", field, item.department));
    }
    if (!item.required_qualification.empty()) {
      REG_RETURN_IF_ERROR(
          CheckText(field + ".required_qualification", item.required_qualification, 128));
    }
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    absl::Status status = ValidateQuota(plan.quotas[c]);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plan.quotas[", std::string(1, RiskClassLetter(c + 1)), "]: ", status.message()));
    }
  }
  if (plan.team_size < 2 || plan.team_size > 64) {
    return absl::InvalidArgumentError(
        absl::StrFormat("plan.team_size: must be 2 to 64, got %d", plan.team_size));
  }
  if (static_cast<size_t>(plan.team_size) < plan.departments.size()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("plan.team_size: %d cannot cover the plan's %d departments", plan.team_size,
                        plan.departments.size()));
  }
  if (plan.workload_cap < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("plan.workload_cap: must be at least 1, got %d", plan.workload_cap));
  }
  REG_RETURN_IF_ERROR(CheckIsoDate("plan.due_date", plan.due_date));
  REG_RETURN_IF_ERROR(ValidateCreditPolicy(plan));
  REG_RETURN_IF_ERROR(ValidateListedTargets(plan));
  if (plan.no_repeat.has_value()) {
    if (plan.targeted()) {
      return absl::InvalidArgumentError(
          "plan.no_repeat: a targeted plan lists its targets; it excludes nobody");
    }
    REG_RETURN_IF_ERROR(ValidateNoRepeatRule(*plan.no_repeat));
  }
  return ValidateRecusals(plan.recusals);
}

PlanSpec CanonicalPlanSpec(PlanSpec plan) {
  std::sort(plan.departments.begin(), plan.departments.end());
  std::sort(plan.items.begin(), plan.items.end(),
            [](const PlanItem& a, const PlanItem& b) { return a.item_id < b.item_id; });
  std::sort(plan.listed_targets.begin(), plan.listed_targets.end(),
            [](const ListedTarget& a, const ListedTarget& b) {
              return a.credit_code < b.credit_code;
            });
  std::sort(plan.credit.dishonest.begin(), plan.credit.dishonest.end());
  if (plan.no_repeat.has_value()) CanonicalizeNoRepeatRule(&*plan.no_repeat);
  CanonicalizeRecusals(&plan.recusals);
  return plan;
}

absl::StatusOr<std::string> PlanDigest(const PlanSpec& input) {
  REG_RETURN_IF_ERROR(ValidatePlanSpec(input));
  const PlanSpec plan = CanonicalPlanSpec(input);
  CanonicalRecord record;
  record.Add("domain", "regulation.plan.v1");
  record.Add("plan_id", plan.plan_id);
  record.Add("departments", static_cast<int64_t>(plan.departments.size()));
  for (const std::string& department : plan.departments) record.Add("department", department);
  record.Add("items", static_cast<int64_t>(plan.items.size()));
  for (const PlanItem& item : plan.items) {
    record.Add("item.id", item.item_id);
    record.Add("item.department", item.department);
    record.Add("item.required_qualification", item.required_qualification);
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    const ClassQuota& quota = plan.quotas[c];
    record.Add("quota.class", std::string(1, RiskClassLetter(c + 1)));
    record.Add("quota.kind", quota.kind == ClassQuota::Kind::kRatioPpm ? "ratio_ppm" : "count");
    record.Add("quota.value", quota.value);
  }
  record.Add("team_size", plan.team_size);
  record.Add("workload_cap", plan.workload_cap);
  record.Add("due_date", plan.due_date);
  if (plan.targeted()) {  // absent from a random plan's record: its digest is unchanged
    record.Add("targets", static_cast<int64_t>(plan.listed_targets.size()));
    for (const ListedTarget& target : plan.listed_targets) {
      record.Add("target.credit_code", target.credit_code);
      record.Add("target.reason", TargetReasonName(target.reason));
    }
  }
  if (!plan.credit.is_default()) {  // absent without a policy: the digest is unchanged
    record.Add("credit.class_source", ClassSourceName(plan.credit.class_source));
    record.Add("credit.dishonest_policy", DishonestPolicyName(plan.credit.dishonest_policy));
    record.Add("credit.dishonest", static_cast<int64_t>(plan.credit.dishonest.size()));
    for (const std::string& code : plan.credit.dishonest) {
      record.Add("credit.dishonest.credit_code", code);
    }
  }
  // Likewise absent unless set (draw-spec §3.2).
  if (plan.no_repeat.has_value()) AddNoRepeatFields(*plan.no_repeat, &record);
  if (!plan.recusals.empty()) AddRecusalFields(plan.recusals, &record);
  return record.Sha256Hex();
}

bool operator==(const PlanItem& a, const PlanItem& b) {
  return a.item_id == b.item_id && a.department == b.department &&
         a.required_qualification == b.required_qualification;
}

bool operator==(const ListedTarget& a, const ListedTarget& b) {
  return a.credit_code == b.credit_code && a.reason == b.reason;
}

bool operator==(const PlanSpec& a, const PlanSpec& b) {
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (a.quotas[c].kind != b.quotas[c].kind || a.quotas[c].value != b.quotas[c].value) {
      return false;
    }
  }
  return a.plan_id == b.plan_id && a.departments == b.departments && a.items == b.items &&
         a.team_size == b.team_size && a.workload_cap == b.workload_cap && a.due_date == b.due_date &&
         a.listed_targets == b.listed_targets &&
         a.credit.class_source == b.credit.class_source &&
         a.credit.dishonest_policy == b.credit.dishonest_policy &&
         a.credit.dishonest == b.credit.dishonest && a.no_repeat == b.no_repeat &&
         a.recusals == b.recusals;
}

}  // namespace regulation::scheduler
