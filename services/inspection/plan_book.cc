#include "services/inspection/plan_book.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/field_error.h"
#include "common/industry_code.h"
#include "common/quote.h"
#include "common/region_code.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "regulation/v1/visit.pb.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/proto_time.h"
#include "services/common/scan_page.h"
#include "services/inspection/targeted_plan.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// Bounds that keep a plan committable: the commitment record (which lists the items and
// the filters) must fit in one log record, and the freeze checks each enterprise of the
// region against each industry prefix.
constexpr size_t kMaxItemTextBytes = 48000;
constexpr int kMaxIndustryCodes = 100;

absl::StatusOr<internal::PlanRecord> ParseRecord(absl::string_view bytes, absl::string_view id) {
  internal::PlanRecord record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("stored plan ", id, " is corrupt"));
  }
  return record;
}

bool IsAgencyOnly(const access::Caller& caller) {
  return !caller.roles.Contains(access::Role::kAdmin) &&
         !caller.roles.Contains(access::Role::kAuditor);
}

}  // namespace

std::string PlanStateName(v1::PlanState state) {
  std::string name = v1::PlanState_Name(state);
  const absl::string_view prefix = "PLAN_STATE_";
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

absl::Status CheckPlanAccess(const access::Caller& caller, const v1::Plan& plan) {
  if (!IsAgencyOnly(caller)) return absl::OkStatus();
  bool department = false;
  for (const std::string& d : plan.departments()) department = department || d == caller.department;
  if (!department || !absl::StartsWith(plan.population().region_prefix(), caller.region_prefix)) {
    return absl::PermissionDeniedError(
        "plan_id: not a plan of your department within your jurisdiction");
  }
  return absl::OkStatus();
}

// The credit policy of a random plan (docs/draw-spec.md §3.4).
static absl::Status ValidateCreditPolicy(const v1::Plan& plan) {
  if (!v1::CreditClassSource_IsValid(plan.credit_class_source())) {
    return InvalidField("plan.credit_class_source",
                        absl::StrCat(plan.credit_class_source(),
                                     " is not MODEL, OFFICIAL or STRICTER"));
  }
  if (!v1::DishonestListPolicy_IsValid(plan.dishonest_list_policy())) {
    return InvalidField("plan.dishonest_list_policy",
                        absl::StrCat(plan.dishonest_list_policy(),
                                     " is not NONE, HIGHEST_RATIO or ALWAYS"));
  }
  const bool has_policy =
      plan.credit_class_source() > v1::CREDIT_CLASS_SOURCE_MODEL ||
      plan.dishonest_list_policy() > v1::DISHONEST_LIST_POLICY_NONE;
  if (has_policy && IsTargeted(plan)) {
    return InvalidField("plan.kind",
                        "a targeted plan freezes its targets in class B; it takes no credit "
                        "class source or dishonest-list policy");
  }
  if (plan.dishonest_list_policy() == v1::DISHONEST_LIST_POLICY_HIGHEST_RATIO &&
      std::none_of(plan.quotas().begin(), plan.quotas().end(), [](const v1::ClassQuota& q) {
        return q.amount_case() == v1::ClassQuota::kRatio;
      })) {
    return InvalidField("plan.dishonest_list_policy",
                        "HIGHEST_RATIO needs at least one ratio quota");
  }
  return absl::OkStatus();
}

namespace {

// No repeated visits (draw-spec §7): a window of 0-366 days, for a random plan only.
absl::Status ValidateNoRepeat(const v1::Plan& plan) {
  if (plan.no_repeat_window_days() < 0 || plan.no_repeat_window_days() > 366) {
    return InvalidField("plan.no_repeat_window_days", "must be 0 (none) to 366 days");
  }
  if (plan.no_repeat_scope() < v1::REPEAT_VISIT_SCOPE_UNSPECIFIED ||
      plan.no_repeat_scope() > v1::REPEAT_VISIT_SCOPE_ALL) {
    return InvalidField("plan.no_repeat_scope", "must be DEPARTMENT or ALL");
  }
  if (plan.no_repeat_mode() < v1::REPEAT_VISIT_MODE_UNSPECIFIED ||
      plan.no_repeat_mode() > v1::REPEAT_VISIT_MODE_JOIN) {
    return InvalidField("plan.no_repeat_mode", "must be EXCLUDE or JOIN");
  }
  if (plan.no_repeat_mode() != v1::REPEAT_VISIT_MODE_UNSPECIFIED &&
      plan.no_repeat_window_days() == 0) {
    return InvalidField("plan.no_repeat_mode", "needs a no_repeat_window_days of 1 to 366");
  }
  if (plan.no_repeat_window_days() > 0 && plan.kind() == v1::PLAN_KIND_TARGETED) {
    return InvalidField("plan.no_repeat_window_days",
                        "a targeted plan lists its targets; it excludes nobody");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PlanBook::ValidatePlan(const access::Caller& caller, v1::Plan* plan) {
  REG_RETURN_IF_ERROR(ValidateText("plan.title", plan->title(), TextRule::RequiredBytes(600)));
  if (plan->departments().empty() || plan->departments_size() > 8) {
    return InvalidField("plan.departments", "one department, or up to 8 for a joint inspection");
  }
  std::set<std::string> departments;
  for (int i = 0; i < plan->departments_size(); ++i) {
    REG_RETURN_IF_ERROR(
        ValidateId(absl::StrCat("plan.departments[", i, "]"), plan->departments(i)));
    if (!departments.insert(plan->departments(i)).second) {
      return InvalidField(absl::StrCat("plan.departments[", i, "]"), "appears twice");
    }
  }
  if (IsAgencyOnly(caller) && departments.count(caller.department) == 0) {
    return absl::PermissionDeniedError(
        "plan.departments: an agency plans for its own department (alone or jointly)");
  }
  if (plan->item_ids().empty() || plan->item_ids_size() > 100) {
    return InvalidField("plan.item_ids", "1 to 100 items (no inspection without a legal basis)");
  }
  std::set<std::string> covered;
  std::set<std::string> listed;
  size_t item_text_bytes = 0;
  for (int i = 0; i < plan->item_ids_size(); ++i) {
    const std::string field = absl::StrCat("plan.item_ids[", i, "]");
    REG_RETURN_IF_ERROR(ValidateId(field, plan->item_ids(i)));
    if (!listed.insert(plan->item_ids(i)).second) return InvalidField(field, "appears twice");
    absl::StatusOr<v1::InspectionItem> item = roster_->GetItem(plan->item_ids(i));
    if (absl::IsNotFound(item.status())) {
      return absl::NotFoundError(absl::StrCat(field, ": no inspection item ", plan->item_ids(i)));
    }
    if (!item.ok()) return item.status();
    if (departments.count(item->department()) == 0) {
      return InvalidField(field, absl::StrCat("belongs to department ", item->department(),
                                              ", which is not in the plan"));
    }
    covered.insert(item->department());
    item_text_bytes += item->title().size() + item->legal_basis().size();
  }
  // The public commitment lists every item with its title and legal basis, and one log
  // record holds at most 64 KiB: refuse now what could never be committed.
  if (item_text_bytes > kMaxItemTextBytes) {
    return InvalidField("plan.item_ids",
                        absl::StrCat("the items' titles and legal bases total ", item_text_bytes,
                                     " bytes; a plan's public commitment holds at most ",
                                     kMaxItemTextBytes));
  }
  for (const std::string& d : departments) {
    if (covered.count(d) == 0) {
      return InvalidField("plan.item_ids",
                          absl::StrCat("department ", d, " has no item in the plan"));
    }
  }
  v1::PopulationFilter* population = plan->mutable_population();
  REG_RETURN_IF_ERROR(
      ForField("plan.population.region_prefix", ValidateRegionPrefix(population->region_prefix())));
  if (IsAgencyOnly(caller)) {
    if (absl::StartsWith(caller.region_prefix, population->region_prefix())) {
      population->set_region_prefix(caller.region_prefix);  // narrowed to the jurisdiction
    } else if (!absl::StartsWith(population->region_prefix(), caller.region_prefix)) {
      return absl::PermissionDeniedError(
          "plan.population.region_prefix: outside your jurisdiction");
    }
  }
  // Every enterprise of the region is checked against every prefix while the plan is
  // committed, so their number is bounded.
  if (population->industry_codes_size() > kMaxIndustryCodes) {
    return InvalidField("plan.population.industry_codes",
                        absl::StrCat("at most ", kMaxIndustryCodes, " industry prefixes"));
  }
  std::set<std::string> industries;
  for (int i = 0; i < population->industry_codes_size(); ++i) {
    const std::string field = absl::StrCat("plan.population.industry_codes[", i, "]");
    REG_RETURN_IF_ERROR(ForField(field, ValidateIndustryPrefix(population->industry_codes(i))));
    if (!industries.insert(population->industry_codes(i)).second) {
      return InvalidField(field, "appears twice");
    }
  }
  std::set<int> statuses;
  for (int i = 0; i < population->statuses_size(); ++i) {
    const std::string field = absl::StrCat("plan.population.statuses[", i, "]");
    if (!v1::EnterpriseStatus_IsValid(population->statuses(i)) ||
        population->statuses(i) == v1::ENTERPRISE_STATUS_UNSPECIFIED) {
      return InvalidField(field, "is not a status");
    }
    if (!statuses.insert(population->statuses(i)).second) return InvalidField(field, "appears twice");
  }
  REG_RETURN_IF_ERROR(ValidateCreditPolicy(*plan));
  // A targeted plan: its list against the directory and the (narrowed) region.
  REG_RETURN_IF_ERROR(ValidateTargets(*plan, population_));
  if (plan->quotas().empty() && !IsTargeted(*plan)) {
    return InvalidField("plan.quotas", "at least one class quota");
  }
  std::set<int> classes;
  for (int i = 0; i < plan->quotas_size(); ++i) {
    const v1::ClassQuota& q = plan->quotas(i);
    const std::string field = absl::StrCat("plan.quotas[", i, "]");
    if (q.risk_class() < v1::RISK_CLASS_A || q.risk_class() > v1::RISK_CLASS_D) {
      return InvalidField(absl::StrCat(field, ".risk_class"), "must be A, B, C or D");
    }
    if (!classes.insert(q.risk_class()).second) {
      return InvalidField(absl::StrCat(field, ".risk_class"), "has two quotas");
    }
    if (q.amount_case() == v1::ClassQuota::kRatio) {
      if (!(q.ratio() >= 0 && q.ratio() <= 1)) {
        return InvalidField(absl::StrCat(field, ".ratio"), "must be between 0 and 1");
      }
    } else if (q.amount_case() == v1::ClassQuota::kCount) {
      if (q.count() < 0) return InvalidField(absl::StrCat(field, ".count"), "must not be negative");
    } else {
      return InvalidField(field, "ratio or count is required");
    }
  }
  if (plan->team_size() < 2) {
    return InvalidField("plan.team_size",
                        "at least 2 inspectors (Administrative Penalty Law, Art. 42)");
  }
  if (plan->team_size() > 10) return InvalidField("plan.team_size", "at most 10");
  if (plan->team_size() < plan->departments_size()) {
    return InvalidField("plan.team_size",
                        "a joint plan needs at least one inspector per department");
  }
  if (plan->workload_cap() < 1 || plan->workload_cap() > 10000) {
    return InvalidField("plan.workload_cap", "must be 1-10000 targets per inspector");
  }
  if (!plan->has_due_date()) return InvalidField("plan.due_date", "is required");
  absl::StatusOr<absl::CivilDay> due_day = FromProtoDate(plan->due_date());
  REG_RETURN_IF_ERROR(ForField("plan.due_date", due_day.status()));
  const absl::CivilDay due = *due_day;
  if (due <= absl::ToCivilDay(clock_->Now(), ChinaTimeZone())) {
    return InvalidField("plan.due_date", "must be after today");
  }
  return ValidateNoRepeat(*plan);
}

absl::StatusOr<v1::Plan> PlanBook::Create(const access::Caller& caller,
                                          const v1::CreatePlanRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  constexpr absl::string_view kRpc = "InspectionService.CreatePlan";
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  // A retried request gets the plan it created, not a second one, and is answered before
  // validation: that depends on the date and the item list, which may have moved since.
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  if (replay.has_value()) {
    REG_ASSIGN_OR_RETURN(internal::PlanRecord created, Load(caller, *replay));
    return created.plan();
  }
  v1::Plan plan = request.plan();
  plan.DiscardUnknownFields();  // not stored: they would pass every size limit
  REG_RETURN_IF_ERROR(ValidatePlan(caller, &plan));
  const std::string day = absl::FormatCivilTime(absl::ToCivilDay(clock_->Now(), ChinaTimeZone()));
  const std::string stem =
      absl::StrCat("P", day.substr(0, 4), day.substr(5, 2), day.substr(8, 2), "-");
  int number = 1;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kPlans, storage::PrefixBounds(stem));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++number;
  REG_RETURN_IF_ERROR(it->status());
  plan.set_plan_id(absl::StrFormat("%s%04d", stem, number));
  plan.set_state(v1::PLAN_STATE_DRAFT);
  *plan.mutable_create_time() = ToProtoTimestamp(clock_->Now());
  plan.set_version(1);
  internal::PlanRecord record;
  *record.mutable_plan() = plan;
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kPlans, plan.plan_id(), record.SerializeAsString());
  REG_RETURN_IF_ERROR(write.Commit(store_, &batch, plan.plan_id()));
  return plan;
}

absl::StatusOr<v1::Plan> PlanBook::Update(const access::Caller& caller,
                                          const v1::UpdatePlanRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  constexpr absl::string_view kRpc = "InspectionService.UpdatePlan";
  REG_ASSIGN_OR_RETURN(const IdempotentWrite write,
                       IdempotentWrite::For(kRpc, caller.subject, request));
  absl::MutexLock lock(&mu_);
  // A retry after a lost response gets the plan as it stands, not a version conflict.
  REG_ASSIGN_OR_RETURN(std::optional<std::string> replay, write.Replay(store_));
  if (replay.has_value()) {
    REG_ASSIGN_OR_RETURN(internal::PlanRecord updated, Load(caller, *replay));
    return updated.plan();
  }
  const std::string& plan_id = request.plan().plan_id();
  if (plan_id.empty()) return InvalidField("plan.plan_id", "is required: the draft to edit");
  if (request.plan().version() <= 0) {
    return InvalidField("plan.version", "is required: the version read (GetPlan)");
  }
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, Load(caller, plan_id));
  const v1::Plan& stored = record.plan();
  if (stored.state() != v1::PLAN_STATE_DRAFT) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan.plan_id: plan ", plan_id, " is ", PlanStateName(stored.state()),
        "; only a DRAFT can be edited (a committed plan's content is frozen and public)"));
  }
  if (request.plan().version() != stored.version()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan.version: plan ", plan_id, " is at version ", stored.version(),
                     ", not ", request.plan().version(), "; read it again"));
  }
  v1::Plan plan = request.plan();
  plan.DiscardUnknownFields();
  plan.clear_awaiting_entropy();  // GetPlan's, computed on reading
  REG_RETURN_IF_ERROR(ValidatePlan(caller, &plan));
  plan.set_state(v1::PLAN_STATE_DRAFT);
  *plan.mutable_create_time() = stored.create_time();
  plan.set_version(stored.version() + 1);
  *record.mutable_plan() = std::move(plan);
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kPlans, plan_id, record.SerializeAsString());
  REG_RETURN_IF_ERROR(write.Commit(store_, &batch, plan_id));
  return record.plan();
}

absl::StatusOr<internal::PlanRecord> PlanBook::Load(const access::Caller& caller,
                                                    absl::string_view plan_id) {
  if (plan_id.empty()) return InvalidField("plan_id", "is required");
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPlans, plan_id);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("plan_id: no plan ", Quote(plan_id)));
  }
  if (!bytes.ok()) return bytes.status();
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, ParseRecord(*bytes, plan_id));
  REG_RETURN_IF_ERROR(CheckPlanAccess(caller, record.plan()));
  return record;
}

absl::Status PlanBook::Save(internal::PlanRecord record, int64_t expected_version,
                            storage::WriteBatch* batch) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPlans, record.plan().plan_id());
  if (!bytes.ok()) return bytes.status();
  REG_ASSIGN_OR_RETURN(internal::PlanRecord stored, ParseRecord(*bytes, record.plan().plan_id()));
  if (stored.plan().version() != expected_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan_id: plan ", record.plan().plan_id(), " changed meanwhile (now ",
                     PlanStateName(stored.plan().state()), "); read it again"));
  }
  record.mutable_plan()->set_version(expected_version + 1);
  batch->Put(ColumnFamily::kPlans, record.plan().plan_id(), record.SerializeAsString());
  storage::WriteOptions durable;
  durable.sync = true;
  return store_->Write(*batch, durable);
}

absl::StatusOr<v1::Plan> PlanBook::Get(const access::Caller& caller, absl::string_view plan_id) {
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, Load(caller, plan_id));
  v1::Plan plan = record.plan();
  // What a witness signs for the round waiting for its entropy.
  const int round = record.draws_size();
  v1::PendingEntropy pending;
  google::protobuf::Timestamp committed;
  int64_t delay = 0;
  if (plan.state() == v1::PLAN_STATE_COMMITTED && !record.commitment().commitment_digest().empty()) {
    pending.set_commitment_digest(record.commitment().commitment_digest());
    *pending.mutable_entropy_sources() = record.commitment().entropy_sources();
    committed = record.commitment().commit_time();
    delay = record.commitment().min_entropy_delay_seconds();
  } else if (plan.state() == v1::PLAN_STATE_DRAWN && !record.announcements().empty() &&
             record.announcements().rbegin()->round() == round) {
    const v1::ReplacementAnnouncement& a = *record.announcements().rbegin();
    pending.set_commitment_digest(a.commitment_digest());
    *pending.mutable_entropy_sources() = a.entropy_sources();
    committed = a.announce_time();
    delay = a.min_entropy_delay_seconds();
  }
  if (!pending.commitment_digest().empty()) {
    pending.set_round(round);
    REG_ASSIGN_OR_RETURN(const absl::Time at, FromProtoTimestamp(committed));
    *pending.mutable_earliest_statement_time() = ToProtoTimestamp(at + absl::Seconds(delay));
    *plan.mutable_awaiting_entropy() = std::move(pending);
  }
  return plan;
}

absl::StatusOr<v1::ListPlansResponse> PlanBook::List(const access::Caller& caller,
                                                     const v1::ListPlansRequest& request) {
  if (!request.department().empty()) {
    REG_RETURN_IF_ERROR(ValidateId("department", request.department()));
  }
  v1::ListPlansResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("plans|", request.department(), "|", request.state())};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kPlans, {}, page,
               [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(internal::PlanRecord record, ParseRecord(value, key));
                 const v1::Plan& plan = record.plan();
                 if (!CheckPlanAccess(caller, plan).ok()) return false;
                 if (request.state() != v1::PLAN_STATE_UNSPECIFIED &&
                     plan.state() != request.state()) {
                   return false;
                 }
                 if (!request.department().empty()) {
                   bool has = false;
                   for (const auto& d : plan.departments()) has = has || d == request.department();
                   if (!has) return false;
                 }
                 *response.add_plans() = plan;
                 return true;
               }));
  return response;
}

absl::StatusOr<v1::Plan> PlanBook::Close(const access::Caller& caller,
                                         const v1::ClosePlanRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequestId(request.request_id()));
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, Load(caller, request.plan_id()));
  if (record.plan().state() == v1::PLAN_STATE_CLOSED) return record.plan();  // retry-safe
  if (record.plan().state() != v1::PLAN_STATE_DRAWN) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan_id: a plan is closed after its draw; this one is ",
                     PlanStateName(record.plan().state())));
  }
  const int64_t version = record.plan().version();
  record.mutable_plan()->set_state(v1::PLAN_STATE_CLOSED);
  storage::WriteBatch batch;
  REG_RETURN_IF_ERROR(Save(record, version, &batch));
  record.mutable_plan()->set_version(version + 1);
  return record.plan();
}

}  // namespace regulation::services
