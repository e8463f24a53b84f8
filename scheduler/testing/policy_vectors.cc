#include "scheduler/testing/policy_vectors.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "scheduler/draw.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/testing/draw_fixtures.h"

namespace regulation::scheduler::testing {
namespace {

// The earlier plan's round 0 is committed nine days before the spec plan's.
constexpr char kEarlierPlan[] = "PLAN-2026-HZ-001";
constexpr char kEarlierCommit[] = "2026-02-20T02:00:00.000000Z";

// One spec enterprise's classes and listing (spec_credit.csv).
struct CreditRow {
  std::string code;
  int model = 0;     // its class in the spec population
  int official = 0;  // 0: none imported
  std::string region;
  bool listed = false;
};

// A fixed pattern: no official class, one class riskier, class A, the same; every ninth
// enterprise from the fifth on the dishonest list.
std::vector<CreditRow> SpecCredit() {
  const FrozenPopulation spec = SpecPopulation();
  std::vector<CreditRow> rows;
  for (size_t i = 0; i < spec.size(); ++i) {
    CreditRow& r = rows.emplace_back();
    r.code = std::string(spec.credit_code(i));
    r.model = spec.risk_class(i);
    r.official = i % 4 == 0 ? 0 : i % 4 == 1 ? std::min(r.model + 1, 4) : i % 4 == 2 ? 1 : r.model;
    r.region = std::string(spec.region_code(i));
    r.listed = i % 9 == 4;
  }
  return rows;
}

std::string CreditCsv(const std::vector<CreditRow>& rows) {
  std::string out = "credit_code,model_class,official_class,listed\n";
  for (const CreditRow& r : rows) {
    absl::StrAppend(&out, r.code, ",", std::string(1, RiskClassLetter(r.model)), ",",
                    r.official == 0 ? "" : std::string(1, RiskClassLetter(r.official)), ",",
                    r.listed ? "1" : "0", "\n");
  }
  return out;
}

// The population frozen under `plan`'s credit policy (§3.4), and its dishonest list.
absl::StatusOr<FrozenPopulation> FrozenUnder(PlanSpec* plan, const std::vector<CreditRow>& rows) {
  FrozenPopulation population;
  plan->credit.dishonest.clear();
  for (const CreditRow& r : rows) {
    int frozen = FrozenClassOf(plan->credit.class_source, r.model, r.official);
    if (r.listed && plan->credit.dishonest_policy == DishonestPolicy::kHighestRatio) {
      frozen = HighestRatioClass(plan->quotas);
    } else if (r.listed && plan->credit.dishonest_policy == DishonestPolicy::kAlways) {
      frozen = 4;
    }
    if (r.listed && plan->credit.dishonest_policy != DishonestPolicy::kNone) {
      plan->credit.dishonest.push_back(r.code);
    }
    REG_RETURN_IF_ERROR(population.Add(r.code, frozen, r.region));
  }
  REG_RETURN_IF_ERROR(population.Freeze());
  return population;
}

// Round 0 of `inputs`' plan over `population`, sealed and signed for it.
absl::StatusOr<DrawResult> Draw(DrawInputs inputs, const FrozenPopulation& population) {
  inputs.plan = CanonicalPlanSpec(inputs.plan);
  REG_ASSIGN_OR_RETURN(inputs.plan_digest, PlanDigest(inputs.plan));
  inputs.population = population.Digests();
  ResealSpecInputs(&inputs);
  FrozenPopulationSource source(&population);
  return RunDraw(inputs, source, SpecRoster());
}

// What the service freezes at commit: every target of `earlier`, with its round.
NoRepeatRule RuleOver(const DrawResult& earlier, RepeatMode mode) {
  NoRepeatRule rule;
  rule.window_days = 30;
  rule.scope = RepeatScope::kDepartment;
  rule.mode = mode;
  rule.considered.push_back({earlier.bundle_digest, earlier.bundle.plan.plan_id,
                             earlier.bundle.round, earlier.bundle.commitment.committed_at});
  for (const BundleTarget& t : earlier.bundle.targets) {
    rule.excluded.push_back({t.credit_code, earlier.bundle_digest});
  }
  CanonicalizeNoRepeatRule(&rule);
  return rule;
}

// A granted recusal of the first inspector of each of the first `n` staffed teams of
// `drawn` (so that the recusals bite the same plan drawn again with them).
std::vector<GrantedRecusal> RecusalsFrom(const DrawResult& drawn, int n) {
  std::vector<GrantedRecusal> out;
  for (const TeamResult& team : drawn.bundle.teams) {
    if (static_cast<int>(out.size()) == n) break;
    if (team.inspector_ids.empty()) continue;
    out.push_back({absl::StrCat("RC-000", out.size() + 1), team.credit_code, team.inspector_ids[0]});
  }
  return out;
}

absl::Status Add(const std::string& name, const absl::StatusOr<DrawResult>& result,
                 std::vector<VectorFile>* out) {
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat(name, ": ", result.status().message()));
  }
  out->push_back({absl::StrCat("spec_bundle_", name, ".json"), result->bundle_json});
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<VectorFile>> PolicyVectors() {
  std::vector<VectorFile> out;
  const std::vector<CreditRow> credit = SpecCredit();
  out.push_back({"spec_credit.csv", CreditCsv(credit)});
  const FrozenPopulation spec = SpecPopulation();

  // The credit policies. Class D by ratio, so that a ticket can leave a member out.
  DrawInputs base = SpecRound0Inputs();
  base.plan.quotas[3] = ClassQuota::RatioPpm(200000);
  DrawInputs always = base;
  always.plan.credit.class_source = ClassSource::kStricter;
  always.plan.credit.dishonest_policy = DishonestPolicy::kAlways;
  REG_ASSIGN_OR_RETURN(const FrozenPopulation always_population,
                       FrozenUnder(&always.plan, credit));
  REG_RETURN_IF_ERROR(Add("credit_always", Draw(always, always_population), &out));
  DrawInputs highest = base;
  highest.plan.credit.class_source = ClassSource::kOfficial;
  highest.plan.credit.dishonest_policy = DishonestPolicy::kHighestRatio;
  REG_ASSIGN_OR_RETURN(const FrozenPopulation highest_population,
                       FrozenUnder(&highest.plan, credit));
  REG_RETURN_IF_ERROR(Add("credit_highest", Draw(highest, highest_population), &out));

  // An earlier plan's round 0, and the spec plan with a no-repeat rule over it.
  DrawInputs earlier_inputs = SpecRound0Inputs();
  earlier_inputs.plan.plan_id = kEarlierPlan;
  earlier_inputs.commitment.committed_at = kEarlierCommit;
  const absl::StatusOr<DrawResult> earlier = Draw(earlier_inputs, spec);
  REG_RETURN_IF_ERROR(Add("earlier", earlier, &out));
  DrawInputs exclude = SpecRound0Inputs();
  exclude.plan.no_repeat = RuleOver(*earlier, RepeatMode::kExclude);
  REG_ASSIGN_OR_RETURN(const DrawResult unrecused, Draw(exclude, spec));
  exclude.plan.recusals = RecusalsFrom(unrecused, 3);
  REG_RETURN_IF_ERROR(Add("no_repeat_exclude", Draw(exclude, spec), &out));
  DrawInputs join = SpecRound0Inputs();
  join.plan.no_repeat = RuleOver(*earlier, RepeatMode::kJoin);
  REG_RETURN_IF_ERROR(Add("no_repeat_join", Draw(join, spec), &out));
  DrawInputs always_exclude = always;
  always_exclude.plan.no_repeat = RuleOver(*earlier, RepeatMode::kExclude);
  REG_RETURN_IF_ERROR(
      Add("always_exclude", Draw(always_exclude, always_population), &out));

  // A targeted plan: five listed enterprises frozen in class B, and a granted recusal.
  DrawInputs targeted = SpecRound0Inputs();
  FrozenPopulation listed;
  const TargetReason reasons[] = {TargetReason::kComplaint, TargetReason::kAlert,
                                  TargetReason::kReferral, TargetReason::kMonitoring};
  int k = 0;
  for (size_t i : {3u, 8u, 17u, 25u, 30u}) {
    REG_RETURN_IF_ERROR(listed.Add(spec.credit_code(i), 2, spec.region_code(i)));
    targeted.plan.listed_targets.push_back({std::string(spec.credit_code(i)), reasons[k++ % 4]});
  }
  REG_RETURN_IF_ERROR(listed.Freeze());
  for (ClassQuota& quota : targeted.plan.quotas) quota = ClassQuota::Count(0);
  REG_ASSIGN_OR_RETURN(const DrawResult unrecused_targeted, Draw(targeted, listed));
  targeted.plan.recusals = RecusalsFrom(unrecused_targeted, 1);
  REG_RETURN_IF_ERROR(Add("targeted", Draw(targeted, listed), &out));
  return out;
}

}  // namespace regulation::scheduler::testing
