#include "services/inspection/joint_visits.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// The earlier round's teams on the targets `codes`, and its plan's due date.
struct EarlierTeams {
  std::map<std::string, v1::Team> by_code;
  v1::Date due_date;
};

absl::StatusOr<EarlierTeams> ReadEarlierTeams(storage::KvStore* store, DrawArchive* archive,
                                              const v1::JointVisit& visit,
                                              const std::set<std::string>& codes) {
  const std::string where =
      absl::StrCat("joint visit with ", visit.plan_id(), " round ", visit.round(), ": ");
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kPlans, visit.plan_id());
  if (!bytes.ok()) {
    return absl::DataLossError(absl::StrCat(where, "the plan cannot be read: ",
                                            bytes.status().message()));
  }
  internal::PlanRecord earlier;
  if (!earlier.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(where, "the stored plan is corrupt"));
  }
  if (visit.round() < 0 || visit.round() >= earlier.draws_size() ||
      earlier.draws(visit.round()).bundle_digest() != visit.bundle_digest()) {
    return absl::DataLossError(absl::StrCat(where, "no such round with bundle ",
                                            visit.bundle_digest()));
  }
  EarlierTeams out;
  out.due_date = earlier.plan().due_date();
  REG_RETURN_IF_ERROR(archive->ForEachSlice(
      earlier.draws(visit.round()), [&](const internal::DrawSlice& slice) -> absl::Status {
        for (const v1::Team& team : slice.teams()) {
          if (codes.count(team.credit_code()) > 0) out.by_code[team.credit_code()] = team;
        }
        return absl::OkStatus();
      }));
  return out;
}

// A team as the other plan's assignments name it.
v1::JointPartner PartnerOf(const v1::JointVisit& visit, const v1::Team* team,
                           const v1::Date& due_date) {
  v1::JointPartner partner;
  *partner.mutable_visit() = visit;
  if (team != nullptr && team->staffing() == v1::STAFFING_STATUS_STAFFED) {
    for (const std::string& id : team->inspector_ids()) {
      partner.add_inspector_ids(id);
      partner.add_assignment_ids(absl::StrCat(visit.plan_id(), "/", team->credit_code(), "/", id));
    }
  }
  *partner.mutable_due_date() = due_date;
  return partner;
}

}  // namespace

absl::StatusOr<std::vector<v1::Assignment>> LinkJointVisits(
    storage::KvStore* store, DrawArchive* archive, AssignmentBoard* board,
    const internal::PlanRecord& record, const v1::Draw& draw,
    const google::protobuf::RepeatedPtrField<v1::Team>& teams,
    std::vector<v1::Assignment>* assignments) {
  // The joint targets, by the earlier round that drew them (its bundle digest).
  std::map<std::string, std::set<std::string>> codes_by_round;
  std::map<std::string, v1::JointVisit> rounds;
  std::map<std::string, const v1::Team*> joint_teams;
  for (const v1::Team& team : teams) {
    if (!team.has_joint_visit()) continue;
    codes_by_round[team.joint_visit().bundle_digest()].insert(team.credit_code());
    rounds[team.joint_visit().bundle_digest()] = team.joint_visit();
    joint_teams[team.credit_code()] = &team;
  }
  std::vector<v1::Assignment> earlier_updated;
  if (joint_teams.empty()) return earlier_updated;

  v1::JointVisit this_round;
  this_round.set_plan_id(draw.plan_id());
  this_round.set_round(draw.round());
  this_round.set_bundle_digest(draw.bundle_digest());
  std::map<std::string, v1::JointPartner> partner_of;  // credit code -> the earlier team
  for (const auto& [digest, codes] : codes_by_round) {
    const v1::JointVisit& visit = rounds[digest];
    REG_ASSIGN_OR_RETURN(EarlierTeams earlier, ReadEarlierTeams(store, archive, visit, codes));
    for (const std::string& code : codes) {
      auto found = earlier.by_code.find(code);
      const v1::Team* team = found == earlier.by_code.end() ? nullptr : &found->second;
      partner_of[code] = PartnerOf(visit, team, earlier.due_date);
      if (team == nullptr || team->staffing() != v1::STAFFING_STATUS_STAFFED) continue;
      // The earlier plan's assignments on this target name this round's team.
      const v1::JointPartner joined =
          PartnerOf(this_round, joint_teams[code], record.plan().due_date());
      for (const std::string& inspector : team->inspector_ids()) {
        absl::StatusOr<v1::Assignment> a = board->Find(inspector, visit.plan_id(), code);
        if (absl::IsNotFound(a.status())) continue;  // withdrawn since (a replacement)
        if (!a.ok()) return a.status();
        bool already = false;
        for (const v1::JointPartner& p : a->joined_by()) {
          already = already || (p.visit().plan_id() == draw.plan_id() &&
                                p.visit().round() == draw.round());
        }
        if (already) continue;
        *a->add_joined_by() = joined;
        earlier_updated.push_back(*std::move(a));
      }
    }
  }
  for (v1::Assignment& a : *assignments) {
    auto partner = partner_of.find(a.credit_code());
    if (partner != partner_of.end()) *a.mutable_joint_partner() = partner->second;
  }
  return earlier_updated;
}

absl::StatusOr<std::vector<v1::Assignment>> UnlinkJointVisits(
    AssignmentBoard* board, const std::vector<v1::Assignment>& withdrawn) {
  // The partners' assignments, by "<plan>/<code>/<inspector>", each read once and changed
  // for every withdrawn team-mate that names it.
  std::map<std::string, v1::Assignment> updated;
  std::vector<std::string> order;
  auto partner = [&](absl::string_view inspector, absl::string_view plan_id,
                     absl::string_view code) -> absl::StatusOr<v1::Assignment*> {
    const std::string id = absl::StrCat(plan_id, "/", code, "/", inspector);
    auto found = updated.find(id);
    if (found != updated.end()) return &found->second;
    absl::StatusOr<v1::Assignment> a = board->Find(inspector, plan_id, code);
    if (absl::IsNotFound(a.status())) return nullptr;  // withdrawn itself
    if (!a.ok()) return a.status();
    order.push_back(id);
    return &(updated[id] = *std::move(a));
  };
  for (const v1::Assignment& key : withdrawn) {
    absl::StatusOr<v1::Assignment> gone =
        board->Find(key.inspector_id(), key.plan_id(), key.credit_code());
    if (absl::IsNotFound(gone.status())) continue;
    if (!gone.ok()) return gone.status();
    const std::string& code = gone->credit_code();
    // This plan joined an earlier one: the earlier team's assignments no longer name it.
    if (gone->has_joint_partner()) {
      const v1::JointPartner& earlier = gone->joint_partner();
      for (const std::string& inspector : earlier.inspector_ids()) {
        REG_ASSIGN_OR_RETURN(v1::Assignment* a, partner(inspector, earlier.visit().plan_id(), code));
        if (a == nullptr) continue;
        auto* joined = a->mutable_joined_by();
        joined->erase(std::remove_if(joined->begin(), joined->end(),
                                     [&](const v1::JointPartner& p) {
                                       return p.visit().plan_id() == gone->plan_id();
                                     }),
                      joined->end());
      }
    }
    // Later plans joined this one: their teams visit alone now.
    for (const v1::JointPartner& later : gone->joined_by()) {
      for (const std::string& inspector : later.inspector_ids()) {
        REG_ASSIGN_OR_RETURN(v1::Assignment* a, partner(inspector, later.visit().plan_id(), code));
        if (a != nullptr && a->joint_partner().visit().plan_id() == gone->plan_id()) {
          a->clear_joint_partner();
        }
      }
    }
  }
  std::vector<v1::Assignment> out;
  out.reserve(order.size());
  for (const std::string& id : order) out.push_back(std::move(updated[id]));
  return out;
}

}  // namespace regulation::services
