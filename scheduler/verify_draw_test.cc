#include "scheduler/verify_draw.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/ticket.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ReadTestData;
using ::regulation::scheduler::testing::SpecPopulation;
using ::regulation::scheduler::testing::SpecRoster;

class VerifyDrawTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bundle_json_ = ReadTestData("spec_bundle_round0.json");
    bundle_ = *ParseBundleJson(bundle_json_);
    population_ = SpecPopulation();
    roster_ = SpecRoster();
  }

  absl::Status Verify(const DrawBundle& bundle, bool with_population = false,
                      bool with_roster = false) {
    return VerifyDraw(WriteBundleJson(bundle),
                      with_population ? std::optional<FrozenPopulation>(population_) : std::nullopt,
                      with_roster ? std::optional<FrozenRoster>(roster_) : std::nullopt);
  }

  // A population member that is not a target.
  std::string NonTarget(bool ticket_below_largest_cutoff) {
    std::string largest;
    for (const BundleClass& c : bundle_.classes) {
      if (!c.cutoff.empty() && (largest.empty() || CompareTicketStrings(c.cutoff, largest) > 0)) {
        largest = c.cutoff;
      }
    }
    for (size_t i = 0; i < population_.size(); ++i) {
      const std::string code(population_.credit_code(i));
      bool listed = false;
      for (const BundleTarget& t : bundle_.targets) listed = listed || t.credit_code == code;
      const bool below = CompareTicketStrings(FirstFraction(code, bundle_.seed), largest) <= 0;
      if (!listed && below == ticket_below_largest_cutoff) return code;
    }
    ADD_FAILURE() << "no such enterprise";
    return "";
  }

  struct Swap {
    std::string removed;
    int removed_class = 0;
    std::string added;
    size_t rank = 0;
  };

  // Replaces a target (one that holds no cutoff) by an enterprise whose real ticket is
  // below the largest cutoff, keeping ticket order, ranks and teams consistent: only the
  // population (or the removed enterprise) can tell.
  Swap SwapInNonTarget() {
    Swap swap;
    swap.added = NonTarget(true);
    BundleTarget added{swap.added,
                       std::string(population_.region_code(population_.Find(swap.added))),
                       FirstFraction(swap.added, bundle_.seed), 0};
    size_t victim = 0;
    for (size_t i = 0; i < bundle_.targets.size(); ++i) {
      bool holds_cutoff = false;
      for (const BundleClass& c : bundle_.classes)
        holds_cutoff |= c.cutoff == bundle_.targets[i].ticket;
      if (!holds_cutoff) victim = i;
    }
    swap.removed = bundle_.targets[victim].credit_code;
    swap.removed_class = population_.risk_class(population_.Find(swap.removed));
    bundle_.targets.erase(bundle_.targets.begin() + victim);
    bundle_.teams.erase(bundle_.teams.begin() + victim);
    size_t at = 0;
    while (at < bundle_.targets.size() &&
           CompareTicketStrings(bundle_.targets[at].ticket, added.ticket) < 0) {
      ++at;
    }
    bundle_.targets.insert(bundle_.targets.begin() + at, added);
    TeamResult team;
    team.credit_code = swap.added;
    team.reason = "0 of 3 inspectors found; excluded: none";
    bundle_.teams.insert(bundle_.teams.begin() + at, team);
    for (size_t i = 0; i < bundle_.targets.size(); ++i) bundle_.targets[i].rank = i + 1;
    swap.rank = at + 1;
    return swap;
  }

  std::string bundle_json_;
  DrawBundle bundle_;
  FrozenPopulation population_;
  FrozenRoster roster_;
};

TEST_F(VerifyDrawTest, AcceptsTheSpecBundlesWithAndWithoutFiles) {
  VerifySummary summary;
  EXPECT_TRUE(VerifyDraw(bundle_json_, population_, roster_, &summary).ok());
  EXPECT_EQ(summary.targets, 11);
  EXPECT_EQ(summary.staffed + summary.unstaffed, 11);
  EXPECT_TRUE(summary.population_checked);
  EXPECT_TRUE(summary.roster_checked);
  EXPECT_EQ(summary.bundle_digest,
            "6ff4fda2b6e0776eedd2efe4bb57d68da7b4d274f7a4fc9ee985c2b523f02eb8");
  EXPECT_TRUE(VerifyDraw(bundle_json_, std::nullopt, std::nullopt).ok());
  const std::string round1 = ReadTestData("spec_bundle_round1.json");
  EXPECT_TRUE(VerifyDraw(round1, population_, roster_).ok());
}

TEST_F(VerifyDrawTest, EditedSeedFails) {
  bundle_.seed[5] = bundle_.seed[5] == '0' ? '1' : '0';
  const absl::Status status = Verify(bundle_);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(status.message(), "seed does not match its inputs")) << status;
}

TEST_F(VerifyDrawTest, EditedEntropyFails) {
  bundle_.entropy = "a value chosen after the fact";
  EXPECT_TRUE(absl::StartsWith(Verify(bundle_).message(), "seed does not match its inputs"));
}

TEST_F(VerifyDrawTest, EditedNonceFails) {
  bundle_.nonce[0] = bundle_.nonce[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(Verify(bundle_).message(), "nonce does not match its commitment");
}

TEST_F(VerifyDrawTest, EditedTicketFails) {
  std::string& ticket = bundle_.targets[2].ticket;
  ticket[ticket.size() - 1] = ticket.back() == '0' ? '1' : '0';
  const absl::Status status = Verify(bundle_);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(
      status.message(), "target 3: " + bundle_.targets[2].credit_code + ": ticket does not match"))
      << status;
}

TEST_F(VerifyDrawTest, SwappedTargetWithItsOldTicketFails) {
  bundle_.targets[2].credit_code = NonTarget(true);
  bundle_.teams[2].credit_code = bundle_.targets[2].credit_code;
  const absl::Status status = Verify(bundle_);
  EXPECT_TRUE(absl::StartsWith(status.message(), "target 3: " + bundle_.targets[2].credit_code))
      << status;
}

TEST_F(VerifyDrawTest, SwappedTargetWithItsRealTicketFailsAgainstThePopulation) {
  const Swap swap = SwapInNonTarget();
  EXPECT_TRUE(Verify(bundle_).ok()) << "the bundle alone cannot see this swap";
  const absl::Status status = Verify(bundle_, /*with_population=*/true);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(status.message(),
                                absl::StrCat("target ", swap.rank, ": ", swap.added, ": ticket ")))
      << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "is above the class cutoff")) << status;
}

TEST_F(VerifyDrawTest, OwnTicketSeesItsOmission) {
  // The enterprise swapped out checks its own ticket against its class's cutoff, with
  // nothing but the bundle.
  const Swap swap = SwapInNonTarget();
  const std::string forged = WriteBundleJson(bundle_);
  absl::StatusOr<OwnTicketCheck> check = VerifyOwnTicket(forged, swap.removed, swap.removed_class);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kSelected);
  EXPECT_FALSE(check->listed);
  EXPECT_FALSE(check->consistent);
  EXPECT_TRUE(absl::StrContains(check->explanation, "INCONSISTENT")) << check->explanation;
}

TEST_F(VerifyDrawTest, EditedCutoffFails) {
  bundle_.classes[1].cutoff = "0.9";
  const absl::Status status = Verify(bundle_);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(status.message(),
                               "class B: cutoff 0.9 is not the ticket of a listed target"))
      << status;
}

TEST_F(VerifyDrawTest, CutoffMovedToAnotherTargetFailsAgainstThePopulation) {
  // Class B's cutoff replaced by a larger listed ticket: consistent on its face.
  std::string larger;
  for (const BundleTarget& t : bundle_.targets) {
    if (CompareTicketStrings(t.ticket, bundle_.classes[1].cutoff) > 0) {
      larger = t.ticket;
      break;
    }
  }
  ASSERT_FALSE(larger.empty());
  const std::string original = bundle_.classes[1].cutoff;
  bundle_.classes[1].cutoff = larger;
  EXPECT_TRUE(Verify(bundle_).ok());
  const absl::Status status = Verify(bundle_, /*with_population=*/true);
  EXPECT_TRUE(absl::StartsWith(status.message(), "class B: cutoff differs")) << status;
}

TEST_F(VerifyDrawTest, DroppedTargetFails) {
  bundle_.targets.pop_back();
  bundle_.teams.pop_back();
  EXPECT_TRUE(absl::StartsWith(Verify(bundle_).message(), "the bundle lists 10 targets"));
}

TEST_F(VerifyDrawTest, ReorderedTargetsFail) {
  std::swap(bundle_.targets[3], bundle_.targets[4]);
  std::swap(bundle_.teams[3], bundle_.teams[4]);
  bundle_.targets[3].rank = 4;
  bundle_.targets[4].rank = 5;
  EXPECT_TRUE(absl::StrContains(Verify(bundle_).message(), "out of ticket order"));
}

TEST_F(VerifyDrawTest, EditedTeamFailsAgainstTheRoster) {
  size_t staffed = 0;
  while (bundle_.teams[staffed].status != StaffingStatus::kStaffed) ++staffed;
  bundle_.teams[staffed].inspector_ids[0] = "ZJ-T-01";
  EXPECT_TRUE(Verify(bundle_).ok()) << "shape alone is fine";
  const absl::Status status = Verify(bundle_, false, /*with_roster=*/true);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(
      status.message(), absl::StrCat("team ", staffed + 1, " (", bundle_.teams[staffed].credit_code,
                                     "): expected STAFFED by ")))
      << status;
}

TEST_F(VerifyDrawTest, EditedPlanFails) {
  bundle_.plan.workload_cap = 9;
  EXPECT_TRUE(absl::StartsWith(Verify(bundle_).message(), "plan digest does not match the plan"));
}

TEST_F(VerifyDrawTest, WrongFilesAreAPreconditionFailure) {
  FrozenRoster roster = roster_;
  roster.inspectors.pop_back();
  roster_ = roster;
  EXPECT_EQ(Verify(bundle_, false, true).code(), absl::StatusCode::kFailedPrecondition);
  population_ = testing::TestPopulation(40);
  EXPECT_EQ(Verify(bundle_, true, false).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(VerifyDrawTest, NonCanonicalBytesFail) {
  std::string spaced = bundle_json_;
  spaced.insert(1, " ");
  EXPECT_EQ(VerifyDraw(spaced, std::nullopt, std::nullopt).code(), absl::StatusCode::kDataLoss);
  std::string escaped = bundle_json_;
  const size_t at = escaped.find("PLAN-2026");
  escaped.replace(at, 1, "\\u0050");
  const absl::Status status = VerifyDraw(escaped, std::nullopt, std::nullopt);
  EXPECT_TRUE(absl::StrContains(status.message(), "not in canonical form")) << status;
  EXPECT_EQ(VerifyDraw("{}", std::nullopt, std::nullopt).code(), absl::StatusCode::kDataLoss);
}

TEST_F(VerifyDrawTest, OwnTicketOfASelectedEnterprise) {
  const BundleTarget& target = bundle_.targets[0];
  const int risk_class = population_.risk_class(population_.Find(target.credit_code));
  absl::StatusOr<OwnTicketCheck> check =
      VerifyOwnTicket(bundle_json_, target.credit_code, risk_class);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->listed);
  EXPECT_EQ(check->rank, 1);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kSelected);
  EXPECT_TRUE(check->consistent);
  EXPECT_EQ(check->ticket, target.ticket);
  EXPECT_TRUE(absl::StrContains(check->explanation, "listed at rank 1 (consistent)"))
      << check->explanation;
}

TEST_F(VerifyDrawTest, OwnTicketOfAnEnterpriseNotSelected) {
  const std::string code = NonTarget(false);
  absl::StatusOr<OwnTicketCheck> check = VerifyOwnTicket(bundle_json_, code, /*risk_class=*/0);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->listed);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kNotSelected);
  EXPECT_TRUE(check->consistent);
  const int risk_class = population_.risk_class(population_.Find(code));
  check = VerifyOwnTicket(bundle_json_, code, risk_class);
  EXPECT_EQ(check->expected, OwnTicketCheck::Expectation::kNotSelected);
  EXPECT_TRUE(check->consistent);
}

TEST_F(VerifyDrawTest, OwnTicketRejectsBadArguments) {
  EXPECT_EQ(VerifyOwnTicket(bundle_json_, "bad", 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyOwnTicket(bundle_json_, bundle_.targets[0].credit_code, 7).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::scheduler
