#include "scheduler/draw.h"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/field_checks.h"
#include "scheduler/seed.h"
#include "scheduler/target_selection.h"

namespace regulation::scheduler {
namespace {

absl::Status CheckEntropySource(const EntropySource& source) {
  REG_RETURN_IF_ERROR(CheckText("entropy_source.kind", source.kind, 128));
  if (source.reference.size() > 1024 || !IsValidUtf8(source.reference)) {
    return absl::InvalidArgumentError("entropy_source.reference: must be 0-1024 bytes of UTF-8");
  }
  return absl::OkStatus();
}

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
  for (const std::string& previous : r.previous_entropy_values) {
    if (previous == inputs.entropy_value) {
      return absl::InvalidArgumentError(
          "entropy: already used by an earlier round; a replacement round needs fresh entropy");
    }
  }
  return absl::OkStatus();
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

}  // namespace

absl::StatusOr<DrawResult> RunDraw(const DrawInputs& inputs, PopulationSource& population,
                                   const FrozenRoster& roster, const DrawOptions& options) {
  // 1. The inputs against what was committed.
  REG_ASSIGN_OR_RETURN(const std::string plan_digest, PlanDigest(inputs.plan));
  if (plan_digest != inputs.plan_digest) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the plan's digest is %s, but %s was committed", plan_digest, inputs.plan_digest));
  }
  REG_ASSIGN_OR_RETURN(const std::string commitment, NonceCommitment(inputs.nonce_hex));
  if (commitment != inputs.nonce_commitment) {
    return absl::FailedPreconditionError("the nonce does not match its commitment");
  }
  REG_ASSIGN_OR_RETURN(const std::string roster_digest, RosterDigest(roster));
  if (roster_digest != inputs.roster_digest) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the roster's digest is %s, but %s was committed", roster_digest, inputs.roster_digest));
  }
  REG_RETURN_IF_ERROR(CheckEntropySource(inputs.source));
  REG_RETURN_IF_ERROR(CheckReplacement(inputs));
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (inputs.population.class_sizes[c] < 0) {
      return absl::InvalidArgumentError("population.class_sizes: must not be negative");
    }
  }

  // 2. The seed.
  SeedInputs seed_inputs;
  seed_inputs.plan_digest = plan_digest;
  seed_inputs.population_digest = inputs.population.overall;
  seed_inputs.class_population_digests = inputs.population.classes;
  seed_inputs.roster_digest = roster_digest;
  seed_inputs.nonce_hex = inputs.nonce_hex;
  seed_inputs.entropy_value = inputs.entropy_value;
  seed_inputs.round = inputs.round;
  REG_ASSIGN_OR_RETURN(const std::string seed, DeriveSeed(seed_inputs));

  // 3. Targets.
  const PlanSpec plan = CanonicalPlanSpec(inputs.plan);
  std::array<int64_t, kRiskClassCount> counts;
  absl::flat_hash_set<std::string> excluded;
  WorkloadCounts workload;
  for (int c = 0; c < kRiskClassCount; ++c) {
    counts[c] = inputs.round == 0 ? QuotaCount(plan.quotas[c], inputs.population.class_sizes[c])
                                  : inputs.replacement->counts[c];
  }
  if (inputs.replacement.has_value()) {
    excluded.insert(inputs.replacement->excluded.begin(), inputs.replacement->excluded.end());
    workload = inputs.replacement->prior_workload;
  }
  SelectionOptions selection_options;
  selection_options.threads = options.threads;
  REG_ASSIGN_OR_RETURN(TargetSelection selection,
                       SelectTargets(population, seed, counts, excluded, selection_options));
  for (int c = 0; c < kRiskClassCount; ++c) {
    if (selection.classes[c].class_size != inputs.population.class_sizes[c]) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "the population streamed has %d class-%c enterprises, but %d were committed",
          selection.classes[c].class_size, RiskClassLetter(c + 1),
          inputs.population.class_sizes[c]));
    }
  }

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

  // 5. The bundle.
  DrawResult result;
  DrawBundle& bundle = result.bundle;
  bundle.plan = plan;
  bundle.digests.plan = plan_digest;
  bundle.digests.population = inputs.population.overall;
  bundle.digests.population_classes = inputs.population.classes;
  bundle.digests.roster = roster_digest;
  bundle.nonce_commitment = inputs.nonce_commitment;
  bundle.entropy_source = inputs.source;
  bundle.nonce = inputs.nonce_hex;
  bundle.entropy = inputs.entropy_value;
  bundle.round = inputs.round;
  if (inputs.replacement.has_value()) {
    const ReplacementRound& r = *inputs.replacement;
    BundleReplacement& out = bundle.replacement.emplace();
    out.previous_bundle_digest = r.previous_bundle_digest;
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
  result.bundle_json = WriteBundleJson(bundle);
  result.bundle_digest = Sha256Hex(result.bundle_json);
  return result;
}

}  // namespace regulation::scheduler
