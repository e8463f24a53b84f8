#include "scheduler/round_chain.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"

namespace regulation::scheduler {
namespace {

absl::Status Broken(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("chain: ", what));
}

}  // namespace

absl::Status CheckRoundChain(const DrawBundle& previous, absl::string_view previous_json,
                             const std::vector<EntropyValue>& previous_values,
                             const DrawBundle& bundle, const std::vector<EntropyValue>& values) {
  const int64_t r = bundle.round;
  if (!bundle.replacement.has_value()) return Broken("round 0 has no previous round");
  if (previous.round != r - 1) {
    return Broken(absl::StrFormat("the previous bundle is round %d; round %d follows round %d",
                                  previous.round, r, r - 1));
  }
  if (!(previous.plan == bundle.plan) || previous.digests.plan != bundle.digests.plan ||
      previous.digests.population != bundle.digests.population ||
      previous.digests.population_classes != bundle.digests.population_classes) {
    return Broken("the previous bundle is of another plan or population");
  }
  const bool restaff = bundle.commitment.kind == RoundKind::kRestaff;
  if (!restaff && bundle.digests.roster != previous.digests.roster) {
    return Broken(absl::StrFormat(
        "round %d staffs from roster %s, the previous round from %s; only a re-staffing round "
        "freezes a roster of its own",
        r, bundle.digests.roster, previous.digests.roster));
  }
  const BundleReplacement& rep = *bundle.replacement;
  const std::string previous_digest = Sha256Hex(previous_json);
  if (rep.previous_bundle_digest != previous_digest) {
    return Broken(
        absl::StrFormat("round %d names previous bundle %s, but the bundle given hashes to %s", r,
                        rep.previous_bundle_digest, previous_digest));
  }
  if (bundle.commitment.nonce_commitment == previous.commitment.nonce_commitment ||
      bundle.nonce == previous.nonce) {
    return Broken(absl::StrFormat(
        "round %d reuses round %d's nonce commitment %s: after a round is drawn its nonce is "
        "public, so every later round needs a fresh one",
        r, r - 1, bundle.commitment.nonce_commitment));
  }
  for (const EntropyStatement& s : bundle.statements) {
    for (const EntropyStatement& p : previous.statements) {
      if (s == p) {
        return Broken(absl::StrFormat("round %d reuses round %d's statement of source %s", r, r - 1,
                                      s.source_id));
      }
    }
  }
  for (const EntropyValue& v : values) {
    for (const EntropyValue& p : previous_values) {
      if (v.value == p.value) {
        return Broken(
            absl::StrFormat("round %d's value of source %s repeats round %d's value of source %s",
                            r, v.source_id, r - 1, p.source_id));
      }
    }
  }

  // Exclusions and workload carried over.
  std::set<std::string> earlier;
  if (previous.replacement.has_value()) {
    earlier.insert(previous.replacement->excluded.begin(), previous.replacement->excluded.end());
  }
  std::map<std::string, const BundleTarget*> previous_targets;
  for (const BundleTarget& t : previous.targets) {
    earlier.insert(t.credit_code);
    previous_targets[t.credit_code] = &t;
  }
  const std::set<std::string> excluded(rep.excluded.begin(), rep.excluded.end());
  for (const std::string& code : earlier) {
    if (excluded.count(code) == 0) {
      return Broken(
          absl::StrFormat("round %d does not exclude %s, a target of an earlier round", r, code));
    }
  }
  std::map<std::string, int64_t> workload;
  if (previous.replacement.has_value()) {
    for (const auto& [id, count] : previous.replacement->prior_workload) workload[id] += count;
  }
  for (const TeamResult& team : previous.teams) {
    if (team.status != StaffingStatus::kStaffed) continue;
    for (const std::string& id : team.inspector_ids) ++workload[id];
  }
  const std::map<std::string, int64_t> carried(rep.prior_workload.begin(),
                                               rep.prior_workload.end());
  if (carried != workload) {
    return Broken(absl::StrFormat(
        "round %d's prior workload is not round %d's prior workload plus its staffed teams", r,
        r - 1));
  }

  // The targets the round names.
  std::map<std::string, const TeamResult*> previous_teams;
  for (const TeamResult& team : previous.teams) previous_teams[team.credit_code] = &team;
  for (const std::string& code : rep.named) {
    if (earlier.count(code) == 0) {
      return Broken(absl::StrFormat("round %d names %s, which no earlier round drew", r, code));
    }
    if (restaff) {
      auto team = previous_teams.find(code);
      if (team != previous_teams.end() && team->second->status == StaffingStatus::kStaffed) {
        return Broken(
            absl::StrFormat("round %d re-staffs %s, which round %d staffed", r, code, r - 1));
      }
    }
  }
  if (restaff) {
    for (const BundleTarget& t : bundle.targets) {
      auto found = previous_targets.find(t.credit_code);
      if (found != previous_targets.end() && found->second->region_code != t.region_code) {
        return Broken(absl::StrFormat("%s: region code \"%s\", round %d listed \"%s\"",
                                      t.credit_code, t.region_code, r - 1,
                                      found->second->region_code));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
