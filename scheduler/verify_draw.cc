#include "scheduler/verify_draw.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/dishonest_selection.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/field_checks.h"
#include "scheduler/repeat_visit_check.h"
#include "scheduler/round_chain.h"
#include "scheduler/round_commitment.h"
#include "scheduler/seed.h"
#include "scheduler/statement_check.h"
#include "scheduler/target_selection.h"
#include "scheduler/team_assignment.h"
#include "scheduler/ticket.h"

namespace regulation::scheduler {
namespace {

// Tickets are up to 80 characters: messages show the first 20 digits.
std::string Short(absl::string_view ticket) {
  if (ticket.size() <= 22) return std::string(ticket);
  return absl::StrCat(ticket.substr(0, 22), "…");
}

std::string Letter(int index) { return std::string(1, RiskClassLetter(index + 1)); }

absl::Status Wrong(absl::string_view message) { return absl::DataLossError(message); }

std::string DescribeTeam(const TeamResult& team) {
  if (team.status == StaffingStatus::kStaffed) {
    return absl::StrCat("STAFFED by ", absl::StrJoin(team.inspector_ids, ", "));
  }
  return absl::StrCat("UNSTAFFED (", team.reason, ")");
}

bool Restaffs(const DrawBundle& bundle) { return bundle.commitment.kind == RoundKind::kRestaff; }

// A targeted plan's round 0 lists its targets instead of drawing them.
bool ListsTargets(const DrawBundle& bundle) { return bundle.plan.targeted() && bundle.round == 0; }

// Rounds whose targets are named rather than selected by ticket cutoffs.
bool NamesTargets(const DrawBundle& bundle) { return Restaffs(bundle) || ListsTargets(bundle); }

// The credit codes the round names: a re-staffing round's, or the targeted plan's list.
std::set<std::string> NamedCodes(const DrawBundle& bundle) {
  if (Restaffs(bundle)) {
    return std::set<std::string>(bundle.replacement->named.begin(),
                                 bundle.replacement->named.end());
  }
  std::set<std::string> codes;
  for (const ListedTarget& t : bundle.plan.listed_targets) codes.insert(t.credit_code);
  return codes;
}

// Round 0 of a plan that always includes its dishonest-listed enterprises: they are
// targets beside the ones the classes select (§3.4).
std::set<std::string> AlwaysIncluded(const DrawBundle& bundle) {
  if (bundle.round != 0 || !bundle.plan.always_includes_dishonest()) return {};
  return std::set<std::string>(bundle.plan.credit.dishonest.begin(),
                               bundle.plan.credit.dishonest.end());
}

int64_t ExpectedSelected(const DrawBundle& bundle, int c) {
  const int64_t population = bundle.classes[c].population;
  if (NamesTargets(bundle)) return 0;
  if (bundle.replacement.has_value()) {
    return std::min(bundle.replacement->counts[c], population);
  }
  return QuotaCount(bundle.plan.quotas[c], population);
}

// The checks that need nothing but the bundle. Fills `values` with the checked entropy.
absl::Status VerifyBundleAlone(const DrawBundle& bundle, std::vector<EntropyValue>* values) {
  REG_ASSIGN_OR_RETURN(const std::string plan_digest, PlanDigest(bundle.plan));
  if (plan_digest != bundle.digests.plan) {
    return Wrong(
        absl::StrFormat("plan digest does not match the plan: the plan hashes to %s, "
                        "the bundle says %s",
                        plan_digest, bundle.digests.plan));
  }
  const CommitmentScope scope = ScopeOf(bundle);
  absl::StatusOr<std::string> commitment_digest = CommitmentDigest(scope, bundle.commitment);
  if (!commitment_digest.ok()) {
    return Wrong(absl::StrCat("commitment: ", commitment_digest.status().message()));
  }
  if (*commitment_digest != bundle.commitment.digest) {
    return Wrong(absl::StrFormat(
        "commitment digest does not match the commitment: it hashes to %s, the bundle says %s",
        *commitment_digest, bundle.commitment.digest));
  }
  REG_ASSIGN_OR_RETURN(const std::string commitment, NonceCommitment(bundle.nonce));
  if (commitment != bundle.commitment.nonce_commitment) {
    return Wrong("nonce does not match its commitment");
  }
  absl::StatusOr<CheckedStatements> checked =
      CheckStatements(scope, bundle.commitment, bundle.statements);
  if (!checked.ok()) return Wrong(absl::StrCat("statements: ", checked.status().message()));
  if (checked->statements != bundle.statements) {
    return Wrong("statements: not in the commitment's source order");
  }
  SeedInputs inputs;
  inputs.commitment_digest = bundle.commitment.digest;
  inputs.nonce_hex = bundle.nonce;
  inputs.entropy = checked->values;
  inputs.round = static_cast<int>(bundle.round);
  REG_ASSIGN_OR_RETURN(const std::string seed, DeriveSeed(inputs));
  if (seed != bundle.seed) {
    return Wrong(absl::StrFormat("seed does not match its inputs: they give %s", seed));
  }
  *values = std::move(checked->values);

  int64_t total = 0;
  for (int c = 0; c < kRiskClassCount; ++c) {
    const BundleClass& cls = bundle.classes[c];
    const int64_t expected = ExpectedSelected(bundle, c);
    if (cls.selected != expected) {
      return Wrong(absl::StrFormat("class %s: selected %d, but the %s gives %d of %d", Letter(c),
                                   cls.selected,
                                   bundle.replacement.has_value() ? "replacement count" : "quota",
                                   expected, cls.population));
    }
    if ((cls.selected == 0) != cls.cutoff.empty()) {
      return Wrong(absl::StrFormat("class %s: %s", Letter(c),
                                   cls.selected == 0 ? "a cutoff but nothing selected"
                                                     : "selected enterprises but no cutoff"));
    }
    total += cls.selected;
  }
  if (bundle.plan.targeted() && bundle.round > 0 && !Restaffs(bundle)) {
    return Wrong("a targeted plan's targets are listed: it has no replacement rounds");
  }
  if (NamesTargets(bundle)) {
    std::set<std::string> listed;
    for (const BundleTarget& t : bundle.targets) listed.insert(t.credit_code);
    if (listed != NamedCodes(bundle) || listed.size() != bundle.targets.size()) {
      return Wrong(Restaffs(bundle)
                       ? "a re-staffing round's targets must be exactly the targets it names"
                       : "a targeted plan's targets must be exactly the targets its committed "
                         "plan lists");
    }
  } else if (const std::set<std::string> always = AlwaysIncluded(bundle);
             static_cast<int64_t>(bundle.targets.size()) !=
             total + static_cast<int64_t>(always.size())) {
    return Wrong(absl::StrFormat(
        "the bundle lists %d targets, the classes select %d and the plan always includes %d "
        "dishonest-listed enterprises",
        bundle.targets.size(), total, always.size()));
  } else {
    std::set<std::string> missing = always;
    for (const BundleTarget& t : bundle.targets) missing.erase(t.credit_code);
    if (!missing.empty()) {
      return Wrong(absl::StrCat("plan.credit.dishonest: ", *missing.begin(),
                                " is always included, but is not a target"));
    }
  }
  if (bundle.replacement.has_value() && !Restaffs(bundle)) {
    int64_t counted = 0;
    for (int64_t n : bundle.replacement->counts) counted += n;
    if (counted != static_cast<int64_t>(bundle.replacement->named.size())) {
      return Wrong(absl::StrFormat("replacement: the counts add up to %d, the round names %d "
                                   "targets to replace",
                                   counted, bundle.replacement->named.size()));
    }
  }

  std::string max_cutoff;
  for (const BundleClass& cls : bundle.classes) {
    if (!cls.cutoff.empty() &&
        (max_cutoff.empty() || CompareTicketStrings(cls.cutoff, max_cutoff) > 0)) {
      max_cutoff = cls.cutoff;
    }
  }
  // What this round could not draw: earlier rounds' targets, and what other plans drew
  // (no repeated visits, draw-spec §7).
  absl::flat_hash_set<std::string> excluded = ExcludedCodes(bundle.plan.no_repeat);
  if (bundle.replacement.has_value()) {
    excluded.insert(bundle.replacement->excluded.begin(), bundle.replacement->excluded.end());
  }
  const std::set<std::string> always = AlwaysIncluded(bundle);
  const TicketHasher hasher(bundle.seed);
  for (size_t i = 0; i < bundle.targets.size(); ++i) {
    const BundleTarget& t = bundle.targets[i];
    const std::string where = absl::StrFormat("target %d: %s", i + 1, t.credit_code);
    if (t.rank != static_cast<int64_t>(i) + 1) {
      return Wrong(absl::StrFormat("%s: rank %d, expected %d", where, t.rank, i + 1));
    }
    const std::string ticket = hasher.Compute(t.credit_code).ToString();
    if (ticket != t.ticket) {
      return Wrong(
          absl::StrFormat("%s: ticket does not match: the seed gives %s, the bundle has %s", where,
                          Short(ticket), Short(t.ticket)));
    }
    if (i > 0 && CompareTicketStrings(bundle.targets[i - 1].ticket, t.ticket) >= 0) {
      return Wrong(absl::StrFormat("%s: out of ticket order (ticket %s is not above %s)", where,
                                   Short(t.ticket), Short(bundle.targets[i - 1].ticket)));
    }
    // Named targets and always-included ones are not selected by ticket.
    if (NamesTargets(bundle) || always.count(t.credit_code) > 0) continue;
    if (CompareTicketStrings(t.ticket, max_cutoff) > 0) {
      return Wrong(absl::StrFormat("%s: ticket %s is above every class cutoff (largest %s)", where,
                                   Short(t.ticket), Short(max_cutoff)));
    }
    if (excluded.contains(t.credit_code)) {
      return Wrong(absl::StrFormat("%s: was excluded from this round", where));
    }
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    const BundleClass& cls = bundle.classes[c];
    if (cls.cutoff.empty()) continue;
    int64_t admitted = 0;
    bool found = false;
    for (const BundleTarget& t : bundle.targets) {
      const int cmp = CompareTicketStrings(t.ticket, cls.cutoff);
      if (cmp <= 0) ++admitted;
      if (cmp == 0) found = true;
    }
    if (!found) {
      return Wrong(absl::StrFormat("class %s: cutoff %s is not the ticket of a listed target",
                                   Letter(c), Short(cls.cutoff)));
    }
    if (admitted < cls.selected) {
      return Wrong(absl::StrFormat(
          "class %s: cutoff %s admits %d listed targets, fewer than the %d selected", Letter(c),
          Short(cls.cutoff), admitted, cls.selected));
    }
  }

  if (bundle.teams.size() != bundle.targets.size()) {
    return Wrong(absl::StrFormat("the bundle lists %d teams for %d targets", bundle.teams.size(),
                                 bundle.targets.size()));
  }
  std::map<std::string, int64_t> workload;
  if (bundle.replacement.has_value()) {
    for (const auto& [id, count] : bundle.replacement->prior_workload) workload[id] = count;
  }
  std::set<std::pair<std::string, std::string>> recused;  // (credit code, inspector)
  for (const GrantedRecusal& r : bundle.plan.recusals) recused.emplace(r.credit_code, r.inspector_id);
  for (size_t i = 0; i < bundle.teams.size(); ++i) {
    const TeamResult& team = bundle.teams[i];
    const std::string where = absl::StrFormat("team %d (%s)", i + 1, team.credit_code);
    if (team.credit_code != bundle.targets[i].credit_code) {
      return Wrong(absl::StrFormat("%s: expected target %s in this position", where,
                                   bundle.targets[i].credit_code));
    }
    if (team.status == StaffingStatus::kStaffed) {
      if (static_cast<int>(team.inspector_ids.size()) != bundle.plan.team_size ||
          !team.reason.empty()) {
        return Wrong(absl::StrFormat("%s: a staffed team needs %d inspectors and no reason", where,
                                     bundle.plan.team_size));
      }
      std::set<std::string> unique(team.inspector_ids.begin(), team.inspector_ids.end());
      if (unique.size() != team.inspector_ids.size()) {
        return Wrong(absl::StrFormat("%s: an inspector is listed twice", where));
      }
      for (const std::string& id : team.inspector_ids) {
        if (recused.count({team.credit_code, id}) > 0) {
          return Wrong(absl::StrFormat("%s: inspector %s was recused (a granted recusal request)",
                                       where, id));
        }
        if (++workload[id] > bundle.plan.workload_cap) {
          return Wrong(absl::StrFormat("%s: inspector %s is above the workload cap %d", where, id,
                                       bundle.plan.workload_cap));
        }
      }
    } else if (!team.inspector_ids.empty() || team.reason.empty()) {
      return Wrong(
          absl::StrFormat("%s: an unstaffed team needs a reason and no inspectors", where));
    }
  }
  return absl::OkStatus();
}

absl::Status VerifyWithPopulation(const DrawBundle& bundle, const FrozenPopulation& population) {
  const PopulationDigests digests = population.Digests();
  if (digests.overall != bundle.digests.population) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the population file does not match the bundle: its digest is %s, the bundle committed "
        "to %s",
        digests.overall, bundle.digests.population));
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (digests.classes[c] != bundle.digests.population_classes[c]) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "the population file does not match the bundle: its class %s digest is %s, the bundle "
          "committed to %s",
          Letter(c), digests.classes[c], bundle.digests.population_classes[c]));
    }
  }
  // The dishonest-list policy froze each listed enterprise in its class (§3.4).
  const int listed_class =
      bundle.plan.credit.dishonest_policy == DishonestPolicy::kAlways         ? kRiskClassCount
      : bundle.plan.credit.dishonest_policy == DishonestPolicy::kHighestRatio
          ? HighestRatioClass(bundle.plan.quotas)
          : 0;
  for (const std::string& code : bundle.plan.credit.dishonest) {
    const int64_t row = population.Find(code);
    if (row < 0) {
      return Wrong(absl::StrCat("plan.credit.dishonest: ", code, " is not in the population"));
    }
    if (population.risk_class(row) != listed_class) {
      return Wrong(absl::StrFormat(
          "plan.credit.dishonest: %s is in class %c; the %s policy freezes it in class %c", code,
          RiskClassLetter(population.risk_class(row)),
          DishonestPolicyName(bundle.plan.credit.dishonest_policy),
          RiskClassLetter(listed_class)));
    }
  }
  const std::set<std::string> always = AlwaysIncluded(bundle);
  for (size_t i = 0; i < bundle.targets.size(); ++i) {
    const BundleTarget& t = bundle.targets[i];
    const std::string where = absl::StrFormat("target %d: %s", i + 1, t.credit_code);
    const int64_t row = population.Find(t.credit_code);
    if (row < 0) return Wrong(absl::StrFormat("%s: not in the population", where));
    if (population.region_code(row) != t.region_code) {
      return Wrong(absl::StrFormat("%s: region code \"%s\", the population has \"%s\"", where,
                                   t.region_code, population.region_code(row)));
    }
    // Named or always included, not selected: no cutoff applies.
    if (NamesTargets(bundle) || always.count(t.credit_code) > 0) continue;
    const BundleClass& cls = bundle.classes[population.risk_class(row) - 1];
    if (cls.cutoff.empty() || CompareTicketStrings(t.ticket, cls.cutoff) > 0) {
      return Wrong(absl::StrFormat(
          "%s: ticket %s is above the class cutoff %s", where, Short(t.ticket),
          cls.cutoff.empty() ? "(none: the class selects nobody)" : Short(cls.cutoff)));
    }
  }

  if (NamesTargets(bundle)) {
    // Named, not selected: the population must hold them and nothing else.
    if (population.size() != bundle.targets.size() && ListsTargets(bundle)) {
      return Wrong(absl::StrFormat("the population file holds %d enterprises, the targeted "
                                   "plan lists %d",
                                   population.size(), bundle.targets.size()));
    }
    return absl::OkStatus();
  }
  // Re-run the selection.
  std::array<int64_t, kRiskClassCount> counts;
  for (int c = 0; c < kRiskClassCount; ++c) {
    counts[c] = bundle.replacement.has_value()
                    ? bundle.replacement->counts[c]
                    : QuotaCount(bundle.plan.quotas[c], digests.class_sizes[c]);
  }
  absl::flat_hash_set<std::string> excluded = ExcludedCodes(bundle.plan.no_repeat);
  if (bundle.replacement.has_value()) {
    excluded.insert(bundle.replacement->excluded.begin(), bundle.replacement->excluded.end());
  }
  FrozenPopulationSource source(&population);
  absl::StatusOr<TargetSelection> reselected =
      always.empty()
          ? SelectTargets(source, bundle.seed, counts, excluded)
          : SelectWithDishonest(source, bundle.seed, bundle.plan, digests.class_sizes, {});
  if (!reselected.ok()) return Wrong(reselected.status().message());
  TargetSelection& selection = *reselected;
  if (!bundle.replacement.has_value() && bundle.plan.no_repeat.has_value()) {
    TrimToQuotasOfPopulation(bundle.plan.quotas, &selection);  // quotas of those not excluded
  }
  for (int c = 0; c < kRiskClassCount; ++c) {
    const ClassSelection& expected = selection.classes[c];
    const BundleClass& listed = bundle.classes[c];
    if (expected.population != listed.population) {
      return Wrong(absl::StrFormat("class %s: population %d, the population file gives %d",
                                   Letter(c), listed.population, expected.population));
    }
    if (expected.selected != listed.selected) {
      return Wrong(absl::StrFormat("class %s: selected %d, the population file gives %d", Letter(c),
                                   listed.selected, expected.selected));
    }
    if (expected.cutoff != listed.cutoff) {
      return Wrong(absl::StrFormat("class %s: cutoff differs: expected %s, bundle has %s",
                                   Letter(c), Short(expected.cutoff), Short(listed.cutoff)));
    }
  }
  for (size_t i = 0; i < selection.targets.size() && i < bundle.targets.size(); ++i) {
    if (selection.targets[i].credit_code != bundle.targets[i].credit_code) {
      return Wrong(absl::StrFormat("targets differ: expected %s, bundle has %s at rank %d",
                                   selection.targets[i].credit_code, bundle.targets[i].credit_code,
                                   i + 1));
    }
  }
  if (selection.targets.size() != bundle.targets.size()) {
    return Wrong(absl::StrFormat("targets differ: expected %d, bundle has %d",
                                 selection.targets.size(), bundle.targets.size()));
  }
  return absl::OkStatus();
}

absl::Status VerifyWithRoster(const DrawBundle& bundle, const FrozenRoster& roster) {
  absl::StatusOr<std::string> digest = RosterDigest(roster);
  if (!digest.ok()) return absl::FailedPreconditionError(digest.status().message());
  if (*digest != bundle.digests.roster) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the roster file does not match the bundle: its digest is %s, the bundle committed to %s",
        *digest, bundle.digests.roster));
  }
  std::vector<TeamTarget> targets(bundle.targets.size());
  for (size_t i = 0; i < bundle.targets.size(); ++i) {
    targets[i].credit_code = bundle.targets[i].credit_code;
    targets[i].region_code = bundle.targets[i].region_code;
  }
  WorkloadCounts workload;
  if (bundle.replacement.has_value()) {
    for (const auto& [id, count] : bundle.replacement->prior_workload) workload[id] = count;
  }
  TeamOptions options;
  options.threads = 2;
  REG_ASSIGN_OR_RETURN(std::vector<TeamResult> teams,
                       AssignTeams(bundle.seed, targets, roster, bundle.plan, &workload, options));
  for (size_t i = 0; i < teams.size(); ++i) {
    const TeamResult& expected = teams[i];
    const TeamResult& listed = bundle.teams[i];
    if (expected.status != listed.status || expected.inspector_ids != listed.inspector_ids ||
        expected.reason != listed.reason) {
      return Wrong(absl::StrFormat("team %d (%s): expected %s; bundle has %s", i + 1,
                                   expected.credit_code, DescribeTeam(expected),
                                   DescribeTeam(listed)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyDraw(absl::string_view bundle_json,
                        const std::optional<FrozenPopulation>& population,
                        const std::optional<FrozenRoster>& roster, VerifySummary* summary,
                        const VerifyContext& context) {
  REG_ASSIGN_OR_RETURN(const DrawBundle bundle, ParseBundleJson(bundle_json));
  std::vector<EntropyValue> values;
  REG_RETURN_IF_ERROR(VerifyBundleAlone(bundle, &values));
  if (context.sources.has_value()) {
    REG_RETURN_IF_ERROR(CheckSourcesPublished(bundle.commitment, *context.sources));
  }
  if (context.previous_bundle.has_value()) {
    if (bundle.round == 0) {
      return absl::InvalidArgumentError(
          "previous bundle: round 0 has none; give the round before a replacement round");
    }
    absl::StatusOr<DrawBundle> previous = ParseBundleJson(*context.previous_bundle);
    if (!previous.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("previous bundle: ", previous.status().message()));
    }
    std::vector<EntropyValue> previous_values;
    absl::Status alone = VerifyBundleAlone(*previous, &previous_values);
    if (!alone.ok()) return Wrong(absl::StrCat("previous bundle: ", alone.message()));
    REG_RETURN_IF_ERROR(CheckRoundChain(*previous, *context.previous_bundle, previous_values,
                                        bundle, values));
  }
  if (context.earlier_bundles.has_value()) {
    std::vector<PublishedRound> earlier;
    for (size_t i = 0; i < context.earlier_bundles->size(); ++i) {
      const std::string& text = (*context.earlier_bundles)[i];
      absl::StatusOr<DrawBundle> parsed = ParseBundleJson(text);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("earlier bundle %d: %s", i + 1, parsed.status().message()));
      }
      std::vector<EntropyValue> earlier_values;
      absl::Status alone = VerifyBundleAlone(*parsed, &earlier_values);
      if (!alone.ok()) return Wrong(absl::StrFormat("earlier bundle %d: %s", i + 1, alone.message()));
      earlier.push_back({Sha256Hex(text), *std::move(parsed)});
    }
    REG_RETURN_IF_ERROR(CheckRepeatExclusion(bundle, earlier));
  }
  if (population.has_value()) REG_RETURN_IF_ERROR(VerifyWithPopulation(bundle, *population));
  if (roster.has_value()) REG_RETURN_IF_ERROR(VerifyWithRoster(bundle, *roster));
  if (summary != nullptr) {
    summary->plan_id = bundle.plan.plan_id;
    summary->round = bundle.round;
    summary->round_kind = std::string(RoundKindName(bundle.commitment.kind));
    summary->commitment_digest = bundle.commitment.digest;
    summary->seed = bundle.seed;
    summary->bundle_digest = Sha256Hex(bundle_json);
    summary->witness_statements = summary->beacon_pulses = summary->unchecked_values = 0;
    for (const CommittedSource& source : bundle.commitment.sources) {
      switch (source.kind) {
        case SourceKind::kWitness:
          ++summary->witness_statements;
          break;
        case SourceKind::kBeacon:
          ++summary->beacon_pulses;
          break;
        case SourceKind::kUnchecked:
          ++summary->unchecked_values;
          break;
      }
    }
    summary->targets = static_cast<int64_t>(bundle.targets.size());
    summary->staffed = 0;
    for (const TeamResult& team : bundle.teams) {
      if (team.status == StaffingStatus::kStaffed) ++summary->staffed;
    }
    summary->unstaffed = summary->targets - summary->staffed;
    summary->population_checked = population.has_value();
    summary->roster_checked = roster.has_value();
    summary->sources_checked = context.sources.has_value();
    summary->chain_checked = context.previous_bundle.has_value();
    summary->repeat_checked = context.earlier_bundles.has_value();
    summary->repeat_excluded =
        bundle.plan.no_repeat.has_value() ? static_cast<int64_t>(bundle.plan.no_repeat->excluded.size())
                                          : 0;
    summary->recusals = static_cast<int64_t>(bundle.plan.recusals.size());
    summary->population_size =
        population.has_value() ? static_cast<int64_t>(population->size()) : 0;
    summary->roster_size = roster.has_value() ? static_cast<int64_t>(roster->inspectors.size()) : 0;
  }
  return absl::OkStatus();
}

absl::StatusOr<OwnTicketCheck> VerifyOwnTicket(absl::string_view bundle_json,
                                               absl::string_view credit_code, int risk_class) {
  REG_RETURN_IF_ERROR(CheckCreditCode("credit_code", credit_code));
  if (risk_class < 0 || risk_class > kRiskClassCount) {
    return absl::InvalidArgumentError(
        absl::StrFormat("risk_class: must be 1-4 (A-D) or 0 (unknown), got %d", risk_class));
  }
  REG_ASSIGN_OR_RETURN(const DrawBundle bundle, ParseBundleJson(bundle_json));
  std::vector<EntropyValue> values;
  REG_RETURN_IF_ERROR(VerifyBundleAlone(bundle, &values));
  if (Restaffs(bundle)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "credit_code: round %d re-staffs targets drawn earlier and selects nobody; check the "
        "enterprise against the round that selected it",
        bundle.round));
  }
  if (ListsTargets(bundle)) {
    return absl::InvalidArgumentError(
        "credit_code: a targeted plan draws nobody by lottery; its listed targets are in the "
        "bundle's plan");
  }

  OwnTicketCheck check;
  check.ticket = TicketHasher(bundle.seed).Compute(credit_code).ToString();
  std::string listed_ticket;
  for (const BundleTarget& t : bundle.targets) {
    if (t.credit_code == credit_code) {
      check.listed = true;
      check.rank = t.rank;
      listed_ticket = t.ticket;
    }
  }
  // The plan's dishonest list decides a listed enterprise's case by policy (§3.4).
  const bool dishonest = std::binary_search(bundle.plan.credit.dishonest.begin(),
                                            bundle.plan.credit.dishonest.end(),
                                            std::string(credit_code));
  if (dishonest && bundle.plan.credit.dishonest_policy == DishonestPolicy::kHighestRatio) {
    risk_class = HighestRatioClass(bundle.plan.quotas);
  }
  const bool always = dishonest && AlwaysIncluded(bundle).count(std::string(credit_code)) > 0;
  const bool excluded =
      ExcludedCodes(bundle.plan.no_repeat).contains(credit_code) ||
      (bundle.replacement.has_value() &&
       std::binary_search(bundle.replacement->excluded.begin(), bundle.replacement->excluded.end(),
                          std::string(credit_code)));
  std::string basis;
  if (always) {
    check.expected = OwnTicketCheck::Expectation::kSelected;
    basis = "the plan always includes the enterprises on its dishonest list";
  } else if (excluded) {
    check.expected = OwnTicketCheck::Expectation::kNotSelected;
    basis = "it was excluded from this round";
  } else if (risk_class > 0) {
    check.cutoff = bundle.classes[risk_class - 1].cutoff;
    const bool below =
        !check.cutoff.empty() && CompareTicketStrings(check.ticket, check.cutoff) <= 0;
    check.expected =
        below ? OwnTicketCheck::Expectation::kSelected : OwnTicketCheck::Expectation::kNotSelected;
    basis = check.cutoff.empty()
                ? absl::StrFormat("ticket %s; class %c selects nobody", Short(check.ticket),
                                  RiskClassLetter(risk_class))
                : absl::StrFormat("ticket %s is %s the class %c cutoff %s", Short(check.ticket),
                                  below ? "at or below" : "above", RiskClassLetter(risk_class),
                                  Short(check.cutoff));
  } else {
    // Class unknown: decidable only below every cutoff or above all of them.
    std::string min_cutoff, max_cutoff;
    bool every_class_selects = true;
    for (const BundleClass& cls : bundle.classes) {
      if (cls.cutoff.empty()) {
        every_class_selects = false;
        continue;
      }
      if (min_cutoff.empty() || CompareTicketStrings(cls.cutoff, min_cutoff) < 0) {
        min_cutoff = cls.cutoff;
      }
      if (max_cutoff.empty() || CompareTicketStrings(cls.cutoff, max_cutoff) > 0) {
        max_cutoff = cls.cutoff;
      }
    }
    if (max_cutoff.empty() || CompareTicketStrings(check.ticket, max_cutoff) > 0) {
      check.expected = OwnTicketCheck::Expectation::kNotSelected;
      basis = absl::StrFormat("ticket %s is above every class cutoff", Short(check.ticket));
    } else if (every_class_selects && CompareTicketStrings(check.ticket, min_cutoff) <= 0) {
      check.expected = OwnTicketCheck::Expectation::kSelected;
      basis = absl::StrFormat("ticket %s is at or below every class cutoff", Short(check.ticket));
    } else {
      basis = absl::StrFormat("ticket %s lies between the class cutoffs: give the class to decide",
                              Short(check.ticket));
    }
  }
  if (check.listed && listed_ticket != check.ticket) {
    check.consistent = false;
  } else if (check.expected == OwnTicketCheck::Expectation::kSelected) {
    check.consistent = check.listed;
  } else if (check.expected == OwnTicketCheck::Expectation::kNotSelected) {
    check.consistent = !check.listed;
  }
  const std::string listing =
      check.listed ? absl::StrFormat("listed at rank %d", check.rank) : "not listed";
  std::string verdict;
  switch (check.expected) {
    case OwnTicketCheck::Expectation::kSelected:
      verdict = "selected";
      break;
    case OwnTicketCheck::Expectation::kNotSelected:
      verdict = "not selected";
      break;
    case OwnTicketCheck::Expectation::kUnknown:
      verdict = "undecided";
      break;
  }
  check.explanation = absl::StrFormat("%s: %s; the bundle: %s (%s)", basis, verdict, listing,
                                      check.consistent ? "consistent" : "INCONSISTENT");
  return check;
}

}  // namespace regulation::scheduler
