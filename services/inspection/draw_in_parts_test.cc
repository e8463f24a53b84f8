// Plans of any size: a round kept in parts (draw_archive.h, draw_fanout.h) has the same
// outcome as the same round kept whole: the same bundle bytes, targets, teams,
// assignments and rotation history; replacement rounds work on it; and a fan-out a crash
// interrupted is finished at startup.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/internal/inspection_state.pb.h"
#include "scheduler/bundle_parts.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/roster_json.h"
#include "scheduler/seed.h"
#include "scheduler/verify_draw.h"
#include "services/inspection/draw_desk.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using testing::Admin;
using testing::Agency;
using ::testing::HasSubstr;

constexpr char kNonce[] = "5f0c2a7e9b1d4c3a8e6f0b2d4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d";

// One server with its desk's options: the fixture's store, roster, plans and log.
class Deployment : public testing::InspectionFixture {
 public:
  explicit Deployment(DrawDesk::Options options) : InspectionFixture(options) {}
  void TestBody() override {}

  // Creates, commits (to kNonce) and draws the fixture's plan.
  v1::Draw CommitAndDraw() {
    plan_ = CreatePlan();
    EXPECT_OK(Commit(plan_, *scheduler::NonceCommitment(kNonce)));
    absl::StatusOr<v1::Draw> draw = Draw(plan_, "beacon-1", kNonce);
    EXPECT_OK(draw);
    return draw.ok() ? *draw : v1::Draw();
  }

  // The round's bundle as GetDrawBundle streams it, joined, each part checked.
  std::string Bundle(int round) {
    std::string joined;
    v1::GetDrawBundleRequest r;
    r.set_plan_id(plan_.plan_id());
    r.set_round(round);
    EXPECT_OK(desk_.StreamBundle(Agency(), r, [&](const v1::DrawBundlePart& part) {
      EXPECT_EQ(Sha256Hex(part.data()), part.sha256());
      joined += part.data();
      return true;
    }));
    return joined;
  }

  // Every target and team of the round, paged by ListDrawTargets, serialised in order.
  std::vector<std::string> Targets(int round, int page_size) {
    std::vector<std::string> out;
    v1::ListDrawTargetsRequest r;
    r.set_plan_id(plan_.plan_id());
    r.set_round(round);
    r.set_page_size(page_size);
    do {
      absl::StatusOr<v1::ListDrawTargetsResponse> page = desk_.ListDrawTargets(Agency(), r);
      EXPECT_OK(page);
      if (!page.ok()) break;
      EXPECT_EQ(page->targets_size(), page->teams_size());
      for (int i = 0; i < page->targets_size(); ++i) {
        out.push_back(page->targets(i).SerializeAsString() + "|" +
                      page->teams(i).SerializeAsString());
      }
      r.set_page_token(page->next_page_token());
    } while (!r.page_token().empty());
    return out;
  }

  // Every assignment of the plan by id, without its time, and every history entry.
  std::map<std::string, std::string> Assignments() {
    std::map<std::string, std::string> out;
    v1::ListPlanAssignmentsRequest r;
    r.set_plan_id(plan_.plan_id());
    do {
      absl::StatusOr<v1::ListPlanAssignmentsResponse> page = board_.ListForPlan(r);
      EXPECT_OK(page);
      if (!page.ok()) break;
      for (v1::Assignment a : page->assignments()) {
        a.clear_assign_time();
        out[a.assignment_id()] = a.SerializeAsString();
      }
      r.set_page_token(page->next_page_token());
    } while (!r.page_token().empty());
    return out;
  }
  std::map<std::string, std::string> History() {
    std::map<std::string, std::string> out;
    std::unique_ptr<storage::Iterator> it = store_->NewIterator(ColumnFamily::kInspectionHistory);
    for (it->SeekToFirst(); it->Valid(); it->Next()) out[std::string(it->key())] = std::string(it->value());
    return out;
  }

  using InspectionFixture::Announce;
  using InspectionFixture::desk_;
  using InspectionFixture::LoggedBody;
  using InspectionFixture::log_;
  using InspectionFixture::Population;
  using InspectionFixture::Record;
  using InspectionFixture::Replace;
  using InspectionFixture::store_;
  v1::Plan plan_;
};

// Every round in parts, and small parts and slices so that there are many of each.
DrawDesk::Options InParts() {
  DrawDesk::Options options;
  options.archive.inline_bundle_bytes = 0;
  options.archive.bundle_part_bytes = 1024;
  options.archive.targets_per_slice = 7;
  return options;
}

TEST(DrawInParts, HasTheOutcomeOfTheSameDrawKeptWhole) {
  Deployment whole({});
  Deployment parts(InParts());
  const v1::Draw w = whole.CommitAndDraw();
  const v1::Draw p = parts.CommitAndDraw();
  ASSERT_GT(w.targets_size(), 20);
  EXPECT_TRUE(w.bundle_parts().empty()) << "a small round is kept whole, as before";

  // The summary: no bulk, the counts, the parts' digests.
  EXPECT_EQ(p.targets_size(), 0);
  EXPECT_EQ(p.teams_size(), 0);
  EXPECT_TRUE(p.bundle_json().empty());
  EXPECT_EQ(p.target_count(), w.targets_size());
  EXPECT_EQ(p.unstaffed_count(), w.unstaffed_count());
  EXPECT_EQ(p.bundle_digest(), w.bundle_digest());
  EXPECT_EQ(p.bundle_bytes(), static_cast<int64_t>(w.bundle_json().size()));
  EXPECT_EQ(p.bundle_parts_size(), (w.bundle_json().size() + 1023) / 1024);

  // The same bytes, targets, teams, assignments and history.
  const std::string bundle = parts.Bundle(0);
  EXPECT_EQ(bundle, w.bundle_json());
  EXPECT_EQ(whole.Bundle(0), w.bundle_json()) << "a round kept whole streams too";
  const std::vector<std::string> targets = parts.Targets(0, 5);
  EXPECT_EQ(targets.size(), static_cast<size_t>(w.targets_size()));
  EXPECT_EQ(targets, whole.Targets(0, 1000));
  EXPECT_EQ(parts.Assignments(), whole.Assignments());
  EXPECT_FALSE(parts.Assignments().empty());
  EXPECT_EQ(parts.History(), whole.History());
  EXPECT_FALSE(parts.Record(parts.plan_).fanout_pending());

  // The log names each part's digest; the bundle verifies against the frozen files.
  const std::string logged = parts.LoggedBody(parts.log_.entries().size() - 1);
  EXPECT_THAT(logged, HasSubstr("\"kind\":\"DRAW\""));
  EXPECT_THAT(logged, HasSubstr(p.bundle_parts(0).sha256()));
  EXPECT_THAT(logged, HasSubstr("\"bundle_part_bytes\":\"1024\""));
  absl::StatusOr<scheduler::FrozenRoster> roster =
      scheduler::ParseRosterJson(parts.Record(parts.plan_).frozen_roster_json());
  ASSERT_OK(roster);
  EXPECT_OK(scheduler::VerifyDraw(bundle, parts.Population(parts.plan_), *roster));
}

TEST(DrawInParts, AReplacementRoundReadsTheEarlierTargetsFromTheParts) {
  Deployment whole({});
  Deployment parts(InParts());
  const v1::Draw w = whole.CommitAndDraw();
  parts.CommitAndDraw();
  const std::vector<std::string> replaced = {w.targets(0).credit_code(),
                                             w.targets(3).credit_code()};
  ASSERT_OK(whole.Announce(whole.plan_, replaced).status());
  ASSERT_OK(parts.Announce(parts.plan_, replaced).status());
  absl::StatusOr<v1::Draw> w1 = whole.Replace(whole.plan_);
  absl::StatusOr<v1::Draw> p1 = parts.Replace(parts.plan_);
  ASSERT_OK(w1);
  ASSERT_OK(p1);

  // Each round seals its own nonce, so the two servers draw different replacements; what
  // the round took from the earlier one, read from its parts, is the same.
  absl::StatusOr<scheduler::DrawBundle> wb = scheduler::ParseBundleJson(w1->bundle_json());
  absl::StatusOr<scheduler::DrawBundle> pb = scheduler::ParseBundleJson(parts.Bundle(1));
  ASSERT_OK(wb);
  ASSERT_OK(pb);
  ASSERT_TRUE(wb->replacement.has_value() && pb->replacement.has_value());
  EXPECT_EQ(pb->replacement->previous_bundle_digest, wb->replacement->previous_bundle_digest);
  EXPECT_EQ(pb->replacement->named, wb->replacement->named);
  EXPECT_EQ(pb->replacement->counts, wb->replacement->counts);
  EXPECT_EQ(pb->replacement->excluded, wb->replacement->excluded);
  EXPECT_EQ(pb->replacement->prior_workload, wb->replacement->prior_workload);

  // The round verifies, chained to round 0; the replaced targets' teams are stood down.
  scheduler::VerifyContext context;
  context.previous_bundle = parts.Bundle(0);
  absl::StatusOr<scheduler::FrozenRoster> roster =
      scheduler::ParseRosterJson(parts.Record(parts.plan_).frozen_roster_json());
  ASSERT_OK(roster);
  EXPECT_OK(scheduler::VerifyDraw(parts.Bundle(1), parts.Population(parts.plan_), *roster,
                                  nullptr, context));
  for (const auto& [id, assignment] : parts.Assignments()) {
    for (const std::string& code : replaced) EXPECT_THAT(id, ::testing::Not(HasSubstr(code)));
  }
  EXPECT_EQ(parts.Targets(1, 3).size(), static_cast<size_t>(p1->target_count()));
}

TEST(DrawInParts, AFanOutACrashInterruptedIsFinishedAtStartup) {
  Deployment parts(InParts());
  parts.CommitAndDraw();
  const std::map<std::string, std::string> assignments = parts.Assignments();
  const std::map<std::string, std::string> history = parts.History();
  ASSERT_FALSE(assignments.empty());

  // As if the server had died after storing the round, with part of its fan-out written:
  // the plan marked, half of the assignments and all of the history there.
  internal::PlanRecord record = parts.Record(parts.plan_);
  record.set_fanout_pending(true);
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kPlans, parts.plan_.plan_id(), record.SerializeAsString());
  int n = 0;
  std::unique_ptr<storage::Iterator> it = parts.store_->NewIterator(ColumnFamily::kAssignments);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (n++ % 2 == 0) batch.Delete(ColumnFamily::kAssignments, it->key());
  }
  it.reset();
  ASSERT_OK(parts.store_->Write(batch));
  ASSERT_NE(parts.Assignments(), assignments);

  ASSERT_OK(parts.desk_.ResumeFanOuts());
  EXPECT_EQ(parts.Assignments(), assignments);
  EXPECT_EQ(parts.History(), history) << "written twice, the history keeps one level";
  EXPECT_FALSE(parts.Record(parts.plan_).fanout_pending());
}

TEST(DrawInParts, PagingAndRoundsAreChecked) {
  Deployment parts(InParts());
  parts.CommitAndDraw();
  v1::ListDrawTargetsRequest r;
  r.set_plan_id(parts.plan_.plan_id());
  r.set_page_size(5001);
  EXPECT_THAT(parts.desk_.ListDrawTargets(Agency(), r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  r.set_page_size(10);
  r.set_page_token("x");
  EXPECT_THAT(parts.desk_.ListDrawTargets(Agency(), r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  r.clear_page_token();
  r.set_round(1);
  EXPECT_THAT(parts.desk_.ListDrawTargets(Agency(), r),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no round 1")));
  v1::GetDrawBundleRequest b;
  b.set_plan_id(parts.plan_.plan_id());
  b.set_round(2);
  EXPECT_THAT(parts.desk_.StreamBundle(Agency(), b, [](const v1::DrawBundlePart&) { return true; }),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(DrawInParts, APartAlteredInStorageIsDataLoss) {
  Deployment parts(InParts());
  parts.CommitAndDraw();
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kDrawChunks, absl::StrCat(parts.plan_.plan_id(), "/000000/b/000001"),
            "not the part");
  ASSERT_OK(parts.store_->Write(batch));
  v1::GetDrawBundleRequest b;
  b.set_plan_id(parts.plan_.plan_id());
  EXPECT_THAT(parts.desk_.StreamBundle(Agency(), b, [](const v1::DrawBundlePart&) { return true; }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not match its SHA-256")));
}

}  // namespace
}  // namespace regulation::services
