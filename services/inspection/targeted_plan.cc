#include "services/inspection/targeted_plan.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/status_macros.h"

namespace regulation::services {
namespace {

// A reference names a case in another system: an id, a document number. Narrow on
// purpose, so that no free text (a name, a phone number) rides along.
absl::Status ValidateReference(absl::string_view field, absl::string_view reference) {
  if (reference.empty()) return InvalidField(field, "is required (the complaint, alert or case id)");
  if (reference.size() > 64) return InvalidField(field, "at most 64 characters");
  for (char c : reference) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
    if (!ok) return InvalidField(field, "only letters, digits and . _ : / -");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsTargeted(const v1::Plan& plan) { return plan.kind() == v1::PLAN_KIND_TARGETED; }

absl::Status ValidateTargets(const v1::Plan& plan, PopulationFeed* population) {
  if (!v1::PlanKind_IsValid(plan.kind())) return InvalidField("plan.kind", "is not a plan kind");
  if (!IsTargeted(plan)) {
    if (!plan.targets().empty()) {
      return InvalidField("plan.targets", "only a TARGETED plan lists targets");
    }
    return absl::OkStatus();
  }
  if (plan.targets().empty() || plan.targets_size() > kMaxTargetedEnterprises) {
    return InvalidField("plan.targets", absl::StrCat("a targeted plan lists 1 to ",
                                                     kMaxTargetedEnterprises, " enterprises"));
  }
  if (!plan.quotas().empty()) {
    return InvalidField("plan.quotas", "a targeted plan lists its targets and has no quotas");
  }
  if (!plan.population().industry_codes().empty() || !plan.population().statuses().empty()) {
    return InvalidField("plan.population",
                        "a targeted plan has only a region_prefix (its jurisdiction)");
  }
  std::set<std::string> seen;
  for (int i = 0; i < plan.targets_size(); ++i) {
    const v1::TargetedEnterprise& target = plan.targets(i);
    const std::string field = absl::StrCat("plan.targets[", i, "]");
    const std::string code_field = field + ".credit_code";
    REG_RETURN_IF_ERROR(ForField(code_field, ValidateCreditCode(target.credit_code())));
    if (!seen.insert(target.credit_code()).second) {
      return InvalidField(code_field, absl::StrCat(Quote(target.credit_code()), " is listed twice"));
    }
    if (target.reason() == v1::TARGET_REASON_UNSPECIFIED ||
        !v1::TargetReason_IsValid(target.reason())) {
      return InvalidField(field + ".reason",
                          "is required: COMPLAINT, ALERT, REFERRAL or MONITORING");
    }
    REG_RETURN_IF_ERROR(ValidateReference(field + ".reference", target.reference()));
  }
  // Existence and jurisdiction last, in one read.
  std::vector<std::string> codes;
  for (const v1::TargetedEnterprise& target : plan.targets()) codes.push_back(target.credit_code());
  REG_ASSIGN_OR_RETURN(std::vector<absl::StatusOr<v1::Enterprise>> found,
                       population->GetEnterprises(codes));
  for (size_t i = 0; i < found.size(); ++i) {
    const std::string field = absl::StrCat("plan.targets[", i, "].credit_code");
    if (absl::IsNotFound(found[i].status())) {
      return absl::NotFoundError(absl::StrCat(field, ": no enterprise ", Quote(codes[i])));
    }
    if (!found[i].ok()) return found[i].status();
    if (!absl::StartsWith(found[i]->region_code(), plan.population().region_prefix())) {
      return InvalidField(field, absl::StrCat(Quote(codes[i]), " is registered in region ",
                                              Quote(found[i]->region_code()),
                                              ", outside the plan's region_prefix ",
                                              Quote(plan.population().region_prefix())));
    }
  }
  return absl::OkStatus();
}

scheduler::TargetReason TargetReasonOf(v1::TargetReason reason) {
  switch (reason) {
    case v1::TARGET_REASON_ALERT:
      return scheduler::TargetReason::kAlert;
    case v1::TARGET_REASON_REFERRAL:
      return scheduler::TargetReason::kReferral;
    case v1::TARGET_REASON_MONITORING:
      return scheduler::TargetReason::kMonitoring;
    default:
      return scheduler::TargetReason::kComplaint;
  }
}

v1::TargetReason ProtoTargetReason(scheduler::TargetReason reason) {
  switch (reason) {
    case scheduler::TargetReason::kAlert:
      return v1::TARGET_REASON_ALERT;
    case scheduler::TargetReason::kReferral:
      return v1::TARGET_REASON_REFERRAL;
    case scheduler::TargetReason::kMonitoring:
      return v1::TARGET_REASON_MONITORING;
    case scheduler::TargetReason::kComplaint:
      break;
  }
  return v1::TARGET_REASON_COMPLAINT;
}

std::string PublicTargetReason(v1::TargetReason reason) {
  if (reason == v1::TARGET_REASON_UNSPECIFIED || !v1::TargetReason_IsValid(reason)) return "";
  std::string name = v1::TargetReason_Name(reason);
  const absl::string_view prefix = "TARGET_REASON_";
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

std::vector<scheduler::ListedTarget> ListedTargetsOf(const v1::Plan& plan) {
  std::vector<scheduler::ListedTarget> listed;
  if (!IsTargeted(plan)) return listed;
  for (const v1::TargetedEnterprise& target : plan.targets()) {
    listed.push_back({target.credit_code(), TargetReasonOf(target.reason())});
  }
  return listed;
}

}  // namespace regulation::services
