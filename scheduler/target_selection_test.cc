#include "scheduler/target_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scheduler/population.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/testing/shuffled_source.h"
#include "scheduler/ticket.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::TestCreditCode;
using ::regulation::scheduler::testing::TestPopulation;
using ::regulation::testing::StatusIs;

// The selection by definition: sort each class by ticket string, take the first n.
std::vector<std::string> BruteForce(const FrozenPopulation& population, const std::string& seed,
                                    const std::array<int64_t, 4>& counts) {
  std::vector<std::pair<std::string, std::string>> chosen;  // (ticket, code)
  for (int c = 1; c <= 4; ++c) {
    std::vector<std::pair<std::string, std::string>> pool;
    for (size_t i = 0; i < population.size(); ++i) {
      if (population.risk_class(i) != c) continue;
      const std::string code(population.credit_code(i));
      pool.emplace_back(FirstFraction(code, seed), code);
    }
    std::sort(pool.begin(), pool.end(), [](const auto& a, const auto& b) {
      return CompareTicketStrings(a.first, b.first) < 0;
    });
    pool.resize(std::min<int64_t>(counts[c - 1], pool.size()));
    chosen.insert(chosen.end(), pool.begin(), pool.end());
  }
  std::sort(chosen.begin(), chosen.end(), [](const auto& a, const auto& b) {
    return CompareTicketStrings(a.first, b.first) < 0;
  });
  std::vector<std::string> codes;
  for (const auto& [ticket, code] : chosen) codes.push_back(code);
  return codes;
}

std::vector<std::string> Codes(const TargetSelection& selection) {
  std::vector<std::string> codes;
  for (const SelectedTarget& t : selection.targets) codes.push_back(t.credit_code);
  return codes;
}

TEST(SelectTargets, TakesTheSmallestTicketsOfEachClass) {
  const FrozenPopulation population = TestPopulation(500, {"330106", "330108"});
  const std::array<int64_t, 4> counts = {7, 0, 30, 500};
  FrozenPopulationSource source(&population);
  absl::StatusOr<TargetSelection> selection = SelectTargets(source, "seed-1", counts, {});
  ASSERT_OK(selection);
  EXPECT_EQ(Codes(*selection), BruteForce(population, "seed-1", counts));
  // Classes cycle A, A, B, C, D over 500 rows.
  EXPECT_EQ(selection->classes[0].population, 200);
  EXPECT_EQ(selection->classes[0].selected, 7);
  EXPECT_EQ(selection->classes[1].selected, 0);
  EXPECT_EQ(selection->classes[1].cutoff, "");
  EXPECT_EQ(selection->classes[3].selected, 100);  // capped at the class size
  for (const SelectedTarget& t : selection->targets) {
    EXPECT_EQ(t.ticket.ToString(), FirstFraction(t.credit_code, "seed-1"));
    EXPECT_LE(
        CompareTicketStrings(t.ticket.ToString(), selection->classes[t.risk_class - 1].cutoff), 0);
    EXPECT_EQ(t.region_code, population.region_code(population.Find(t.credit_code)));
  }
}

TEST(SelectTargets, CutoffIsTheLargestSelectedTicket) {
  const FrozenPopulation population = TestPopulation(300);
  FrozenPopulationSource source(&population);
  absl::StatusOr<TargetSelection> selection = SelectTargets(source, "cut", {5, 5, 5, 5}, {});
  ASSERT_OK(selection);
  for (int c = 0; c < 4; ++c) {
    std::string largest;
    for (const SelectedTarget& t : selection->targets) {
      if (t.risk_class == c + 1 &&
          (largest.empty() || CompareTicketStrings(t.ticket.ToString(), largest) > 0)) {
        largest = t.ticket.ToString();
      }
    }
    EXPECT_EQ(selection->classes[c].cutoff, largest);
  }
}

TEST(SelectTargets, ResultDoesNotDependOnOrderOrThreads) {
  const FrozenPopulation population = TestPopulation(20000, {"330106", "330203", "330302"});
  const std::array<int64_t, 4> counts = {100, 40, 400, 3};
  FrozenPopulationSource sorted(&population);
  SelectionOptions one_thread;
  one_thread.threads = 1;
  absl::StatusOr<TargetSelection> base = SelectTargets(sorted, "s", counts, {}, one_thread);
  ASSERT_OK(base);
  for (int threads : {2, 3, 5}) {
    for (uint64_t shuffle : {1u, 2u}) {
      ShuffledSource source(&population, shuffle);
      SelectionOptions options;
      options.threads = threads;
      absl::StatusOr<TargetSelection> other = SelectTargets(source, "s", counts, {}, options);
      ASSERT_OK(other);
      EXPECT_EQ(Codes(*other), Codes(*base)) << threads << " threads, shuffle " << shuffle;
      for (int c = 0; c < 4; ++c) EXPECT_EQ(other->classes[c].cutoff, base->classes[c].cutoff);
    }
  }
}

TEST(SelectTargets, SmallerDrawIsAPrefixOfALargerOne) {
  const FrozenPopulation population = TestPopulation(1000);
  FrozenPopulationSource source(&population);
  absl::StatusOr<TargetSelection> small = SelectTargets(source, "p", {0, 10, 0, 0}, {});
  absl::StatusOr<TargetSelection> large = SelectTargets(source, "p", {0, 50, 0, 0}, {});
  ASSERT_OK(small);
  ASSERT_OK(large);
  const std::vector<std::string> a = Codes(*small);
  const std::vector<std::string> b = Codes(*large);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin()));
}

TEST(SelectTargets, SkipsExcludedEnterprises) {
  const FrozenPopulation population = TestPopulation(400);
  FrozenPopulationSource source(&population);
  absl::StatusOr<TargetSelection> first = SelectTargets(source, "x", {10, 10, 10, 10}, {});
  ASSERT_OK(first);
  absl::flat_hash_set<std::string> excluded;
  for (const SelectedTarget& t : first->targets) excluded.insert(t.credit_code);
  absl::StatusOr<TargetSelection> second = SelectTargets(source, "x", {10, 10, 10, 10}, excluded);
  ASSERT_OK(second);
  for (const SelectedTarget& t : second->targets) EXPECT_FALSE(excluded.contains(t.credit_code));
  EXPECT_EQ(second->classes[0].class_size, 160);
  EXPECT_EQ(second->classes[0].population, 150);
  // Same seed, survivors excluded: the next ten of each class, in order.
  absl::StatusOr<TargetSelection> both = SelectTargets(source, "x", {20, 20, 20, 20}, {});
  ASSERT_OK(both);
  std::vector<std::string> rest;
  for (const std::string& code : Codes(*both)) {
    if (!excluded.contains(code)) rest.push_back(code);
  }
  EXPECT_EQ(Codes(*second), rest);
}

TEST(SelectTargets, ReportsTheFirstMalformedRow) {
  class BadSource : public PopulationSource {
   public:
    absl::Status ForEach(const Visitor& visit) override {
      for (int i = 0; i < 10000; ++i) {
        std::string code = TestCreditCode(i);
        if (i == 7000 || i == 9000) code[17] = code[17] == '0' ? '1' : '0';  // bad check char
        absl::Status status = visit(code, 1, "");
        if (!status.ok()) return status;
      }
      return absl::OkStatus();
    }
  };
  BadSource source;
  for (int threads : {1, 2}) {
    SelectionOptions options;
    options.threads = threads;
    absl::StatusOr<TargetSelection> selection =
        SelectTargets(source, "s", {1, 1, 1, 1}, {}, options);
    EXPECT_THAT(selection, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_TRUE(absl::StartsWith(selection.status().message(), "population row 7000: "))
        << selection.status();
  }
}

TEST(SelectTargets, DetectsASelectedDuplicate) {
  class DuplicateSource : public PopulationSource {
   public:
    absl::Status ForEach(const Visitor& visit) override {
      for (int i = 0; i < 5; ++i) {
        absl::Status status = visit(TestCreditCode(i), 2, "");
        if (!status.ok()) return status;
      }
      return visit(TestCreditCode(3), 2, "");
    }
  };
  DuplicateSource source;
  EXPECT_THAT(SelectTargets(source, "s", {0, 6, 0, 0}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SelectTargets, PassesOnTheSourcesError) {
  class FailingSource : public PopulationSource {
   public:
    absl::Status ForEach(const Visitor& visit) override {
      return absl::UnavailableError("store closed");
    }
  };
  FailingSource source;
  EXPECT_THAT(SelectTargets(source, "s", {1, 1, 1, 1}, {}),
              StatusIs(absl::StatusCode::kUnavailable));
}

// Each enterprise of a class of N = 50 is selected with probability n/N = 5/50. Over
// 4,000 seeds every enterprise expects 400 selections; Pearson's chi-square over the 50
// counts has 49 degrees of freedom; 85.35 is its 0.999 quantile (p = 0.001). The seeds
// are fixed, so the test is deterministic.
TEST(SelectTargets, SelectsUniformlyWithinAClass) {
  FrozenPopulation population;
  for (int i = 0; i < 50; ++i) ASSERT_OK(population.Add(TestCreditCode(i), 2, "330106"));
  constexpr int kOtherClasses[] = {1, 3, 4};
  for (int i = 50; i < 90; ++i) {
    ASSERT_OK(population.Add(TestCreditCode(i), kOtherClasses[i % 3], ""));
  }
  absl::flat_hash_map<std::string, int> serial_of;
  for (int i = 0; i < 50; ++i) serial_of[TestCreditCode(i)] = i;
  ASSERT_OK(population.Freeze());
  FrozenPopulationSource source(&population);
  std::vector<int> hits(50, 0);
  constexpr int kSeeds = 4000;
  SelectionOptions options;
  options.threads = 1;
  for (int s = 0; s < kSeeds; ++s) {
    absl::StatusOr<TargetSelection> selection =
        SelectTargets(source, absl::StrCat("uniformity-", s), {3, 5, 2, 1}, {}, options);
    ASSERT_OK(selection);
    ASSERT_EQ(selection->classes[1].selected, 5);
    for (const SelectedTarget& t : selection->targets) {
      if (t.risk_class != 2) continue;
      ++hits[serial_of.at(t.credit_code)];
    }
  }
  const double expected = kSeeds * 5.0 / 50.0;
  double chi_square = 0;
  for (int h : hits) chi_square += (h - expected) * (h - expected) / expected;
  std::printf("chi-square %.2f over 49 degrees of freedom (bounds 28.94, 85.35)\n", chi_square);
  EXPECT_LT(chi_square, 85.35) << "chi-square " << chi_square;
  // And not suspiciously perfect (p > 0.999 would be 28.94 at 49 degrees of freedom).
  EXPECT_GT(chi_square, 28.94) << "chi-square " << chi_square;
}

}  // namespace
}  // namespace regulation::scheduler
