#include "services/inspection/plan_book.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/inspection/roster.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

access::Caller Admin() {
  access::Caller c;
  c.roles = access::RoleSet::All();
  c.subject = "admin";
  return c;
}

access::Caller Agency(std::string department, std::string region) {
  access::Caller c;
  c.roles = {access::Role::kAgency};
  c.subject = "agency";
  c.department = std::move(department);
  c.region_prefix = std::move(region);
  return c;
}

access::Caller Inspector(std::string id) {
  access::Caller c;
  c.roles = {access::Role::kInspector};
  c.subject = id;
  c.inspector_id = std::move(id);
  c.department = "samr";
  return c;
}

class PlanBookTest : public ::testing::Test {
 protected:
  PlanBookTest()
      : store_(storage::NewMemoryStore()),
        clock_(absl::FromCivil(absl::CivilDay(2026, 11, 27), ChinaTimeZone())),
        roster_(store_.get(), &clock_),
        plans_(store_.get(), &roster_, &clock_) {
    for (const auto& [id, dept] : {std::pair{"food-1", "samr"}, std::pair{"fire-1", "fire"}}) {
      v1::UpsertInspectionItemRequest item;
      item.mutable_item()->set_item_id(id);
      item.mutable_item()->set_department(dept);
      item.mutable_item()->set_title("检查事项");
      item.mutable_item()->set_legal_basis("《食品安全法》第一百一十条");
      item.mutable_item()->set_kind(v1::ITEM_KIND_KEY);
      EXPECT_OK(roster_.UpsertItem(Admin(), item));
    }
  }

  v1::CreatePlanRequest ValidPlan() {
    v1::CreatePlanRequest request;
    v1::Plan* p = request.mutable_plan();
    p->set_title("2027年食品经营者双随机抽查");
    p->add_departments("samr");
    p->add_item_ids("food-1");
    p->mutable_population()->set_region_prefix("3301");
    v1::ClassQuota* q = p->add_quotas();
    q->set_risk_class(v1::RISK_CLASS_D);
    q->set_ratio(0.3);
    p->set_team_size(2);
    p->set_workload_cap(10);
    p->mutable_due_date()->set_year(2027);
    p->mutable_due_date()->set_month(3);
    p->mutable_due_date()->set_day(31);
    return request;
  }

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
  Roster roster_;
  PlanBook plans_;
};

TEST_F(PlanBookTest, CreateGivesADraftWithAnId) {
  absl::StatusOr<v1::Plan> plan = plans_.Create(Agency("samr", "3301"), ValidPlan());
  ASSERT_OK(plan);
  EXPECT_EQ(plan->plan_id(), "P20261127-0001");
  EXPECT_EQ(plan->state(), v1::PLAN_STATE_DRAFT);
  EXPECT_EQ(plans_.Get(Agency("samr", "3301"), plan->plan_id())->title(), plan->title());
}

TEST_F(PlanBookTest, TeamsOfFewerThanTwoAreRefused) {
  v1::CreatePlanRequest request = ValidPlan();
  request.mutable_plan()->set_team_size(1);
  const absl::Status status = plans_.Create(Admin(), request).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("plan.team_size: at least 2")));
}

TEST_F(PlanBookTest, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    std::function<void(v1::Plan&)> mutate;
  };
  const Case cases[] = {
      {"plan.title", [](v1::Plan& p) { p.clear_title(); }},
      {"plan.departments", [](v1::Plan& p) { p.clear_departments(); }},
      {"plan.item_ids", [](v1::Plan& p) { p.clear_item_ids(); }},
      {"plan.item_ids[0]", [](v1::Plan& p) { p.set_item_ids(0, "fire-1"); }},
      {"plan.quotas", [](v1::Plan& p) { p.clear_quotas(); }},
      {"plan.quotas[0].ratio", [](v1::Plan& p) { p.mutable_quotas(0)->set_ratio(1.5); }},
      {"plan.quotas[0].risk_class", [](v1::Plan& p) { p.mutable_quotas(0)->clear_risk_class(); }},
      {"plan.workload_cap", [](v1::Plan& p) { p.set_workload_cap(0); }},
      {"plan.due_date", [](v1::Plan& p) { p.mutable_due_date()->set_year(2020); }},
      {"plan.population.region_prefix",
       [](v1::Plan& p) { p.mutable_population()->set_region_prefix("99"); }},
      {"plan.item_ids[1]", [](v1::Plan& p) { p.add_item_ids("food-1"); }},
      {"plan.due_date", [](v1::Plan& p) { p.mutable_due_date()->set_day(30); p.mutable_due_date()->set_month(2); }},
      {"plan.population.industry_codes[1]",
       [](v1::Plan& p) {
         p.mutable_population()->add_industry_codes("H");
         p.mutable_population()->add_industry_codes("H");
       }},
      {"plan.population.industry_codes",
       [](v1::Plan& p) {
         for (int i = 0; i < 101; ++i) p.mutable_population()->add_industry_codes("C");
       }},
      {"plan.population.statuses[1]",
       [](v1::Plan& p) {
         p.mutable_population()->add_statuses(v1::ENTERPRISE_STATUS_OPERATING);
         p.mutable_population()->add_statuses(v1::ENTERPRISE_STATUS_OPERATING);
       }},
  };
  for (const Case& c : cases) {
    v1::CreatePlanRequest request = ValidPlan();
    c.mutate(*request.mutable_plan());
    const absl::Status status = plans_.Create(Admin(), request).status();
    EXPECT_FALSE(status.ok()) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(std::string(c.field) + ":")) << status;
  }
}

TEST_F(PlanBookTest, AgenciesPlanOnlyForTheirDepartmentAndJurisdiction) {
  EXPECT_THAT(plans_.Create(Agency("fire", "3301"), ValidPlan()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(plans_.Create(Agency("samr", "3302"), ValidPlan()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::CreatePlanRequest broad = ValidPlan();
  broad.mutable_plan()->mutable_population()->set_region_prefix("33");
  absl::StatusOr<v1::Plan> narrowed = plans_.Create(Agency("samr", "3301"), broad);
  ASSERT_OK(narrowed);
  EXPECT_EQ(narrowed->population().region_prefix(), "3301");
  EXPECT_THAT(plans_.Get(Agency("samr", "3302"), narrowed->plan_id()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::ListPlansRequest list;
  EXPECT_EQ(plans_.List(Agency("samr", "3302"), list)->plans_size(), 0);
  EXPECT_EQ(plans_.List(Agency("samr", "3301"), list)->plans_size(), 1);
}

TEST_F(PlanBookTest, ClosingADraftIsAnIllegalTransition) {
  absl::StatusOr<v1::Plan> plan = plans_.Create(Admin(), ValidPlan());
  ASSERT_OK(plan);
  v1::ClosePlanRequest close;
  close.set_plan_id(plan->plan_id());
  const absl::Status status = plans_.Close(Admin(), close).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("DRAFT")));
}

TEST_F(PlanBookTest, InspectorsDeclareOnlyTheirOwnConflicts) {
  v1::UpsertInspectorRequest add;
  v1::Inspector* i = add.mutable_inspector();
  i->set_inspector_id("ZJ-0001");
  i->set_name("张三");
  i->set_department("samr");
  i->set_region_code("330100");
  i->set_certificate_number("33010001");
  i->mutable_certificate_valid_until()->set_year(2028);
  i->mutable_certificate_valid_until()->set_month(1);
  i->mutable_certificate_valid_until()->set_day(1);
  i->set_status(v1::INSPECTOR_STATUS_ACTIVE);
  ASSERT_OK(roster_.UpsertInspector(Admin(), add));
  v1::DeclareConflictRequest own;
  own.mutable_conflict()->set_inspector_id("ZJ-0001");
  own.mutable_conflict()->set_credit_code("91350100M000100Y43");
  own.mutable_conflict()->set_reason("亲属持股");
  EXPECT_OK(roster_.DeclareConflict(Inspector("ZJ-0001"), own));
  EXPECT_THAT(roster_.DeclareConflict(Inspector("ZJ-0002"), own),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::ListConflictsRequest by_code;
  by_code.set_credit_code("91350100M000100Y43");
  EXPECT_EQ(roster_.ListConflicts(Admin(), by_code)->conflicts_size(), 1);
  EXPECT_THAT(roster_.ListConflicts(Inspector("ZJ-0001"), by_code),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(PlanBookTest, ARetriedCreateGetsTheSamePlanNotASecondOne) {
  v1::CreatePlanRequest request = ValidPlan();
  request.set_request_id("create-1");
  absl::StatusOr<v1::Plan> first = plans_.Create(Agency("samr", "3301"), request);
  ASSERT_OK(first);
  absl::StatusOr<v1::Plan> retry = plans_.Create(Agency("samr", "3301"), request);
  ASSERT_OK(retry);
  EXPECT_EQ(retry->plan_id(), first->plan_id());
  v1::ListPlansRequest list;
  EXPECT_EQ(plans_.List(Admin(), list)->plans_size(), 1);
  request.mutable_plan()->set_title("another title");
  EXPECT_THAT(plans_.Create(Agency("samr", "3301"), request),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

// A lost answer is retried after midnight: the plan due "tomorrow" is now due today, which a
// new request could not ask for, but the retry still gets the plan it created.
TEST_F(PlanBookTest, ARetryIsAnsweredEvenIfTheRequestNoLongerValidates) {
  v1::CreatePlanRequest request = ValidPlan();
  request.set_request_id("create-late");
  request.mutable_plan()->mutable_due_date()->set_year(2026);
  request.mutable_plan()->mutable_due_date()->set_month(11);
  request.mutable_plan()->mutable_due_date()->set_day(28);
  absl::StatusOr<v1::Plan> first = plans_.Create(Agency("samr", "3301"), request);
  ASSERT_OK(first);
  clock_.Advance(absl::Hours(24));
  absl::StatusOr<v1::Plan> retry = plans_.Create(Agency("samr", "3301"), request);
  ASSERT_OK(retry);
  EXPECT_EQ(retry->plan_id(), first->plan_id());
  request.set_request_id("create-new");
  EXPECT_THAT(plans_.Create(Agency("samr", "3301"), request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// A draft is edited at the version its editor read: the same id and creation time, the
// next version; an edit from a stale read is refused, and a retried edit is answered with
// the plan as it stands rather than as a conflict.
TEST_F(PlanBookTest, ADraftIsEditedAtTheVersionItWasRead) {
  const access::Caller agency = Agency("samr", "3301");
  ASSERT_OK_AND_ASSIGN(const v1::Plan created, plans_.Create(agency, ValidPlan()));
  clock_.Advance(absl::Hours(1));
  v1::UpdatePlanRequest edit;
  *edit.mutable_plan() = created;
  edit.mutable_plan()->set_title("2027年食品经营者双随机抽查（修订）");
  edit.mutable_plan()->mutable_quotas(0)->set_ratio(0.5);
  edit.set_request_id("edit-1");
  ASSERT_OK_AND_ASSIGN(const v1::Plan edited, plans_.Update(agency, edit));
  EXPECT_EQ(edited.plan_id(), created.plan_id());
  EXPECT_EQ(edited.state(), v1::PLAN_STATE_DRAFT);
  EXPECT_EQ(edited.version(), created.version() + 1);
  EXPECT_EQ(edited.create_time().seconds(), created.create_time().seconds());
  ASSERT_OK_AND_ASSIGN(const v1::Plan got, plans_.Get(agency, created.plan_id()));
  EXPECT_EQ(got.title(), "2027年食品经营者双随机抽查（修订）");
  EXPECT_EQ(got.quotas(0).ratio(), 0.5);

  // The response was lost: the retry gets the plan as it stands.
  ASSERT_OK_AND_ASSIGN(const v1::Plan retried, plans_.Update(agency, edit));
  EXPECT_EQ(retried.version(), edited.version());
  // Another edit from the same stale read is refused, naming the versions.
  edit.set_request_id("edit-2");
  edit.mutable_plan()->set_title("另一个标题");
  EXPECT_THAT(plans_.Update(agency, edit),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("plan.version: plan P20261127-0001 is at version 2, not 1")));
  // The same request id with another body is another request.
  edit.set_request_id("edit-1");
  EXPECT_THAT(plans_.Update(agency, edit), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(plans_.Get(agency, created.plan_id())->title(), got.title());
}

TEST_F(PlanBookTest, AnEditIsCheckedAsACreationAndOnlyADraftIsEdited) {
  const access::Caller agency = Agency("samr", "3301");
  ASSERT_OK_AND_ASSIGN(const v1::Plan created, plans_.Create(agency, ValidPlan()));
  v1::UpdatePlanRequest edit;
  *edit.mutable_plan() = created;
  edit.mutable_plan()->set_team_size(1);
  EXPECT_THAT(plans_.Update(agency, edit),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.team_size")));
  edit.mutable_plan()->set_team_size(2);
  // Not another department's plan, and not moved out of the agency's jurisdiction.
  EXPECT_THAT(plans_.Update(Agency("fire", "3301"), edit),
              StatusIs(absl::StatusCode::kPermissionDenied));
  edit.mutable_plan()->mutable_population()->set_region_prefix("3302");
  EXPECT_THAT(plans_.Update(agency, edit), StatusIs(absl::StatusCode::kPermissionDenied));
  edit.mutable_plan()->mutable_population()->set_region_prefix("3301");
  edit.mutable_plan()->clear_plan_id();
  EXPECT_THAT(plans_.Update(agency, edit),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.plan_id")));
  edit.mutable_plan()->set_plan_id("P20261127-0099");
  EXPECT_THAT(plans_.Update(agency, edit), StatusIs(absl::StatusCode::kNotFound));
  edit.mutable_plan()->set_plan_id(created.plan_id());
  edit.mutable_plan()->clear_version();
  EXPECT_THAT(plans_.Update(agency, edit),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.version")));

  // Committed (the draw desk's Save): its content is frozen and public.
  ASSERT_OK_AND_ASSIGN(internal::PlanRecord record, plans_.Load(Admin(), created.plan_id()));
  record.mutable_plan()->set_state(v1::PLAN_STATE_COMMITTED);
  storage::WriteBatch batch;
  ASSERT_OK(plans_.Save(record, created.version(), &batch));
  edit.mutable_plan()->set_version(created.version() + 1);
  EXPECT_THAT(plans_.Update(agency, edit),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is COMMITTED; only a DRAFT can be edited")));
}

TEST_F(PlanBookTest, ItemsTooLongForThePublicCommitmentAreRefused) {
  v1::CreatePlanRequest request = ValidPlan();
  request.mutable_plan()->clear_item_ids();
  for (int i = 0; i < 70; ++i) {
    v1::UpsertInspectionItemRequest item;
    item.mutable_item()->set_item_id(absl::StrCat("long-", i));
    item.mutable_item()->set_department("samr");
    item.mutable_item()->set_title(std::string(290, 'T'));
    item.mutable_item()->set_legal_basis(std::string(490, 'L'));
    item.mutable_item()->set_kind(v1::ITEM_KIND_GENERAL);
    ASSERT_OK(roster_.UpsertItem(Admin(), item));
    request.mutable_plan()->add_item_ids(absl::StrCat("long-", i));
  }
  const absl::Status status = plans_.Create(Admin(), request).status();
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("plan.item_ids: the items' titles and legal bases total")));
  request.mutable_plan()->mutable_item_ids()->DeleteSubrange(60, 10);  // 46,800 bytes: fits
  EXPECT_OK(plans_.Create(Admin(), request));
}

}  // namespace
}  // namespace regulation::services
