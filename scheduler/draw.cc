#include "scheduler/draw.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/bundle_writer.h"
#include "scheduler/dishonest_selection.h"
#include "scheduler/field_checks.h"
#include "scheduler/seed.h"
#include "scheduler/statement_check.h"
#include "scheduler/target_selection.h"
#include "scheduler/ticket.h"

namespace regulation::scheduler {
namespace {

absl::Status CheckReplacement(const DrawInputs& inputs) {
  if (inputs.round < 0) return absl::InvalidArgumentError("round: must not be negative");
  if (inputs.round == 0) {
    if (inputs.replacement.has_value()) {
      return absl::InvalidArgumentError("replacement: only allowed in rounds >= 1");
    }
    return absl::OkStatus();
  }
  if (!inputs.replacement.has_value()) {
    return absl::InvalidArgumentError("replacement: required in rounds >= 1");
  }
  const ReplacementRound& r = *inputs.replacement;
  REG_RETURN_IF_ERROR(
      CheckDigestHex("replacement.previous_bundle_digest", r.previous_bundle_digest));
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (r.counts[c] < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("replacement.counts[%c]: must not be negative", RiskClassLetter(c + 1)));
    }
  }
  for (size_t i = 0; i < r.excluded.size(); ++i) {
    REG_RETURN_IF_ERROR(
        CheckCreditCode(absl::StrFormat("replacement.excluded[%d]", i), r.excluded[i]));
  }
  for (const auto& [id, count] : r.prior_workload) {
    REG_RETURN_IF_ERROR(CheckInspectorId("replacement.prior_workload", id));
    if (count < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("replacement.prior_workload[%s]: must not be negative", id));
    }
  }
  if (inputs.commitment.kind == RoundKind::kRestaff) {
    for (int c = 0; c < kRiskClassCount; ++c) {
      if (r.counts[c] != 0) {
        return absl::InvalidArgumentError("replacement.counts: a re-staffing round selects nobody");
      }
    }
    std::set<std::string> named(r.named.begin(), r.named.end());
    std::set<std::string> restaffed;
    for (size_t i = 0; i < r.restaffed.size(); ++i) {
      const TeamTarget& t = r.restaffed[i];
      const std::string field = absl::StrFormat("replacement.restaffed[%d]", i);
      REG_RETURN_IF_ERROR(CheckCreditCode(field, t.credit_code));
      if (!t.region_code.empty()) REG_RETURN_IF_ERROR(CheckRegionCode(field, t.region_code));
      restaffed.insert(t.credit_code);
    }
    if (restaffed != named || restaffed.size() != r.restaffed.size()) {
      return absl::InvalidArgumentError(
          "replacement.restaffed: must list each named target once, with its region code");
    }
  } else if (!r.restaffed.empty()) {
    return absl::InvalidArgumentError("replacement.restaffed: only in a re-staffing round");
  }
  return absl::OkStatus();
}

void SortByTicket(std::vector<SelectedTarget>* targets) {
  std::sort(targets->begin(), targets->end(),
            [](const SelectedTarget& a, const SelectedTarget& b) {
              const int cmp = CompareTickets(a.ticket, b.ticket);
              return cmp != 0 ? cmp < 0 : a.credit_code < b.credit_code;
            });
}

// A re-staffing round's targets: the named ones, ordered by their tickets under the
// round's seed, with their classes from the frozen population (which must hold them,
// with the same region codes).
absl::StatusOr<TargetSelection> RestaffedTargets(PopulationSource& population,
                                                 const std::string& seed,
                                                 const std::vector<TeamTarget>& restaffed) {
  std::map<std::string, const TeamTarget*> wanted;
  for (const TeamTarget& t : restaffed) wanted[t.credit_code] = &t;
  TargetSelection selection;
  const TicketHasher hasher(seed);
  REG_RETURN_IF_ERROR(population.ForEach(
      [&](absl::string_view code, int risk_class, absl::string_view region) -> absl::Status {
        auto found = wanted.find(std::string(code));
        if (found == wanted.end()) return absl::OkStatus();
        if (found->second->region_code != region) {
          return absl::FailedPreconditionError(absl::StrFormat(
              "replacement.restaffed: %s has region \"%s\" in the frozen population, not \"%s\"",
              code, region, found->second->region_code));
        }
        SelectedTarget& t = selection.targets.emplace_back();
        t.credit_code = std::string(code);
        t.risk_class = risk_class;
        t.region_code = std::string(region);
        t.ticket = hasher.Compute(code);
        wanted.erase(found);
        return absl::OkStatus();
      }));
  if (!wanted.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "replacement.restaffed: ", wanted.begin()->first, " is not in the frozen population"));
  }
  SortByTicket(&selection.targets);
  return selection;
}

// A targeted plan's round 0: its listed targets (none drawn), ordered by their tickets
// under the round's seed, with their classes and region codes from the frozen population,
// which must be exactly the listed targets.
absl::StatusOr<TargetSelection> ListedTargets(PopulationSource& population,
                                              const std::string& seed,
                                              const std::vector<ListedTarget>& listed) {
  std::set<std::string> wanted;
  for (const ListedTarget& t : listed) wanted.insert(t.credit_code);
  TargetSelection selection;
  const TicketHasher hasher(seed);
  REG_RETURN_IF_ERROR(population.ForEach(
      [&](absl::string_view code, int risk_class, absl::string_view region) -> absl::Status {
        if (wanted.erase(std::string(code)) == 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "plan.targets: ", code, " is in the frozen population but not listed"));
        }
        SelectedTarget& t = selection.targets.emplace_back();
        t.credit_code = std::string(code);
        t.risk_class = risk_class;
        t.region_code = std::string(region);
        t.ticket = hasher.Compute(code);
        return absl::OkStatus();
      }));
  if (!wanted.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan.targets: ", *wanted.begin(), " is not in the frozen population"));
  }
  SortByTicket(&selection.targets);
  return selection;
}

// Calls fn(i) for i in [0, n) on `threads` threads (the caller's included), each over a
// contiguous range.
template <typename Fn>
void ParallelFor(size_t n, int threads, const Fn& fn) {
  const size_t parts = std::max<size_t>(1, std::min<size_t>(std::max(threads, 1), n));
  auto run = [&](size_t p) {
    for (size_t i = n * p / parts; i < n * (p + 1) / parts; ++i) fn(i);
  };
  std::vector<std::thread> pool;
  for (size_t p = 1; p < parts; ++p) pool.emplace_back(run, p);
  run(0);
  for (std::thread& thread : pool) thread.join();
}

// What the checks of the round's commitment and statements and the selection of its
// targets give the rest of the draw.
struct Selected {
  std::string commitment_digest;
  std::vector<EntropyStatement> statements;
  std::string seed;
  PlanSpec plan;
  WorkloadCounts workload;
  TargetSelection selection;
};

// Steps 1 (but for the plan, nonce and roster digests) to 3 of RunDraw.
absl::StatusOr<Selected> CheckAndSelect(const DrawInputs& inputs, PopulationSource& population,
                                        const DrawOptions& options) {
  REG_RETURN_IF_ERROR(CheckReplacement(inputs));
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (inputs.population.class_sizes[c] < 0) {
      return absl::InvalidArgumentError("population.class_sizes: must not be negative");
    }
  }

  // 2. The round's commitment, its statements and the seed. (The digests in `inputs` are
  // the recomputed ones: checked by RunDraw.)
  Selected out;
  const CommitmentScope scope = ScopeOf(inputs);
  REG_ASSIGN_OR_RETURN(out.commitment_digest, CommitmentDigest(scope, inputs.commitment));
  if (out.commitment_digest != inputs.commitment.digest) {
    return absl::FailedPreconditionError(
        absl::StrFormat("the round's commitment hashes to %s, but %s was published",
                        out.commitment_digest, inputs.commitment.digest));
  }
  REG_ASSIGN_OR_RETURN(CheckedStatements checked,
                       CheckStatements(scope, inputs.commitment, inputs.statements));
  out.statements = std::move(checked.statements);
  SeedInputs seed_inputs;
  seed_inputs.commitment_digest = out.commitment_digest;
  seed_inputs.nonce_hex = inputs.nonce_hex;
  seed_inputs.entropy = std::move(checked.values);
  seed_inputs.round = inputs.round;
  REG_ASSIGN_OR_RETURN(out.seed, DeriveSeed(seed_inputs));

  // 3. Targets.
  out.plan = CanonicalPlanSpec(inputs.plan);
  std::array<int64_t, kRiskClassCount> counts;
  absl::flat_hash_set<std::string> excluded;
  for (int c = 0; c < kRiskClassCount; ++c) {
    counts[c] = inputs.round == 0 ? QuotaCount(out.plan.quotas[c], inputs.population.class_sizes[c])
                                  : inputs.replacement->counts[c];
  }
  if (inputs.replacement.has_value()) {
    excluded.insert(inputs.replacement->excluded.begin(), inputs.replacement->excluded.end());
    out.workload = inputs.replacement->prior_workload;
  }
  // No repeated visits: what earlier plans drew is never drawn, in any round (draw-spec §7).
  const absl::flat_hash_set<std::string> repeat = ExcludedCodes(out.plan.no_repeat);
  excluded.insert(repeat.begin(), repeat.end());
  const bool restaff = inputs.commitment.kind == RoundKind::kRestaff;
  const bool listed = out.plan.targeted() && inputs.round == 0;
  if (out.plan.targeted() && inputs.round > 0 && !restaff) {
    return absl::InvalidArgumentError(
        "replacement: a targeted plan's targets are listed, never replaced (re-staff instead)");
  }
  SelectionOptions selection_options;
  selection_options.threads = options.threads;
  // Round 0 of a plan that always includes its dishonest-listed enterprises (§3.4).
  const bool dishonest = inputs.round == 0 && out.plan.always_includes_dishonest();
  REG_ASSIGN_OR_RETURN(
      out.selection,
      restaff     ? RestaffedTargets(population, out.seed, inputs.replacement->restaffed)
      : listed    ? ListedTargets(population, out.seed, out.plan.listed_targets)
      : dishonest ? SelectWithDishonest(population, out.seed, out.plan,
                                        inputs.population.class_sizes, selection_options)
                  : SelectTargets(population, out.seed, counts, excluded, selection_options));
  if (inputs.round == 0 && !repeat.empty()) {
    TrimToQuotasOfPopulation(out.plan.quotas, &out.selection);
  }
  for (int c = 0; c < kRiskClassCount && !restaff && !listed; ++c) {
    if (out.selection.classes[c].class_size != inputs.population.class_sizes[c]) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "the population streamed has %d class-%c enterprises, but %d were committed",
          out.selection.classes[c].class_size, RiskClassLetter(c + 1),
          inputs.population.class_sizes[c]));
    }
  }
  return out;
}

// Adds the wall time since the last lap to a phase of `*out` (when out is set).
class PhaseClock {
 public:
  explicit PhaseClock(DrawPhaseSeconds* out) : out_(out), last_(std::chrono::steady_clock::now()) {}

  void Lap(double DrawPhaseSeconds::*phase) {
    if (out_ == nullptr) return;
    const auto now = std::chrono::steady_clock::now();
    out_->*phase += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  DrawPhaseSeconds* const out_;
  std::chrono::steady_clock::time_point last_;
};

absl::Status CheckRosterDigest(const absl::StatusOr<std::string>& digest,
                               const std::string& committed) {
  if (!digest.ok()) return digest.status();
  if (*digest != committed) {
    return absl::FailedPreconditionError(
        absl::StrFormat("the roster's digest is %s, but %s was committed", *digest, committed));
  }
  return absl::OkStatus();
}

}  // namespace

CommitmentScope ScopeOf(const DrawInputs& inputs) {
  CommitmentScope scope;
  scope.plan_id = inputs.plan.plan_id;
  scope.departments = inputs.plan.departments;
  scope.round = inputs.round;
  scope.plan_digest = inputs.plan_digest;
  scope.population_digest = inputs.population.overall;
  scope.population_classes = inputs.population.classes;
  scope.roster_digest = inputs.roster_digest;
  if (inputs.replacement.has_value()) {
    scope.previous_bundle_digest = inputs.replacement->previous_bundle_digest;
    scope.named = inputs.replacement->named;
  }
  return scope;
}

absl::StatusOr<DrawResult> RunDraw(const DrawInputs& inputs, PopulationSource& population,
                                   const FrozenRoster& roster, const DrawOptions& options) {
  // 1. The inputs against what was committed.
  REG_ASSIGN_OR_RETURN(const std::string plan_digest, PlanDigest(inputs.plan));
  if (plan_digest != inputs.plan_digest) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the plan's digest is %s, but %s was committed", plan_digest, inputs.plan_digest));
  }
  REG_ASSIGN_OR_RETURN(const std::string commitment, NonceCommitment(inputs.nonce_hex));
  if (commitment != inputs.commitment.nonce_commitment) {
    return absl::FailedPreconditionError("the nonce does not match its commitment");
  }
  // The roster's digest (a million last-inspection records take a quarter of a second on
  // one core) is computed beside the other checks and the selection, which do not read
  // it (the commitment digest covers the committed one, compared here): its error, when
  // there is one, is still the one returned, as if it had been checked first. With one
  // thread it is checked first.
  PhaseClock clock(options.phase_seconds);
  absl::StatusOr<Selected> selected = absl::UnknownError("not selected");
  if (options.threads <= 1) {
    REG_RETURN_IF_ERROR(CheckRosterDigest(RosterDigest(roster), inputs.roster_digest));
    selected = CheckAndSelect(inputs, population, options);
  } else {
    absl::StatusOr<std::string> roster_digest = absl::UnknownError("not computed");
    std::thread roster_thread([&roster, &roster_digest] { roster_digest = RosterDigest(roster); });
    selected = CheckAndSelect(inputs, population, options);
    clock.Lap(&DrawPhaseSeconds::select);
    roster_thread.join();
    clock.Lap(&DrawPhaseSeconds::roster_wait);
    REG_RETURN_IF_ERROR(CheckRosterDigest(roster_digest, inputs.roster_digest));
  }
  if (!selected.ok()) return selected.status();
  clock.Lap(&DrawPhaseSeconds::select);  // with one thread; nothing more with several
  const PlanSpec& plan = selected->plan;
  WorkloadCounts& workload = selected->workload;
  TargetSelection& selection = selected->selection;
  const std::string& seed = selected->seed;

  // 4. Teams.
  std::vector<TeamTarget> team_targets(selection.targets.size());
  for (size_t i = 0; i < selection.targets.size(); ++i) {
    team_targets[i].credit_code = selection.targets[i].credit_code;
    team_targets[i].region_code = selection.targets[i].region_code;
  }
  team_targets.shrink_to_fit();
  TeamOptions team_options;
  team_options.threads = options.threads;
  team_options.inputs_validated = true;  // by PlanDigest and RosterDigest above
  REG_ASSIGN_OR_RETURN(std::vector<TeamResult> teams,
                       AssignTeams(seed, team_targets, roster, plan, &workload, team_options));
  team_targets.clear();
  team_targets.shrink_to_fit();
  clock.Lap(&DrawPhaseSeconds::teams);

  // 5. The bundle.
  DrawResult result;
  DrawBundle& bundle = result.bundle;
  bundle.plan = plan;
  bundle.digests.plan = plan_digest;
  bundle.digests.population = inputs.population.overall;
  bundle.digests.population_classes = inputs.population.classes;
  bundle.digests.roster = inputs.roster_digest;  // checked above
  bundle.commitment = inputs.commitment;
  bundle.nonce = inputs.nonce_hex;
  bundle.statements = std::move(selected->statements);
  bundle.round = inputs.round;
  if (inputs.replacement.has_value()) {
    const ReplacementRound& r = *inputs.replacement;
    BundleReplacement& out = bundle.replacement.emplace();
    out.previous_bundle_digest = r.previous_bundle_digest;
    out.named = r.named;
    std::sort(out.named.begin(), out.named.end());
    out.counts = r.counts;
    out.excluded = r.excluded;
    std::sort(out.excluded.begin(), out.excluded.end());
    out.excluded.erase(std::unique(out.excluded.begin(), out.excluded.end()), out.excluded.end());
    for (const auto& [id, count] : r.prior_workload) {
      if (count > 0) out.prior_workload.emplace_back(id, count);
    }
  }
  bundle.seed = seed;
  for (int c = 0; c < kRiskClassCount; ++c) {
    bundle.classes[c].population = selection.classes[c].population;
    bundle.classes[c].selected = selection.classes[c].selected;
    bundle.classes[c].cutoff = selection.classes[c].cutoff;
  }
  bundle.targets.resize(selection.targets.size());
  result.target_classes.resize(selection.targets.size());
  ParallelFor(selection.targets.size(), options.threads, [&](size_t i) {
    SelectedTarget& selected = selection.targets[i];
    BundleTarget& target = bundle.targets[i];
    target.credit_code = std::move(selected.credit_code);
    target.region_code = std::move(selected.region_code);
    target.ticket = selected.ticket.ToString();
    target.rank = static_cast<int64_t>(i) + 1;
    result.target_classes[i] = selected.risk_class;
  });
  selection.targets.clear();
  selection.targets.shrink_to_fit();
  bundle.teams = std::move(teams);
  result.workload = std::move(workload);
  BundleBytes bytes = WriteBundleBytes(bundle, options.threads);
  result.bundle_json = std::move(bytes.json);
  result.bundle_digest = std::move(bytes.digest);
  clock.Lap(&DrawPhaseSeconds::bundle);
  return result;
}

}  // namespace regulation::scheduler
