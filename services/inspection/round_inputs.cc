#include "services/inspection/round_inputs.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "scheduler/risk_class.h"
#include "scheduler/roster_json.h"
#include "services/inspection/plan_freezer.h"
#include "services/inspection/visit_rules_record.h"

namespace regulation::services {
namespace {

std::vector<v1::InspectionItem> FrozenItems(const internal::PlanRecord& record) {
  return {record.frozen_items().begin(), record.frozen_items().end()};
}

// Every earlier target with its class, the workload so far, the latest team of each.
struct EarlierRounds {
  std::map<std::string, int> target_class;
  std::map<std::string, const v1::Team*> latest_team;
  scheduler::WorkloadCounts workload;
};

EarlierRounds Earlier(const internal::PlanRecord& record) {
  EarlierRounds out;
  for (const v1::Draw& earlier : record.draws()) {
    for (const v1::DrawnTarget& t : earlier.targets()) {
      out.target_class[t.credit_code()] = t.risk_class();
    }
    for (const v1::Team& team : earlier.teams()) {
      out.latest_team[team.credit_code()] = &team;
      if (team.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
      for (const std::string& id : team.inspector_ids()) ++out.workload[id];
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<scheduler::DrawInputs> CommittedInputs(const internal::PlanRecord& record) {
  scheduler::DrawInputs inputs;
  REG_ASSIGN_OR_RETURN(inputs.plan, PlanSpecOf(record.plan(), FrozenItems(record)));
  inputs.plan.credit.dishonest.assign(record.frozen_dishonest().begin(),
                                      record.frozen_dishonest().end());
  REG_RETURN_IF_ERROR(ApplyVisitRules(record.visit_rules(), &inputs.plan));
  const v1::Commitment& c = record.commitment();
  inputs.plan_digest = c.plan_digest();
  inputs.population.overall = c.population_digest();
  for (int k = 0; k < scheduler::kRiskClassCount; ++k) {
    const std::string letter(1, scheduler::RiskClassLetter(k + 1));
    auto digest = c.class_population_digests().find(letter);
    auto size = c.class_sizes().find(letter);
    if (digest == c.class_population_digests().end() || size == c.class_sizes().end()) {
      return absl::DataLossError(absl::StrCat("the commitment of plan ", record.plan().plan_id(),
                                              " lacks class ", letter));
    }
    inputs.population.classes[k] = digest->second;
    inputs.population.class_sizes[k] = size->second;
  }
  inputs.roster_digest = c.roster_digest();
  return inputs;
}

absl::StatusOr<scheduler::RoundCommitment> RoundCommitmentOf(const internal::PlanRecord& record,
                                                             int round) {
  if (round < 0 || round >= record.round_commitment_json_size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan_id: plan ", record.plan().plan_id(),
        " has no regulation.draw.v2 commitment for round ", round,
        " (committed by an older version, whose entropy cannot be checked): create a new "
        "plan"));
  }
  absl::StatusOr<scheduler::RoundCommitment> c =
      scheduler::ParseCommitmentJson(record.round_commitment_json(round));
  if (!c.ok()) {
    return absl::DataLossError(absl::StrCat("the stored commitment of round ", round, " of plan ",
                                            record.plan().plan_id(),
                                            " is corrupt: ", c.status().message()));
  }
  return c;
}

const std::string& RoundRosterJson(const internal::PlanRecord& record, int round) {
  auto own = record.round_roster_json().find(round);
  return own != record.round_roster_json().end() ? own->second : record.frozen_roster_json();
}

absl::StatusOr<scheduler::FrozenRoster> RoundRosterOf(const internal::PlanRecord& record,
                                                      int round) {
  absl::StatusOr<scheduler::FrozenRoster> roster =
      scheduler::ParseRosterJson(RoundRosterJson(record, round));
  if (!roster.ok()) {
    return absl::DataLossError(absl::StrCat("the frozen roster of round ", round, " of plan ",
                                            record.plan().plan_id(),
                                            " is corrupt: ", roster.status().message()));
  }
  return roster;
}

absl::StatusOr<scheduler::ReplacementRound> ReplacementOf(
    const internal::PlanRecord& record,
    const google::protobuf::RepeatedPtrField<std::string>& codes) {
  // A targeted plan's targets have no class to count replacements in, and are never
  // replaced (draw-spec §7).
  if (record.plan().kind() == v1::PLAN_KIND_TARGETED) {
    return absl::FailedPreconditionError(
        "restaff: a targeted plan's listed targets are never replaced; re-staff them instead");
  }
  const EarlierRounds earlier = Earlier(record);
  scheduler::ReplacementRound replacement;
  replacement.prior_workload = earlier.workload;
  const std::set<std::string> replaced_before(record.replaced_codes().begin(),
                                              record.replaced_codes().end());
  for (int i = 0; i < codes.size(); ++i) {
    const std::string field = absl::StrCat("credit_codes[", i, "]");
    auto found = earlier.target_class.find(codes[i]);
    if (found == earlier.target_class.end()) {
      return InvalidField(
          field, absl::StrCat(codes[i], " is not a target of plan ", record.plan().plan_id()));
    }
    if (replaced_before.count(codes[i]) > 0) {
      return InvalidField(field, absl::StrCat(codes[i], " was replaced already"));
    }
    ++replacement.counts[found->second - 1];
    replacement.named.push_back(codes[i]);
  }
  for (const auto& [code, risk_class] : earlier.target_class) replacement.excluded.push_back(code);
  replacement.previous_bundle_digest = record.draws(record.draws_size() - 1).bundle_digest();
  return replacement;
}

absl::StatusOr<scheduler::ReplacementRound> RestaffOf(
    storage::KvStore* store, const internal::PlanRecord& record,
    const google::protobuf::RepeatedPtrField<std::string>& codes) {
  const EarlierRounds earlier = Earlier(record);
  scheduler::ReplacementRound round;
  round.prior_workload = earlier.workload;
  const std::set<std::string> replaced(record.replaced_codes().begin(),
                                       record.replaced_codes().end());
  for (int i = 0; i < codes.size(); ++i) {
    const std::string field = absl::StrCat("credit_codes[", i, "]");
    auto team = earlier.latest_team.find(codes[i]);
    if (team == earlier.latest_team.end()) {
      return InvalidField(
          field, absl::StrCat(codes[i], " is not a target of plan ", record.plan().plan_id()));
    }
    if (replaced.count(codes[i]) > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", codes[i], " was replaced; it is no longer a target"));
    }
    if (team->second->staffing() != v1::STAFFING_STATUS_UNSTAFFED) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": ", codes[i], " is staffed; a re-staffing round staffs unstaffed targets only"));
    }
    REG_ASSIGN_OR_RETURN(auto row, FrozenPopulationRow(store, record.plan().plan_id(), codes[i]));
    round.named.push_back(codes[i]);
    round.restaffed.push_back({codes[i], row.second});
  }
  for (const auto& [code, risk_class] : earlier.target_class) round.excluded.push_back(code);
  round.previous_bundle_digest = record.draws(record.draws_size() - 1).bundle_digest();
  return round;
}

const v1::ReplacementAnnouncement* PendingAnnouncement(const internal::PlanRecord& record) {
  if (record.announcements().empty()) return nullptr;
  const v1::ReplacementAnnouncement& last = *record.announcements().rbegin();
  return last.round() == record.draws_size() ? &last : nullptr;
}

}  // namespace regulation::services
