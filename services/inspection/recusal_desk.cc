#include "services/inspection/recusal_desk.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "services/common/idempotent_write.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kRequestRpc = "InspectionService.RequestRecusal";
constexpr absl::string_view kDecideRpc = "InspectionService.DecideRecusal";

absl::StatusOr<internal::PlanRecord> ReadPlan(storage::KvStore* store, absl::string_view plan_id) {
  if (plan_id.empty()) return InvalidField("plan_id", "is required");
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kPlans, plan_id);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("plan_id: no plan ", Quote(plan_id)));
  }
  if (!bytes.ok()) return bytes.status();
  internal::PlanRecord record;
  if (!record.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("the stored plan ", plan_id, " is corrupt"));
  }
  return record;
}

absl::Status StillDraft(const v1::Plan& plan) {
  if (plan.state() == v1::PLAN_STATE_DRAFT) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "plan_id: plan ", plan.plan_id(), " is ", PlanStateName(plan.state()),
      "; a recusal is requested and decided before the plan is committed (its draw's inputs "
      "are fixed at the commit)"));
}

}  // namespace

bool ActsAsEnterprise(const access::Caller& caller) {
  return caller.roles.Contains(access::Role::kEnterprise) &&
         !caller.roles.Contains(access::Role::kAgency) &&
         !caller.roles.Contains(access::Role::kAuditor) &&
         !caller.roles.Contains(access::Role::kAdmin);
}

absl::StatusOr<v1::Recusal> RecusalDesk::Request(const access::Caller& caller,
                                                 const v1::RequestRecusalRequest& request) {
  const std::string code =
      request.credit_code().empty() ? caller.credit_code : request.credit_code();
  if (code.empty()) return InvalidField("credit_code", "is required");
  if (!IsValidCreditCode(code)) {
    return InvalidField("credit_code", "is not a valid unified social credit code");
  }
  if (!caller.credit_code.empty() && code != caller.credit_code) {
    return absl::PermissionDeniedError("credit_code: an enterprise asks for itself only");
  }
  REG_RETURN_IF_ERROR(ValidateId("inspector_id", request.inspector_id()));
  REG_RETURN_IF_ERROR(ValidateText("grounds", request.grounds(), TextRule::RequiredBytes(600)));
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kRequestRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<v1::Recusal> replay, write.ReplayAs<v1::Recusal>(store_));
  if (replay.has_value()) return *replay;
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, ReadPlan(store_, request.plan_id()));
  REG_RETURN_IF_ERROR(StillDraft(record.plan()));
  if (absl::Status known = roster_->GetInspector(request.inspector_id()).status();
      absl::IsNotFound(known)) {
    return absl::NotFoundError(
        absl::StrCat("inspector_id: no inspector ", Quote(request.inspector_id())));
  } else if (!known.ok()) {
    return known;
  }
  for (const v1::Recusal& r : record.recusals()) {
    if (r.credit_code() == code && r.inspector_id() == request.inspector_id() &&
        r.state() != v1::RECUSAL_STATE_REFUSED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "inspector_id: ", request.inspector_id(), " is already the subject of recusal ",
          r.recusal_id(), " for this plan"));
    }
  }
  if (record.recusals_size() >= kMaxPerPlan) {
    return absl::ResourceExhaustedError(
        absl::StrCat("plan_id: plan ", request.plan_id(), " has ", kMaxPerPlan,
                     " recusal requests, the most a plan keeps"));
  }
  v1::Recusal recusal;
  recusal.set_plan_id(request.plan_id());
  recusal.set_recusal_id(absl::StrFormat("RC-%04d", record.recusals_size() + 1));
  recusal.set_credit_code(code);
  recusal.set_inspector_id(request.inspector_id());
  recusal.set_grounds(request.grounds());
  recusal.set_state(v1::RECUSAL_STATE_REQUESTED);
  recusal.set_requested_by(caller.subject);
  *recusal.mutable_request_time() = ToProtoTimestamp(clock_->Now());
  *record.add_recusals() = recusal;
  const int64_t version = record.plan().version();
  storage::WriteBatch batch;
  write.Record(&batch, recusal.SerializeAsString());
  // Saved at the version read: a commit in between refuses this (FAILED_PRECONDITION).
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  return recusal;
}

absl::StatusOr<v1::Recusal> RecusalDesk::Decide(const access::Caller& caller,
                                                const v1::DecideRecusalRequest& request) {
  if (request.recusal_id().empty()) return InvalidField("recusal_id", "is required");
  REG_RETURN_IF_ERROR(ValidateText("reason", request.reason(), TextRule::RequiredBytes(600)));
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kDecideRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  REG_ASSIGN_OR_RETURN(std::optional<v1::Recusal> replay, write.ReplayAs<v1::Recusal>(store_));
  if (replay.has_value()) return *replay;
  // The plan's agency: PlanBook checks the department and jurisdiction.
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, request.plan_id()));
  REG_RETURN_IF_ERROR(StillDraft(record.plan()));
  v1::Recusal* found = nullptr;
  for (v1::Recusal& r : *record.mutable_recusals()) {
    if (r.recusal_id() == request.recusal_id()) found = &r;
  }
  if (found == nullptr) {
    return absl::NotFoundError(absl::StrCat("recusal_id: plan ", request.plan_id(),
                                            " has no recusal ", Quote(request.recusal_id())));
  }
  if (found->state() != v1::RECUSAL_STATE_REQUESTED) {
    return absl::FailedPreconditionError(
        absl::StrCat("recusal_id: ", request.recusal_id(), " was decided already"));
  }
  found->set_state(request.grant() ? v1::RECUSAL_STATE_GRANTED : v1::RECUSAL_STATE_REFUSED);
  found->set_decision_reason(request.reason());
  found->set_decided_by(caller.subject);
  *found->mutable_decide_time() = ToProtoTimestamp(clock_->Now());
  const v1::Recusal decided = *found;
  const int64_t version = record.plan().version();
  storage::WriteBatch batch;
  write.Record(&batch, decided.SerializeAsString());
  REG_RETURN_IF_ERROR(plans_->Save(std::move(record), version, &batch));
  return decided;
}

absl::StatusOr<v1::ListRecusalsResponse> RecusalDesk::List(
    const access::Caller& caller, const v1::ListRecusalsRequest& request) {
  v1::ListRecusalsResponse response;
  const bool own_only = ActsAsEnterprise(caller);
  const std::string code = own_only ? caller.credit_code : request.credit_code();
  auto keep = [&](const v1::Recusal& r) { return code.empty() || r.credit_code() == code; };
  if (!request.plan_id().empty()) {
    // One plan (at most kMaxPerPlan requests: one page).
    REG_ASSIGN_OR_RETURN(internal::PlanRecord record,
                         own_only ? ReadPlan(store_, request.plan_id())
                                  : plans_->Load(caller, request.plan_id()));
    for (const v1::Recusal& r : record.recusals()) {
      if (keep(r)) *response.add_recusals() = r;
    }
    return response;
  }
  if (!own_only && code.empty()) {
    return InvalidField("plan_id", "is required (or credit_code, for one enterprise's requests)");
  }
  if (!own_only && !caller.roles.Contains(access::Role::kAuditor) &&
      !caller.roles.Contains(access::Role::kAdmin)) {
    return InvalidField("plan_id", "is required for an agency");
  }
  // One enterprise's requests over every plan, a page of plans at a time.
  PageRequest page{request.page_size(), request.page_token(), absl::StrCat("recusals|", code)};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kPlans, storage::IteratorOptions(), page,
               [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
                 internal::PlanRecord record;
                 if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                   return absl::DataLossError(absl::StrCat("the stored plan ", key, " is corrupt"));
                 }
                 bool taken = false;
                 for (const v1::Recusal& r : record.recusals()) {
                   if (!keep(r)) continue;
                   *response.add_recusals() = r;
                   taken = true;
                 }
                 return taken;
               }));
  return response;
}

}  // namespace regulation::services
