#include "services/inspection/draw_fanout.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/v1/enterprise.pb.h"
#include "services/inspection/joint_visits.h"

namespace regulation::services {

using storage::ColumnFamily;

absl::StatusOr<std::vector<v1::Assignment>> AssignmentsOf(storage::KvStore* store,
                                                          PopulationFeed* population,
                                                          const internal::PlanRecord& record,
                                                          const v1::Draw& draw, const Teams& teams) {
  std::vector<std::string> codes;
  for (const v1::Team& team : teams) codes.push_back(team.credit_code());
  REG_ASSIGN_OR_RETURN(std::vector<absl::StatusOr<v1::Enterprise>> enterprises,
                       population->GetEnterprises(codes));
  // Team-mates' names and phones, from the roster as it is now.
  std::vector<std::string> inspector_ids;
  for (const v1::Team& team : teams) {
    inspector_ids.insert(inspector_ids.end(), team.inspector_ids().begin(),
                         team.inspector_ids().end());
  }
  std::vector<absl::StatusOr<std::string>> rows =
      store->MultiGet(ColumnFamily::kInspectors, inspector_ids);
  std::map<std::string, v1::Inspector> roster;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].ok()) {
      if (absl::IsNotFound(rows[i].status())) continue;  // left the roster: id only
      return rows[i].status();
    }
    v1::Inspector inspector;
    if (!inspector.ParseFromString(*rows[i])) {
      return absl::DataLossError(absl::StrCat("stored inspector ", inspector_ids[i]));
    }
    roster[inspector_ids[i]] = std::move(inspector);
  }
  std::vector<v1::Assignment> out;
  for (int t = 0; t < teams.size(); ++t) {
    const v1::Team& team = teams[t];
    if (team.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
    v1::Enterprise enterprise;
    if (enterprises[t].ok()) {
      enterprise = *std::move(enterprises[t]);
    } else if (!absl::IsNotFound(enterprises[t].status())) {
      return enterprises[t].status();
    }
    for (const std::string& inspector : team.inspector_ids()) {
      v1::Assignment a;
      a.set_assignment_id(absl::StrCat(draw.plan_id(), "/", team.credit_code(), "/", inspector));
      a.set_plan_id(draw.plan_id());
      a.set_inspector_id(inspector);
      a.set_credit_code(team.credit_code());
      a.set_enterprise_name(enterprise.name());
      a.set_address(enterprise.address());
      for (const v1::InspectionItem& item : record.frozen_items()) {
        v1::AssignmentItem* i = a.add_items();
        i->set_item_id(item.item_id());
        i->set_title(item.title());
        i->set_legal_basis(item.legal_basis());
      }
      for (const std::string& mate : team.inspector_ids()) {
        if (mate == inspector) continue;
        a.add_teammate_ids(mate);
        v1::Teammate* teammate = a.add_teammates();
        teammate->set_inspector_id(mate);
        if (auto found = roster.find(mate); found != roster.end()) {
          teammate->set_name(found->second.name());
          teammate->set_work_phone(found->second.work_phone());
        }
      }
      *a.mutable_due_date() = record.plan().due_date();
      *a.mutable_assign_time() = draw.draw_time();
      out.push_back(std::move(a));
    }
  }
  return out;
}

absl::Status StageHistory(storage::KvStore* store, absl::string_view plan_id, const Teams& teams,
                          storage::WriteBatch* batch) {
  for (const v1::Team& team : teams) {
    if (team.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
    internal::LastTeam latest;
    latest.set_plan_id(std::string(plan_id));
    *latest.mutable_inspector_ids() = team.inspector_ids();
    absl::StatusOr<std::string> earlier =
        store->Get(ColumnFamily::kInspectionHistory, team.credit_code());
    if (earlier.ok()) {
      internal::LastTeam previous;
      if (!previous.ParseFromString(*earlier)) return absl::DataLossError("stored history");
      // Written already by this draw (a fan-out resumed after a crash): keep it, with the
      // entry it replaced. (No round of a plan staffs a target another round staffed.)
      if (previous.plan_id() == plan_id) continue;
      previous.clear_previous();  // one level is enough to undo a replacement
      *latest.mutable_previous() = std::move(previous);
    } else if (!absl::IsNotFound(earlier.status())) {
      return earlier.status();
    }
    batch->Put(ColumnFamily::kInspectionHistory, team.credit_code(), latest.SerializeAsString());
  }
  return absl::OkStatus();
}


absl::Status StageHistoryRollback(storage::KvStore* store, absl::string_view plan_id,
                                  absl::string_view credit_code, storage::WriteBatch* batch) {
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kInspectionHistory, credit_code);
  if (absl::IsNotFound(bytes.status())) return absl::OkStatus();
  if (!bytes.ok()) return bytes.status();
  internal::LastTeam latest;
  if (!latest.ParseFromString(*bytes)) return absl::DataLossError("stored history");
  if (latest.plan_id() != plan_id) return absl::OkStatus();
  if (latest.has_previous()) {
    batch->Put(ColumnFamily::kInspectionHistory, credit_code,
               latest.previous().SerializeAsString());
  } else {
    batch->Delete(ColumnFamily::kInspectionHistory, credit_code);
  }
  return absl::OkStatus();
}

absl::Status FanOutInParts(storage::KvStore* store, PopulationFeed* population,
                           DrawArchive* archive, AssignmentBoard* board,
                           const internal::PlanRecord& record, const v1::Draw& draw) {
  return archive->ForEachSlice(draw, [&](const internal::DrawSlice& slice) -> absl::Status {
    REG_ASSIGN_OR_RETURN(std::vector<v1::Assignment> assignments,
                         AssignmentsOf(store, population, record, draw, slice.teams()));
    REG_ASSIGN_OR_RETURN(
        std::vector<v1::Assignment> joined,
        LinkJointVisits(store, archive, board, record, draw, slice.teams(), &assignments));
    assignments.insert(assignments.end(), joined.begin(), joined.end());
    storage::WriteBatch batch;
    AssignmentBoard::Stage(assignments, &batch);
    REG_RETURN_IF_ERROR(StageHistory(store, draw.plan_id(), slice.teams(), &batch));
    REG_RETURN_IF_ERROR(store->Write(batch, storage::WriteOptions{/*sync=*/true}));
    board->Publish(assignments);
    return absl::OkStatus();
  });
}

}  // namespace regulation::services
