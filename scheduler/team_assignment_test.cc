#include "scheduler/team_assignment.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "scheduler/plan_spec.h"
#include "scheduler/roster.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/ticket.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::TestCreditCode;
using ::regulation::testing::StatusIs;

// ---- An independent, literal reading of docs/draw-spec.md §8 ----

bool Holds(const InspectorRecord& i, const std::string& q) {
  return std::find(i.qualifications.begin(), i.qualifications.end(), q) != i.qualifications.end();
}

bool InPlan(const PlanSpec& plan, const std::string& department) {
  return std::find(plan.departments.begin(), plan.departments.end(), department) !=
         plan.departments.end();
}

bool Qualified(const InspectorRecord& i, const PlanSpec& plan) {
  for (const PlanItem& item : plan.items) {
    if (item.department == i.department && !item.required_qualification.empty() &&
        !Holds(i, item.required_qualification)) {
      return false;
    }
  }
  return true;
}

bool InConflict(const FrozenRoster& r, const std::string& id, const std::string& code) {
  for (const ConflictRecord& c : r.conflicts) {
    if (c.inspector_id == id && c.credit_code == code) return true;
  }
  return false;
}

bool RotatedOut(const FrozenRoster& r, const std::string& id, const std::string& code) {
  for (const LastInspectionRecord& l : r.last_inspections) {
    if (l.inspector_id == id && l.credit_code == code) return true;
  }
  return false;
}

// First failing rule (0-7) or -1.
int FirstFailure(const InspectorRecord& i, const TeamTarget& t, const FrozenRoster& roster,
                 const PlanSpec& plan, const WorkloadCounts& workload) {
  if (i.status != InspectorStatus::kActive) return 0;
  if (i.certificate_valid_until.empty() || i.certificate_valid_until < plan.due_date) return 1;
  if (!InPlan(plan, i.department)) return 2;
  if (!Qualified(i, plan)) return 3;
  if (!absl::StartsWith(t.region_code, JurisdictionPrefix(i.region_code))) return 4;
  if (InConflict(roster, i.inspector_id, t.credit_code)) return 5;
  if (RotatedOut(roster, i.inspector_id, t.credit_code)) return 6;
  auto w = workload.find(i.inspector_id);
  if (w != workload.end() && w->second >= plan.workload_cap) return 7;
  return -1;
}

std::vector<TeamResult> NaiveTeams(const std::string& seed, const std::vector<TeamTarget>& targets,
                                   const FrozenRoster& roster, PlanSpec plan,
                                   WorkloadCounts workload) {
  static const char* kPhrases[] = {"not active",
                                   "without a certificate valid through the due date",
                                   "of other departments",
                                   "without the required qualifications",
                                   "outside jurisdiction",
                                   "in conflict",
                                   "rotated out",
                                   "at the workload cap",
                                   "held back to cover other departments"};
  std::sort(plan.departments.begin(), plan.departments.end());
  std::vector<TeamResult> results;
  for (const TeamTarget& t : targets) {
    const std::string team_seed = seed + ":team:" + t.credit_code;
    std::vector<const InspectorRecord*> order;
    for (const InspectorRecord& i : roster.inspectors) order.push_back(&i);
    std::sort(order.begin(), order.end(), [&](const InspectorRecord* a, const InspectorRecord* b) {
      const int c = CompareTicketStrings(FirstFraction(a->inspector_id, team_seed),
                                         FirstFraction(b->inspector_id, team_seed));
      return c != 0 ? c < 0 : a->inspector_id < b->inspector_id;
    });
    std::vector<const InspectorRecord*> team;
    int counts[9] = {};
    for (const InspectorRecord* i : order) {
      int rule = FirstFailure(*i, t, roster, plan, workload);
      if (rule < 0 && static_cast<int>(team.size()) < plan.team_size) {
        std::set<std::string> covered{i->department};
        for (const InspectorRecord* m : team) covered.insert(m->department);
        int missing = 0;
        for (const std::string& d : plan.departments) missing += covered.count(d) == 0;
        if (missing > plan.team_size - static_cast<int>(team.size()) - 1) {
          rule = 8;
        } else {
          team.push_back(i);
          continue;
        }
      }
      if (rule >= 0) ++counts[rule];
    }
    TeamResult r;
    r.credit_code = t.credit_code;
    if (static_cast<int>(team.size()) == plan.team_size) {
      r.status = StaffingStatus::kStaffed;
      for (const InspectorRecord* m : team) {
        ++workload[m->inspector_id];
        r.inspector_ids.push_back(m->inspector_id);
      }
    } else {
      std::vector<std::string> parts;
      for (int k = 0; k < 9; ++k) {
        if (counts[k] > 0) parts.push_back(absl::StrCat(counts[k], " ", kPhrases[k]));
      }
      r.reason =
          absl::StrFormat("%d of %d inspectors found; excluded: %s", team.size(), plan.team_size,
                          parts.empty() ? "none" : absl::StrJoin(parts, ", "));
      std::set<std::string> covered;
      for (const InspectorRecord* m : team) covered.insert(m->department);
      std::vector<std::string> missing;
      for (const std::string& d : plan.departments) {
        if (covered.count(d) == 0) missing.push_back(d);
      }
      if (plan.departments.size() > 1 && !missing.empty()) {
        absl::StrAppend(&r.reason, "; departments not covered: ", absl::StrJoin(missing, ", "));
      }
    }
    results.push_back(r);
  }
  return results;
}

// ---- Random scenarios ----

struct Scenario {
  PlanSpec plan;
  FrozenRoster roster;
  std::vector<TeamTarget> targets;
  WorkloadCounts prior;
};

Scenario RandomScenario(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const std::vector<std::string> departments = {"市场监管局", "消防救援", "卫健委"};
  const std::vector<std::string> qualifications = {"食品安全", "消防监督", "特种设备", "药品"};
  const std::vector<std::string> enterprise_regions = {"330102", "330106", "330203", "330212",
                                                       "110101"};
  const std::vector<std::string> inspector_regions = {"330100", "330000", "330102", "330106",
                                                      "330200", "330212", "110000", "110101"};
  const std::vector<std::string> dates = {"", "2026-06-30", "2026-12-31", "2027-12-31",
                                          "2028-01-01"};
  Scenario s;
  PlanSpec& plan = s.plan;
  plan.plan_id = "P";
  const int plan_departments = 1 + pick(3);
  for (int d = 0; d < plan_departments; ++d) plan.departments.push_back(departments[d]);
  int item = 0;
  for (const std::string& d : plan.departments) {
    for (int k = pick(3); k > 0; --k) {
      plan.items.push_back({absl::StrCat("I", item++), d,
                            pick(4) == 0 ? "" : qualifications[pick(qualifications.size())]});
    }
  }
  plan.team_size = std::max(plan_departments, 2 + pick(3));
  plan.workload_cap = 1 + pick(4);
  plan.due_date = "2026-12-31";
  const int inspectors = 3 + pick(30);
  for (int i = 0; i < inspectors; ++i) {
    InspectorRecord r;
    r.inspector_id = absl::StrCat("INS-", i);
    r.department = pick(8) == 0 ? "其他" : departments[pick(departments.size())];
    r.region_code = inspector_regions[pick(inspector_regions.size())];
    r.certificate_valid_until = pick(5) == 0 ? dates[pick(3)] : dates[3 + pick(2)];
    for (const std::string& q : qualifications) {
      if (pick(3) > 0) r.qualifications.push_back(q);
    }
    r.status = pick(10) == 0
                   ? InspectorStatus::kUnavailable
                   : (pick(20) == 0 ? InspectorStatus::kRetired : InspectorStatus::kActive);
    s.roster.inspectors.push_back(r);
    if (pick(3) == 0) s.prior[r.inspector_id] = pick(plan.workload_cap + 1);
  }
  const int targets = 1 + pick(25);
  for (int t = 0; t < targets; ++t) {
    const std::string region = enterprise_regions[pick(enterprise_regions.size())];
    s.targets.push_back({TestCreditCode(t, region), pick(15) == 0 ? "" : region});
  }
  for (int k = pick(3 * targets); k > 0; --k) {
    const std::string& code = s.targets[pick(targets)].credit_code;
    const std::string id = absl::StrCat("INS-", pick(inspectors + 2));
    if (pick(2) == 0) {
      s.roster.conflicts.push_back({id, code});
    } else {
      s.roster.last_inspections.push_back({code, id});
    }
  }
  return s;
}

std::string Describe(const TeamResult& t) {
  return absl::StrCat(t.credit_code, " ", StaffingStatusName(t.status), " [",
                      absl::StrJoin(t.inspector_ids, ","), "] ", t.reason);
}

TEST(AssignTeams, EveryStaffedTeamSatisfiesEveryRule) {
  std::mt19937_64 rng(20260301);
  int staffed = 0;
  int unstaffed = 0;
  for (int round = 0; round < 300; ++round) {
    const Scenario s = RandomScenario(rng);
    WorkloadCounts workload = s.prior;
    TeamOptions options;
    options.threads = 1 + round % 3;
    absl::StatusOr<std::vector<TeamResult>> teams = AssignTeams(
        "seed-" + std::to_string(round), s.targets, s.roster, s.plan, &workload, options);
    ASSERT_OK(teams);
    ASSERT_EQ(teams->size(), s.targets.size());
    std::map<std::string, int64_t> load(s.prior.begin(), s.prior.end());
    for (size_t k = 0; k < teams->size(); ++k) {
      const TeamResult& team = (*teams)[k];
      const TeamTarget& target = s.targets[k];
      EXPECT_EQ(team.credit_code, target.credit_code);
      if (team.status == StaffingStatus::kUnstaffed) {
        ++unstaffed;
        EXPECT_TRUE(team.inspector_ids.empty());
        EXPECT_TRUE(absl::StrContains(
            team.reason, absl::StrFormat(" of %d inspectors found; excluded: ", s.plan.team_size)))
            << team.reason;
        continue;
      }
      ++staffed;
      EXPECT_TRUE(team.reason.empty());
      ASSERT_EQ(static_cast<int>(team.inspector_ids.size()), s.plan.team_size);
      std::set<std::string> members(team.inspector_ids.begin(), team.inspector_ids.end());
      EXPECT_EQ(members.size(), team.inspector_ids.size());
      std::set<std::string> covered;
      for (const std::string& id : team.inspector_ids) {
        const InspectorRecord* inspector = nullptr;
        for (const InspectorRecord& r : s.roster.inspectors) {
          if (r.inspector_id == id) inspector = &r;
        }
        ASSERT_NE(inspector, nullptr);
        EXPECT_EQ(inspector->status, InspectorStatus::kActive);
        EXPECT_GE(inspector->certificate_valid_until, s.plan.due_date);
        EXPECT_TRUE(InPlan(s.plan, inspector->department));
        EXPECT_TRUE(Qualified(*inspector, s.plan));
        EXPECT_TRUE(
            absl::StartsWith(target.region_code, JurisdictionPrefix(inspector->region_code)));
        EXPECT_FALSE(InConflict(s.roster, id, target.credit_code));
        EXPECT_FALSE(RotatedOut(s.roster, id, target.credit_code));
        EXPECT_LE(++load[id], s.plan.workload_cap) << id;
        covered.insert(inspector->department);
      }
      EXPECT_EQ(covered.size(), s.plan.departments.size()) << "every department on the team";
    }
    // The workload returned is the prior plus the staffed teams.
    for (const auto& [id, count] : load) {
      const auto it = workload.find(id);
      EXPECT_EQ(it == workload.end() ? 0 : it->second, count) << id;
    }
  }
  // The scenarios exercise both outcomes.
  EXPECT_GT(staffed, 200);
  EXPECT_GT(unstaffed, 200);
}

TEST(AssignTeams, MatchesALiteralReadingOfTheSpec) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 150; ++round) {
    const Scenario s = RandomScenario(rng);
    const std::string seed = "literal-" + std::to_string(round);
    WorkloadCounts workload = s.prior;
    absl::StatusOr<std::vector<TeamResult>> teams =
        AssignTeams(seed, s.targets, s.roster, s.plan, &workload);
    ASSERT_OK(teams);
    const std::vector<TeamResult> expected = NaiveTeams(seed, s.targets, s.roster, s.plan, s.prior);
    for (size_t k = 0; k < expected.size(); ++k) {
      EXPECT_EQ(Describe((*teams)[k]), Describe(expected[k])) << "round " << round << " team " << k;
    }
  }
}

FrozenRoster JointRoster() {
  FrozenRoster roster;
  for (int i = 0; i < 6; ++i) {
    roster.inspectors.push_back({absl::StrCat("M", i),
                                 "market",
                                 "330100",
                                 "2027-12-31",
                                 {"food"},
                                 InspectorStatus::kActive});
  }
  roster.inspectors.push_back({"F0", "fire", "330100", "2027-12-31", {}, InspectorStatus::kActive});
  roster.inspectors.push_back({"F1", "fire", "330106", "2027-12-31", {}, InspectorStatus::kActive});
  return roster;
}

PlanSpec JointPlan() {
  PlanSpec plan;
  plan.plan_id = "joint";
  plan.departments = {"market", "fire"};
  plan.items = {{"M-1", "market", "food"}, {"F-1", "fire", ""}};
  plan.team_size = 2;
  plan.workload_cap = 100;
  plan.due_date = "2026-12-31";
  return plan;
}

TEST(AssignTeams, JointPlanPutsEveryDepartmentOnOneTeam) {
  std::vector<TeamTarget> targets;
  for (int i = 0; i < 40; ++i) targets.push_back({TestCreditCode(i, "330106"), "330106"});
  WorkloadCounts workload;
  absl::StatusOr<std::vector<TeamResult>> teams =
      AssignTeams("joint", targets, JointRoster(), JointPlan(), &workload);
  ASSERT_OK(teams);
  for (const TeamResult& team : *teams) {
    ASSERT_EQ(team.status, StaffingStatus::kStaffed) << team.reason;
    const int fire = std::count_if(team.inspector_ids.begin(), team.inspector_ids.end(),
                                   [](const std::string& id) { return id[0] == 'F'; });
    EXPECT_EQ(fire, 1) << "one visit: one market and one fire inspector";
  }
  EXPECT_EQ(workload["F0"] + workload["F1"], 40);
}

TEST(AssignTeams, JointPlanWithoutADepartmentIsUnstaffedAndSaysWhy) {
  FrozenRoster roster = JointRoster();
  roster.inspectors.push_back(
      {"ZJ", "market", "330000", "2027-12-31", {"food"}, InspectorStatus::kActive});
  // Ningbo: only the province-level market inspector covers it, no fire inspector does.
  const std::vector<TeamTarget> targets = {{TestCreditCode(1, "330203"), "330203"}};
  WorkloadCounts workload;
  absl::StatusOr<std::vector<TeamResult>> teams =
      AssignTeams("joint", targets, roster, JointPlan(), &workload);
  ASSERT_OK(teams);
  const TeamResult& team = (*teams)[0];
  EXPECT_EQ(team.status, StaffingStatus::kUnstaffed);
  EXPECT_TRUE(team.inspector_ids.empty());
  EXPECT_EQ(team.reason,
            "1 of 2 inspectors found; excluded: 8 outside jurisdiction; "
            "departments not covered: fire");
  EXPECT_TRUE(workload.empty()) << "a partial team counts towards no workload";
}

TEST(AssignTeams, ReportsTheBindingConstraint) {
  FrozenRoster roster = JointRoster();
  PlanSpec plan = JointPlan();
  plan.workload_cap = 1;
  const std::string code = TestCreditCode(1, "330106");
  roster.conflicts.push_back({"F0", code});
  roster.last_inspections.push_back({code, "F1"});
  WorkloadCounts workload;
  absl::StatusOr<std::vector<TeamResult>> teams =
      AssignTeams("s", {{code, "330106"}}, roster, plan, &workload);
  ASSERT_OK(teams);
  EXPECT_EQ((*teams)[0].reason,
            "1 of 2 inspectors found; excluded: 1 in conflict, 1 rotated out, "
            "5 held back to cover other departments; departments not covered: fire");
}

TEST(AssignTeams, WorkloadCapAppliesAcrossTargets) {
  FrozenRoster roster;
  for (const char* id : {"A", "B", "C"}) {
    roster.inspectors.push_back(
        {id, "market", "330000", "2027-12-31", {}, InspectorStatus::kActive});
  }
  PlanSpec plan = JointPlan();
  plan.departments = {"market"};
  plan.items.clear();
  plan.workload_cap = 2;
  std::vector<TeamTarget> targets;
  for (int i = 0; i < 4; ++i) targets.push_back({TestCreditCode(i, "330106"), "330106"});
  WorkloadCounts workload;
  absl::StatusOr<std::vector<TeamResult>> teams =
      AssignTeams("cap", targets, roster, plan, &workload);
  ASSERT_OK(teams);
  // Three inspectors with a cap of two give at most six seats: the fourth target of two
  // can never be staffed, and the reason says why.
  EXPECT_EQ((*teams)[3].status, StaffingStatus::kUnstaffed);
  EXPECT_TRUE(absl::StrContains((*teams)[3].reason, "at the workload cap")) << (*teams)[3].reason;
  int64_t total = 0;
  for (const auto& [id, count] : workload) {
    EXPECT_LE(count, 2) << id;
    total += count;
  }
  int staffed = 0;
  for (const TeamResult& team : *teams) staffed += team.status == StaffingStatus::kStaffed;
  EXPECT_EQ(total, 2 * staffed);
}

TEST(AssignTeams, RejectsAnInvalidRoster) {
  FrozenRoster roster = JointRoster();
  roster.inspectors[0].region_code = "3301";
  WorkloadCounts workload;
  EXPECT_THAT(AssignTeams("s", {}, roster, JointPlan(), &workload),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scheduler
