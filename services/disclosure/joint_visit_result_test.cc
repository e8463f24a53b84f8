// A joint visit's published results (docs/api.md "Joint visits"): when a plan whose
// no-repeat window joins draws a target an earlier plan drew, the result each plan
// publishes on that enterprise says "joint visit with" the other plan; a result of a visit
// made for one plan alone says nothing of the kind.

#include <map>
#include <string>

#include "disclosure/embedded_holidays.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/visit.pb.h"
#include "services/disclosure/result_desk.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using testing::Agency;
using testing::InspectorCaller;
using ::testing::HasSubstr;
using ::testing::Not;

class JointVisitResultTest : public testing::InspectionFixture {
 protected:
  JointVisitResultTest()
      : calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        history_(store_.get(), &clock_),
        results_(store_.get(), &plans_, &board_, &history_, publications_.get(), &calendar_,
                 &clock_, {20}) {}

  // The preview of the result `inspector` submits for `plan` on `code`: what would be published.
  std::string PublishedBody(const v1::Plan& plan, const std::string& code,
                            const std::string& inspector) {
    v1::SubmitResultRequest submit;
    v1::InspectionResult* result = submit.mutable_result();
    result->set_plan_id(plan.plan_id());
    result->set_credit_code(code);
    result->set_category(v1::NO_PROBLEM_FOUND);
    *result->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 27));
    EXPECT_OK(results_.Submit(InspectorCaller(inspector), submit));
    v1::PreviewPublicationRequest preview_request;
    preview_request.set_result_id(absl::StrCat(plan.plan_id(), ".", code));
    absl::StatusOr<v1::PublicationPreview> preview = results_.Preview(Agency(), preview_request);
    EXPECT_OK(preview);
    return preview.ok() ? preview->body_json() : "";
  }

  disclosure::HolidayCalendar calendar_;
  EventIngestor history_;
  ResultDesk results_;
};

TEST_F(JointVisitResultTest, EachPlansResultNamesTheOtherPlan) {
  const v1::Plan first = CreatePlan();
  ASSERT_OK(Commit(first));
  absl::StatusOr<v1::Draw> drawn = Draw(first);
  ASSERT_OK(drawn);
  clock_.Advance(absl::Hours(24) * 3);
  const v1::Plan second = CreatePlan(false, [](v1::Plan* p) {
    p->set_no_repeat_window_days(30);
    p->set_no_repeat_mode(v1::REPEAT_VISIT_MODE_JOIN);
    for (v1::ClassQuota& q : *p->mutable_quotas()) q.set_ratio(1.0);
  });
  ASSERT_OK(Commit(second, "", /*allow_unstaffed=*/true));
  absl::StatusOr<v1::Draw> joined = Draw(second, "beacon-2");
  ASSERT_OK(joined);
  std::map<std::string, v1::Team> first_teams;
  for (const v1::Team& t : drawn->teams()) first_teams[t.credit_code()] = t;
  const v1::Team* joint = nullptr;
  const v1::Team* alone = nullptr;
  for (const v1::Team& t : joined->teams()) {
    if (t.staffing() != v1::STAFFING_STATUS_STAFFED) continue;
    if (!t.has_joint_visit()) {
      if (alone == nullptr) alone = &t;
      continue;
    }
    if (joint == nullptr &&
        first_teams[t.credit_code()].staffing() == v1::STAFFING_STATUS_STAFFED) {
      joint = &t;
    }
  }
  ASSERT_NE(joint, nullptr);
  ASSERT_NE(alone, nullptr);
  const std::string code = joint->credit_code();
  EXPECT_THAT(PublishedBody(second, code, joint->inspector_ids(0)),
              HasSubstr(absl::StrCat("\"joint_visit_with\":[\"", first.plan_id(), "\"]")));
  EXPECT_THAT(PublishedBody(first, code, first_teams[code].inspector_ids(0)),
              HasSubstr(absl::StrCat("\"joint_visit_with\":[\"", second.plan_id(), "\"]")));
  EXPECT_THAT(PublishedBody(second, alone->credit_code(), alone->inspector_ids(0)),
              Not(HasSubstr("joint_visit_with")));
}

}  // namespace
}  // namespace regulation::services
