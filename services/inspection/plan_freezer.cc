#include "services/inspection/plan_freezer.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/status_macros.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scheduler/quota.h"
#include "scheduler/roster_json.h"
#include "services/common/proto_time.h"
#include "services/inspection/targeted_plan.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// Population rows are written in batches of about this many bytes.
constexpr size_t kRowBatchBytes = 1 << 20;

std::string PopulationPrefix(absl::string_view plan_id) {
  return storage::KeyBuilder().AppendString(plan_id).Release();
}

std::string PopulationKey(absl::string_view plan_id, absl::string_view credit_code) {
  return storage::KeyBuilder().AppendString(plan_id).AppendFixed(credit_code).Release();
}

std::string FormatDate(const v1::Date& date) {
  absl::StatusOr<absl::CivilDay> day = FromProtoDate(date);
  return day.ok() ? absl::FormatCivilTime(*day) : "";
}

absl::StatusOr<scheduler::InspectorStatus> StatusOf(const v1::Inspector& inspector) {
  switch (inspector.status()) {
    case v1::INSPECTOR_STATUS_ACTIVE:
      return scheduler::InspectorStatus::kActive;
    case v1::INSPECTOR_STATUS_UNAVAILABLE:
      return scheduler::InspectorStatus::kUnavailable;
    case v1::INSPECTOR_STATUS_RETIRED:
      return scheduler::InspectorStatus::kRetired;
    default:
      return absl::DataLossError(
          absl::StrCat("stored inspector ", inspector.inspector_id(), " has no status"));
  }
}

template <typename Message>
absl::StatusOr<Message> ParseStored(absl::string_view bytes, absl::string_view what) {
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("a stored ", what, " is corrupt"));
  }
  return message;
}

bool Eligible(const PopulationRow& e, const v1::PopulationFilter& filter) {
  if (!absl::StartsWith(e.region_code, filter.region_prefix())) return false;
  if (filter.statuses().empty()) {
    if (e.status != v1::ENTERPRISE_STATUS_OPERATING) return false;
  } else {
    bool status = false;
    for (int s : filter.statuses()) status = status || s == e.status;
    if (!status) return false;
  }
  if (filter.industry_codes().empty()) return true;
  for (const std::string& prefix : filter.industry_codes()) {
    if (absl::StartsWith(e.industry_code, prefix)) return true;
  }
  return false;
}

// Deletes the rows an interrupted commit of this plan may have left.
absl::Status ClearRows(storage::KvStore* store, absl::string_view plan_id) {
  std::unique_ptr<storage::Iterator> it =
      store->NewIterator(ColumnFamily::kPlanPopulation, storage::PrefixBounds(PopulationPrefix(plan_id)));
  storage::WriteBatch batch;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    batch.Delete(ColumnFamily::kPlanPopulation, it->key());
    if (batch.byte_size() >= kRowBatchBytes) {
      REG_RETURN_IF_ERROR(store->Write(batch));
      batch.Clear();
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  return store->Write(batch);
}

// The inspectors of the plan's departments and their conflicts.
absl::Status FreezeInspectors(storage::KvStore* store, const storage::Snapshot* snapshot,
                              const scheduler::PlanSpec& spec, scheduler::FrozenRoster* roster) {
  const std::set<std::string> departments(spec.departments.begin(), spec.departments.end());
  std::unique_ptr<storage::Iterator> it =
      store->NewIterator(ColumnFamily::kInspectors, {snapshot, "", ""});
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    REG_ASSIGN_OR_RETURN(v1::Inspector i, ParseStored<v1::Inspector>(it->value(), "inspector"));
    if (departments.count(i.department()) == 0) continue;
    scheduler::InspectorRecord record;
    record.inspector_id = i.inspector_id();
    record.department = i.department();
    record.region_code = i.region_code();
    record.certificate_valid_until = FormatDate(i.certificate_valid_until());
    record.qualifications.assign(i.qualifications().begin(), i.qualifications().end());
    REG_ASSIGN_OR_RETURN(record.status, StatusOf(i));
    roster->inspectors.push_back(std::move(record));
  }
  REG_RETURN_IF_ERROR(it->status());
  for (const scheduler::InspectorRecord& inspector : roster->inspectors) {
    const std::string prefix = absl::StrCat("i/", inspector.inspector_id, "/");
    std::unique_ptr<storage::Iterator> c =
        store->NewIterator(ColumnFamily::kConflicts, storage::PrefixBounds(prefix, snapshot));
    for (c->SeekToFirst(); c->Valid(); c->Next()) {
      REG_ASSIGN_OR_RETURN(v1::Conflict conflict,
                           ParseStored<v1::Conflict>(c->value(), "conflict"));
      roster->conflicts.push_back({conflict.inspector_id(), conflict.credit_code()});
    }
    REG_RETURN_IF_ERROR(c->status());
  }
  return absl::OkStatus();
}

// Walks a column family keyed by credit code alongside the enterprise scan.
class Follower {
 public:
  Follower(storage::KvStore* store, ColumnFamily cf, const storage::Snapshot* snapshot)
      : it_(store->NewIterator(cf, {snapshot, "", ""})) {
    it_->SeekToFirst();
  }
  // The value stored under `code`, or nullptr. REQUIRES: codes ascending across calls.
  const absl::string_view* At(absl::string_view code) {
    while (it_->Valid() && it_->key() < code) it_->Next();
    if (!it_->Valid() || it_->key() != code) return nullptr;
    value_ = it_->value();
    return &value_;
  }
  absl::Status status() const { return it_->status(); }

 private:
  std::unique_ptr<storage::Iterator> it_;
  absl::string_view value_;
};

}  // namespace

absl::StatusOr<scheduler::PlanSpec> PlanSpecOf(const v1::Plan& plan,
                                               const std::vector<v1::InspectionItem>& items) {
  scheduler::PlanSpec spec;
  spec.plan_id = plan.plan_id();
  spec.departments.assign(plan.departments().begin(), plan.departments().end());
  for (const v1::InspectionItem& item : items) {
    spec.items.push_back({item.item_id(), item.department(), item.required_qualification()});
  }
  for (int i = 0; i < plan.quotas_size(); ++i) {
    const v1::ClassQuota& q = plan.quotas(i);
    scheduler::ClassQuota& quota = spec.quotas[q.risk_class() - 1];
    if (q.amount_case() == v1::ClassQuota::kRatio) {
      absl::StatusOr<int64_t> ppm = scheduler::RatioToPpm(q.ratio());
      if (!ppm.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("plan.quotas[", i, "].ratio: ", ppm.status().message()));
      }
      quota = scheduler::ClassQuota::RatioPpm(*ppm);
    } else {
      quota = scheduler::ClassQuota::Count(q.count());
    }
  }
  spec.team_size = plan.team_size();
  spec.workload_cap = plan.workload_cap();
  spec.due_date = FormatDate(plan.due_date());
  spec.listed_targets = ListedTargetsOf(plan);
  switch (plan.credit_class_source()) {
    case v1::CREDIT_CLASS_SOURCE_UNSPECIFIED:
    case v1::CREDIT_CLASS_SOURCE_MODEL:
      spec.credit.class_source = scheduler::ClassSource::kModel;
      break;
    case v1::CREDIT_CLASS_SOURCE_OFFICIAL:
      spec.credit.class_source = scheduler::ClassSource::kOfficial;
      break;
    case v1::CREDIT_CLASS_SOURCE_STRICTER:
      spec.credit.class_source = scheduler::ClassSource::kStricter;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "plan.credit_class_source: ", plan.credit_class_source(),
          " is not MODEL, OFFICIAL or STRICTER"));
  }
  switch (plan.dishonest_list_policy()) {
    case v1::DISHONEST_LIST_POLICY_UNSPECIFIED:
    case v1::DISHONEST_LIST_POLICY_NONE:
      spec.credit.dishonest_policy = scheduler::DishonestPolicy::kNone;
      break;
    case v1::DISHONEST_LIST_POLICY_HIGHEST_RATIO:
      spec.credit.dishonest_policy = scheduler::DishonestPolicy::kHighestRatio;
      break;
    case v1::DISHONEST_LIST_POLICY_ALWAYS:
      spec.credit.dishonest_policy = scheduler::DishonestPolicy::kAlways;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "plan.dishonest_list_policy: ", plan.dishonest_list_policy(),
          " is not NONE, HIGHEST_RATIO or ALWAYS"));
  }
  // The request's names for the policy's fields (ValidatePlanSpec's are the record's).
  if (!spec.credit.is_default() && spec.targeted()) {
    return absl::InvalidArgumentError(
        "plan.credit_class_source: a targeted plan freezes its targets in class B; it takes "
        "no credit class source or dishonest-list policy");
  }
  if (spec.credit.dishonest_policy == scheduler::DishonestPolicy::kHighestRatio &&
      scheduler::HighestRatioClass(spec.quotas) == 0) {
    return absl::InvalidArgumentError(
        "plan.dishonest_list_policy: HIGHEST_RATIO needs at least one ratio quota");
  }
  REG_RETURN_IF_ERROR(scheduler::ValidatePlanSpec(spec));
  return scheduler::CanonicalPlanSpec(std::move(spec));
}

absl::StatusOr<FrozenPlan> PlanFreezer::Freeze(const v1::Plan& plan, absl::Time as_of) {
  std::unique_ptr<storage::Snapshot> snapshot = store_->GetSnapshot();
  const storage::ReadOptions at_snapshot{snapshot.get()};
  FrozenPlan frozen;
  for (const std::string& item_id : plan.item_ids()) {
    absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kItems, item_id, at_snapshot);
    if (absl::IsNotFound(bytes.status())) {
      return absl::NotFoundError(absl::StrCat("plan.item_ids: item ", item_id, " no longer exists"));
    }
    if (!bytes.ok()) return bytes.status();
    REG_ASSIGN_OR_RETURN(v1::InspectionItem item,
                         ParseStored<v1::InspectionItem>(*bytes, "inspection item"));
    frozen.items.push_back(std::move(item));
  }
  // The plan was valid when created; the items may have changed since (another
  // department, a longer text). The request cannot fix that: the plan's state can.
  for (const v1::InspectionItem& item : frozen.items) {
    if (std::find(plan.departments().begin(), plan.departments().end(), item.department()) ==
        plan.departments().end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plan.item_ids: item ", item.item_id(), " now belongs to department ",
          item.department(), ", which is not in the plan; create a plan without it"));
    }
  }
  absl::StatusOr<scheduler::PlanSpec> spec = PlanSpecOf(plan, frozen.items);
  if (!spec.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the plan cannot be committed as its items now stand: ",
                     spec.status().message()));
  }
  frozen.spec = *std::move(spec);
  const scheduler::CreditPolicy& credit = frozen.spec.credit;
  const int dishonest_class =
      credit.dishonest_policy == scheduler::DishonestPolicy::kAlways ? v1::RISK_CLASS_D
      : credit.dishonest_policy == scheduler::DishonestPolicy::kHighestRatio
          ? scheduler::HighestRatioClass(frozen.spec.quotas)
          : 0;
  const int64_t as_of_micros = absl::ToUnixMicros(as_of);

  scheduler::FrozenRoster roster;
  REG_RETURN_IF_ERROR(FreezeInspectors(store_, snapshot.get(), frozen.spec, &roster));
  std::set<std::string> on_roster;
  for (const scheduler::InspectorRecord& i : roster.inspectors) on_roster.insert(i.inspector_id);

  REG_RETURN_IF_ERROR(ClearRows(store_, plan.plan_id()));
  scheduler::PopulationDigester digester;
  storage::WriteBatch batch;
  int64_t eligible = 0;
  Follower history(store_, ColumnFamily::kInspectionHistory, snapshot.get());
  std::vector<std::string> dishonest;  // in credit-code order, as scanned
  int64_t visited = 0;
  std::set<std::string> unlisted;  // a targeted plan's targets not met yet
  for (const scheduler::ListedTarget& t : frozen.spec.listed_targets) unlisted.insert(t.credit_code);
  const bool targeted = frozen.spec.targeted();
  PopulationQuery query;
  // A targeted plan reads every region, so that a target that moved out of the plan's
  // region is told apart from one that left the directory.
  if (!targeted) query.region_prefix = plan.population().region_prefix();
  query.as_of_micros = as_of_micros;
  query.with_credit = !targeted && !credit.is_default();
  REG_RETURN_IF_ERROR(population_->ForEachBatch(
      query, [&](absl::Span<const PopulationRow> rows) -> absl::Status {
        for (const PopulationRow& e : rows) {
          if (++visited % kKeepGoingEvery == 0) REG_RETURN_IF_ERROR(StillWanted(keep_going_));
          if (targeted) {
            if (unlisted.erase(e.credit_code) == 0) continue;
            if (!absl::StartsWith(e.region_code, plan.population().region_prefix())) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "plan.targets: ", e.credit_code, " has moved out of the plan's region since "
                  "the plan was created; create a plan without it"));
            }
          } else if (!Eligible(e, plan.population())) {
            continue;
          }
          // Never scored: the general class; a targeted plan's target: B whatever its
          // score (see the header).
          int risk_class = v1::RISK_CLASS_B;
          if (e.model_class != 0 && !targeted) risk_class = e.model_class;
          if (query.with_credit) {
            if (dishonest_class != 0 && e.dishonest_listed) {
              dishonest.push_back(e.credit_code);
              risk_class = dishonest_class;
            } else {
              risk_class = scheduler::FrozenClassOf(credit.class_source, risk_class,
                                                    e.official_class);
            }
          }
          if (const absl::string_view* bytes = history.At(e.credit_code)) {
            REG_ASSIGN_OR_RETURN(internal::LastTeam team,
                                 ParseStored<internal::LastTeam>(*bytes, "inspection history"));
            for (const std::string& id : team.inspector_ids()) {
              if (on_roster.count(id) > 0) roster.last_inspections.push_back({e.credit_code, id});
            }
          }
          ++frozen.region_counts[e.region_code][risk_class - 1];
          absl::Status row = digester.Add(e.credit_code, risk_class, e.region_code);
          if (!row.ok()) {
            return absl::DataLossError(
                absl::StrCat("enterprise ", e.credit_code, " cannot be frozen: ", row.message()));
          }
          batch.PutOwned(ColumnFamily::kPlanPopulation, PopulationKey(plan.plan_id(), e.credit_code),
                         absl::StrCat(std::string(1, scheduler::RiskClassLetter(risk_class)),
                                      e.region_code));
          ++eligible;
          if (batch.byte_size() >= kRowBatchBytes) {
            REG_RETURN_IF_ERROR(store_->Write(batch));
            batch.Clear();
          }
        }
        return absl::OkStatus();
      }));
  REG_RETURN_IF_ERROR(history.status());
  REG_RETURN_IF_ERROR(store_->Write(batch));
  if (!unlisted.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan.targets: ", *unlisted.begin(), " is no longer in the directory"));
  }
  if (eligible == 0) {
    return absl::FailedPreconditionError(
        "plan.population: no enterprise matches the plan's region, industries and statuses");
  }
  frozen.population = digester.Finish();
  // The listed enterprises are known only now: the plan's record (and digest) names them.
  frozen.spec.credit.dishonest = std::move(dishonest);
  REG_ASSIGN_OR_RETURN(frozen.plan_digest, scheduler::PlanDigest(frozen.spec));

  frozen.roster = scheduler::CanonicalRoster(std::move(roster));
  absl::StatusOr<std::string> roster_digest = scheduler::RosterDigest(frozen.roster);
  if (!roster_digest.ok()) {
    return absl::DataLossError(
        absl::StrCat("the stored roster cannot be frozen: ", roster_digest.status().message()));
  }
  frozen.roster_digest = *roster_digest;
  frozen.roster_json = scheduler::WriteRosterJson(frozen.roster);
  return frozen;
}

absl::StatusOr<FrozenRosterFiles> PlanFreezer::FreezeRoster(
    const scheduler::PlanSpec& spec, const std::vector<std::string>& credit_codes) {
  std::unique_ptr<storage::Snapshot> snapshot = store_->GetSnapshot();
  scheduler::FrozenRoster roster;
  REG_RETURN_IF_ERROR(FreezeInspectors(store_, snapshot.get(), spec, &roster));
  std::set<std::string> on_roster;
  for (const scheduler::InspectorRecord& i : roster.inspectors) on_roster.insert(i.inspector_id);
  const storage::ReadOptions at_snapshot{snapshot.get()};
  for (const std::string& code : credit_codes) {
    absl::StatusOr<std::string> bytes =
        store_->Get(ColumnFamily::kInspectionHistory, code, at_snapshot);
    if (absl::IsNotFound(bytes.status())) continue;
    if (!bytes.ok()) return bytes.status();
    REG_ASSIGN_OR_RETURN(internal::LastTeam team,
                         ParseStored<internal::LastTeam>(*bytes, "inspection history"));
    for (const std::string& id : team.inspector_ids()) {
      if (on_roster.count(id) > 0) roster.last_inspections.push_back({code, id});
    }
  }
  FrozenRosterFiles files;
  files.roster = scheduler::CanonicalRoster(std::move(roster));
  absl::StatusOr<std::string> digest = scheduler::RosterDigest(files.roster);
  if (!digest.ok()) {
    return absl::DataLossError(
        absl::StrCat("the stored roster cannot be frozen: ", digest.status().message()));
  }
  files.roster_digest = *digest;
  files.roster_json = scheduler::WriteRosterJson(files.roster);
  return files;
}

absl::Status StoredPopulationSource::ForEach(const Visitor& visit) {
  const std::string prefix = PopulationPrefix(plan_id_);
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kPlanPopulation, storage::PrefixBounds(prefix));
  int64_t visited = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (++visited % PlanFreezer::kKeepGoingEvery == 0) {
      REG_RETURN_IF_ERROR(StillWanted(keep_going_));
    }
    const absl::string_view code = it->key().substr(prefix.size());
    const absl::string_view value = it->value();
    const int risk_class = value.empty() ? 0 : scheduler::ParseRiskClassLetter(value.substr(0, 1));
    if (risk_class == 0) {
      return absl::DataLossError(absl::StrCat("the frozen population row of ", code, " is corrupt"));
    }
    REG_RETURN_IF_ERROR(visit(code, risk_class, value.substr(1)));
  }
  return it->status();
}

absl::StatusOr<std::pair<int, std::string>> FrozenPopulationRow(storage::KvStore* store,
                                                                absl::string_view plan_id,
                                                                absl::string_view credit_code) {
  absl::StatusOr<std::string> value =
      store->Get(ColumnFamily::kPlanPopulation, PopulationKey(plan_id, credit_code));
  if (!value.ok()) return value.status();
  const int risk_class =
      value->empty() ? 0 : scheduler::ParseRiskClassLetter(absl::string_view(*value).substr(0, 1));
  if (risk_class == 0) return absl::DataLossError("a frozen population row is corrupt");
  return std::make_pair(risk_class, value->substr(1));
}

}  // namespace regulation::services
