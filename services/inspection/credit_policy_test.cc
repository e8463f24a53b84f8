// Issue 16 item 3 at the service: a plan's credit policy freezes the classes draw-spec §3.4
// documents (official class, stricter class, dishonest list), a listing and its repair
// change the draw from their dates, the bundle publishes the policy and verify-draw
// re-checks it; bad policies are refused naming the field.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/internal/portrait_state.pb.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/verify_draw.h"
#include "scoring/portrait_state.h"
#include "services/common/proto_time.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using testing::Agency;
using ::testing::HasSubstr;

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;

class CreditPolicyTest : public testing::InspectionFixture {
 protected:
  // The enterprise's events, folded into its stored portrait state as ingestion would.
  void SetEvents(const std::string& code, const std::vector<v1::Event>& events) {
    internal::PortraitState state;
    state.set_credit_code(code);
    for (const v1::Event& e : events) {
      scoring::FoldEvent(e, absl::ToUnixMicros(*FromProtoTimestamp(e.occur_time())), &state);
    }
    storage::WriteBatch batch;
    batch.Put(ColumnFamily::kPortraits, code, state.SerializeAsString());
    ASSERT_OK(store_->Write(batch));
  }

  static v1::Event At(std::string id, absl::Time when) {
    v1::Event e;
    e.set_event_id(std::move(id));
    e.set_source_department("samr");
    *e.mutable_occur_time() = ToProtoTimestamp(when);
    return e;
  }
  static v1::Event Official(std::string id, absl::Time when, v1::RiskClass c) {
    v1::Event e = At(std::move(id), when);
    e.mutable_official_credit_class()->set_risk_class(c);
    e.mutable_official_credit_class()->set_authority("杭州市市场监督管理局");
    return e;
  }
  static v1::Event Listing(std::string id, absl::Time when) {
    v1::Event e = At(std::move(id), when);
    e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
    e.mutable_serious_dishonesty()->set_authority("杭州市市场监督管理局");
    e.mutable_serious_dishonesty()->set_reason("serious_violation");
    return e;
  }
  static v1::Event Repair(std::string id, absl::Time when) {
    v1::Event e = At(std::move(id), when);
    e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_REMOVED);
    e.mutable_serious_dishonesty()->set_repair_basis("杭市监信修〔2026〕7号");
    return e;
  }

  absl::StatusOr<v1::Plan> CreateWith(v1::CreditClassSource source, v1::DishonestListPolicy policy,
                                      bool count_quotas = false) {
    v1::CreatePlanRequest r;
    v1::Plan* p = r.mutable_plan();
    p->set_title("2027年信用分级分类双随机抽查");
    p->add_departments("samr");
    p->add_item_ids("food-1");
    p->mutable_population()->set_region_prefix("3301");
    const double ratios[] = {0.02, 0.05, 0.1, 0.3};
    for (int c = 0; c < 4; ++c) {
      v1::ClassQuota* q = p->add_quotas();
      q->set_risk_class(static_cast<v1::RiskClass>(c + 1));
      if (count_quotas) {
        q->set_count(2);
      } else {
        q->set_ratio(ratios[c]);
      }
    }
    p->set_team_size(2);
    p->set_workload_cap(8);
    *p->mutable_due_date() = ToProtoDate(absl::CivilDay(2027, 3, 31));
    p->set_credit_class_source(source);
    p->set_dishonest_list_policy(policy);
    return plans_.Create(Agency(), r);
  }

  // The frozen class of enterprise `i` in `plan`'s population.
  int FrozenClass(const v1::Plan& plan, int i) {
    const scheduler::FrozenPopulation population = Population(plan);
    const int64_t row = population.Find(codes_[i]);
    EXPECT_GE(row, 0) << codes_[i];
    return row < 0 ? 0 : population.risk_class(row);
  }

  std::set<std::string> Targets(const v1::Draw& draw) {
    std::set<std::string> out;
    absl::StatusOr<scheduler::DrawBundle> bundle = scheduler::ParseBundleJson(draw.bundle_json());
    EXPECT_OK(bundle);
    if (bundle.ok()) {
      for (const auto& t : bundle->targets) out.insert(t.credit_code);
    }
    return out;
  }
};

// The fixture scores enterprise i in class 1 + i % 4 (A-D); i % 10 == 0 is never scored
// (B); i % 7 == 0 is deregistered.
TEST_F(CreditPolicyTest, OfficialClassPoliciesFreezeTheDocumentedClasses) {
  const absl::Time now = clock_.Now();
  SetEvents(codes_[1], {Official("c1", now - absl::Hours(240), v1::RISK_CLASS_D)});  // model B
  SetEvents(codes_[3], {Official("c3", now - absl::Hours(240), v1::RISK_CLASS_A)});  // model D
  // An official class dated after the commit does not count yet.
  SetEvents(codes_[5], {Official("c5", now + absl::Hours(24), v1::RISK_CLASS_D)});  // model B

  struct Case {
    v1::CreditClassSource source;
    int c1, c3, c5, c2;
  };
  const Case cases[] = {
      {v1::CREDIT_CLASS_SOURCE_UNSPECIFIED, 2, 4, 2, 3},
      {v1::CREDIT_CLASS_SOURCE_MODEL, 2, 4, 2, 3},
      {v1::CREDIT_CLASS_SOURCE_OFFICIAL, 4, 1, 2, 3},  // no official class: the model's
      {v1::CREDIT_CLASS_SOURCE_STRICTER, 4, 4, 2, 3},
  };
  std::set<std::string> digests;
  for (const Case& c : cases) {
    absl::StatusOr<v1::Plan> plan = CreateWith(c.source, v1::DISHONEST_LIST_POLICY_UNSPECIFIED);
    ASSERT_OK(plan);
    absl::StatusOr<v1::Commitment> commitment = Commit(*plan, "", true);
    ASSERT_OK(commitment);
    EXPECT_EQ(FrozenClass(*plan, 1), c.c1) << c.source;
    EXPECT_EQ(FrozenClass(*plan, 3), c.c3) << c.source;
    EXPECT_EQ(FrozenClass(*plan, 5), c.c5) << c.source;
    EXPECT_EQ(FrozenClass(*plan, 2), c.c2) << c.source;
    digests.insert(commitment->population_digest());
    absl::StatusOr<v1::Draw> draw = Draw(*plan);
    ASSERT_OK(draw);
    const bool published = draw->bundle_json().find("\"credit\":{\"class_source\"") !=
                           std::string::npos;
    EXPECT_EQ(published, c.source > v1::CREDIT_CLASS_SOURCE_MODEL) << c.source;
    EXPECT_OK(scheduler::VerifyDraw(draw->bundle_json(), Population(*plan), std::nullopt));
  }
  EXPECT_EQ(digests.size(), 3u);  // model (twice), official, stricter
}

TEST_F(CreditPolicyTest, AListingAndItsRepairChangeTheDrawFromTheirDates) {
  const absl::Time start = clock_.Now();
  const std::string& listed = codes_[4];  // model class A: rarely drawn by ticket
  SetEvents(listed, {Listing("l1", start - absl::Hours(24 * 20)),
                     Repair("r1", start + absl::Hours(24 * 5))});

  // Committed while listed: frozen in class D and always a target.
  absl::StatusOr<v1::Plan> before = CreateWith(v1::CREDIT_CLASS_SOURCE_MODEL,
                                               v1::DISHONEST_LIST_POLICY_ALWAYS);
  ASSERT_OK(before);
  ASSERT_OK(Commit(*before, "", true));
  EXPECT_EQ(FrozenClass(*before, 4), 4);
  EXPECT_THAT(Record(*before).frozen_dishonest(), ::testing::ElementsAre(listed));
  absl::StatusOr<v1::Draw> drawn = Draw(*before);
  ASSERT_OK(drawn);
  EXPECT_EQ(Targets(*drawn).count(listed), 1u);
  EXPECT_OK(scheduler::VerifyDraw(drawn->bundle_json(), Population(*before), std::nullopt));
  EXPECT_NE(drawn->bundle_json().find(absl::StrCat("\"dishonest\":[\"", listed, "\"]")),
            std::string::npos);

  // HIGHEST_RATIO while listed: the class with the plan's highest ratio (D, 30%).
  absl::StatusOr<v1::Plan> ratio = CreateWith(v1::CREDIT_CLASS_SOURCE_MODEL,
                                              v1::DISHONEST_LIST_POLICY_HIGHEST_RATIO);
  ASSERT_OK(ratio);
  ASSERT_OK(Commit(*ratio, "", true));
  EXPECT_EQ(FrozenClass(*ratio, 4), 4);
  absl::StatusOr<v1::Draw> ratio_draw = Draw(*ratio);
  ASSERT_OK(ratio_draw);
  EXPECT_OK(scheduler::VerifyDraw(ratio_draw->bundle_json(), Population(*ratio), std::nullopt));

  // Committed after the repair's date: the listing no longer counts.
  clock_.Advance(absl::Hours(24 * 6));
  absl::StatusOr<v1::Plan> after = CreateWith(v1::CREDIT_CLASS_SOURCE_MODEL,
                                              v1::DISHONEST_LIST_POLICY_ALWAYS);
  ASSERT_OK(after);
  ASSERT_OK(Commit(*after, "", true));
  EXPECT_EQ(FrozenClass(*after, 4), 1);  // its model class again
  EXPECT_EQ(Record(*after).frozen_dishonest_size(), 0);
}

TEST_F(CreditPolicyTest, BadPoliciesAreRefusedNamingTheField) {
  EXPECT_THAT(CreateWith(v1::CREDIT_CLASS_SOURCE_MODEL, v1::DISHONEST_LIST_POLICY_HIGHEST_RATIO,
                         /*count_quotas=*/true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("plan.dishonest_list_policy: HIGHEST_RATIO needs")));
  EXPECT_THAT(CreateWith(static_cast<v1::CreditClassSource>(9), v1::DISHONEST_LIST_POLICY_NONE),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.credit_class_source")));
  EXPECT_THAT(CreateWith(v1::CREDIT_CLASS_SOURCE_MODEL, static_cast<v1::DishonestListPolicy>(9)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.dishonest_list_policy")));
}

}  // namespace
}  // namespace regulation::services
