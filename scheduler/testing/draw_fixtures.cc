#include "scheduler/testing/draw_fixtures.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "scheduler/population_csv.h"
#include "scheduler/roster_json.h"

namespace regulation::scheduler::testing {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::fprintf(stderr, "draw_fixtures: %s\n", value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

}  // namespace

std::string WithCheckCharacter(absl::string_view first17) {
  return absl::StrCat(first17, std::string(1, CreditCodeCheckCharacter(first17)));
}

std::string TestCreditCode(int64_t serial, absl::string_view region) {
  return WithCheckCharacter(absl::StrFormat("91%s%08d0", region, serial));
}

FrozenPopulation TestPopulation(int64_t size, const std::vector<std::string>& regions) {
  static constexpr int kClasses[] = {1, 1, 2, 3, 4};
  FrozenPopulation population;
  for (int64_t i = 0; i < size; ++i) {
    const std::string& region = regions[i % regions.size()];
    absl::Status status = population.Add(TestCreditCode(i, region), kClasses[i % 5], region);
    if (!status.ok()) std::abort();
  }
  if (!population.Freeze().ok()) std::abort();
  return population;
}

std::string ReadTestData(absl::string_view name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string path =
      absl::StrCat(srcdir != nullptr ? srcdir : ".", "/regulation/scheduler/testdata/", name);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::fprintf(stderr, "draw_fixtures: cannot open %s\n", path.c_str());
    std::abort();
  }
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

PlanSpec SpecPlan() {
  PlanSpec plan;
  plan.plan_id = "PLAN-2026-HZ-007";
  plan.departments = {"市场监管局", "消防救援"};
  plan.items = {
      {"XF-001", "消防救援", "消防监督"},
      {"SC-002", "市场监管局", ""},
      {"SC-001", "市场监管局", "食品安全"},
  };
  plan.quotas = {ClassQuota::RatioPpm(100000), ClassQuota::RatioPpm(250000), ClassQuota::Count(3),
                 ClassQuota::Count(100)};
  plan.team_size = 3;
  plan.workload_cap = 3;
  plan.due_date = "2026-12-31";
  return plan;
}

FrozenPopulation SpecPopulation() {
  return OrDie(ParsePopulationCsv(ReadTestData("spec_population.csv")));
}

FrozenRoster SpecRoster() { return OrDie(ParseRosterJson(ReadTestData("spec_roster.json"))); }

DrawInputs SpecRound0Inputs() {
  DrawInputs inputs;
  inputs.plan = SpecPlan();
  inputs.plan_digest = OrDie(PlanDigest(inputs.plan));
  inputs.population = SpecPopulation().Digests();
  inputs.roster_digest = OrDie(RosterDigest(SpecRoster()));
  inputs.nonce_hex = "5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd";
  inputs.nonce_commitment = "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f";
  inputs.source = {"drand-quicknet", "round 1234567 \"chain 52db9ba7\"\tfuture"};
  inputs.entropy_value = "3439d92d58e47d342131d446a3abe264396dd264717897af30525c98408c834f";
  inputs.round = 0;
  return inputs;
}

DrawInputs SpecRound1Inputs(const DrawResult& round0) {
  DrawInputs inputs = SpecRound0Inputs();
  inputs.round = 1;
  inputs.source = {"witnessed-lottery", "2026-03-09 hall 2"};
  inputs.entropy_value = "round-2 witnessed lottery: 07 19 23 31 42";
  ReplacementRound& r = inputs.replacement.emplace();
  r.previous_bundle_digest = round0.bundle_digest;
  r.counts = {1, 1, 0, 1};
  for (const BundleTarget& target : round0.bundle.targets) r.excluded.push_back(target.credit_code);
  r.excluded.push_back("91330106000179191U");
  r.prior_workload = round0.workload;
  r.previous_entropy_values = {round0.bundle.entropy};
  return inputs;
}

}  // namespace regulation::scheduler::testing
