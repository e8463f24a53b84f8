// Results from submission to publication over an in-memory store and log: who may do
// what, the deadline, redaction on the way out, corrections, and retries.

#include "services/disclosure/result_desk.h"

#include <map>
#include <optional>

#include "disclosure/embedded_holidays.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "regulation/v1/enterprise.pb.h"
#include "services/disclosure/publication_preview.h"
#include "services/inspection/public_entries.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using testing::Admin;
using testing::Agency;
using ::testing::HasSubstr;
using testing::InspectorCaller;
using ::testing::Not;

class ResultDeskTest : public testing::InspectionFixture {
 protected:
  ResultDeskTest()
      : calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        history_(store_.get(), &clock_),
        results_(store_.get(), &plans_, &board_, &history_, publications_.get(), &calendar_, &clock_,
                 {20}) {
    plan_ = CreatePlan();
    EXPECT_OK(Commit(plan_));
    absl::StatusOr<v1::Draw> draw = Draw(plan_);
    EXPECT_OK(draw);
    team_ = draw->teams(0);
    log_before_ = log_.entries().size();
  }

  v1::SubmitResultRequest Submission(std::string findings = "现场检查未发现问题。") {
    v1::SubmitResultRequest r;
    v1::InspectionResult* result = r.mutable_result();
    result->set_plan_id(plan_.plan_id());
    result->set_credit_code(team_.credit_code());
    result->set_category(v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
    result->set_findings(std::move(findings));
    result->set_follow_up_measures("责令限期改正。");
    *result->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 9, 25));
    return r;
  }

  access::Caller TeamMember() { return InspectorCaller(team_.inspector_ids(0)); }

  absl::StatusOr<v1::PublicationPreview> Preview(const std::string& id,
                                                 const access::Caller& caller = Agency()) {
    v1::PreviewPublicationRequest r;
    r.set_result_id(id);
    return results_.Preview(caller, r);
  }

  // Approves with the digest of a fresh preview (or `digest` when given).
  absl::StatusOr<v1::InspectionResult> Approve(const std::string& id, std::string request_id = "",
                                               std::optional<std::string> digest = std::nullopt) {
    v1::ApproveResultRequest r;
    r.set_result_id(id);
    r.set_request_id(std::move(request_id));
    if (digest.has_value()) {
      r.set_preview_digest(*digest);
    } else if (auto sent = digests_sent_.find(r.request_id()); sent != digests_sent_.end()) {
      r.set_preview_digest(sent->second);  // a retry repeats its request exactly
    } else if (absl::StatusOr<v1::PublicationPreview> p = Preview(id); p.ok()) {
      r.set_preview_digest(p->preview_digest());
    } else {
      r.set_preview_digest(std::string(64, '0'));  // whatever Approve says about the state
    }
    if (!r.request_id().empty()) digests_sent_[r.request_id()] = r.preview_digest();
    return results_.Approve(Agency(), r);
  }

  disclosure::HolidayCalendar calendar_;
  EventIngestor history_;
  ResultDesk results_;
  v1::Plan plan_;
  v1::Team team_;
  size_t log_before_ = 0;
  std::map<std::string, std::string> digests_sent_;  // request id -> preview digest
};

TEST_F(ResultDeskTest, AnAssignedInspectorSubmitsAndTheDeadlineCountsWorkingDays) {
  absl::StatusOr<v1::InspectionResult> r = results_.Submit(TeamMember(), Submission());
  ASSERT_OK(r);
  EXPECT_EQ(r->state(), v1::RESULT_STATE_SUBMITTED);
  EXPECT_EQ(r->result_id(), absl::StrCat(plan_.plan_id(), ".", team_.credit_code()));
  // 2026-09-25 (Fri) + 20 working days, across National Day (Oct 1-7 off, Sep 28 and
  // Oct 10 worked): 2026-10-28 by the State Council's schedule... as the calendar says.
  const absl::CivilDay deadline = *FromProtoDate(r->publish_deadline());
  EXPECT_EQ(deadline, calendar_.AddWorkingDays(absl::CivilDay(2026, 9, 25), 20));
  EXPECT_GT(deadline, absl::CivilDay(2026, 9, 25) + 27);  // the holiday week pushed it out
  EXPECT_TRUE(calendar_.IsWorkingDay(deadline));
}

TEST_F(ResultDeskTest, SomeoneNotOnTheTeamCannotSubmit) {
  std::set<std::string> team(team_.inspector_ids().begin(), team_.inspector_ids().end());
  std::string outsider;
  for (int i = 0; i < 12 && outsider.empty(); ++i) {
    if (team.count(absl::StrCat("HZ-M-", i)) == 0) outsider = absl::StrCat("HZ-M-", i);
  }
  absl::Status s = results_.Submit(InspectorCaller(outsider), Submission()).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("result.credit_code")));
  s = results_.Submit(Agency(), Submission()).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ResultDeskTest, BadSubmissionsNameTheField) {
  v1::SubmitResultRequest r = Submission();
  r.mutable_result()->set_category(v1::INSPECTION_RESULT_CATEGORY_UNSPECIFIED);
  EXPECT_THAT(results_.Submit(TeamMember(), r).status().message(), HasSubstr("result.category"));
  r = Submission();
  r.mutable_result()->set_credit_code("91330106MA2XXXXXX1");
  EXPECT_THAT(results_.Submit(TeamMember(), r).status().message(), HasSubstr("result.credit_code"));
  r = Submission();
  *r.mutable_result()->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2027, 1, 5));
  absl::Status s = results_.Submit(TeamMember(), r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inspection_end_date")));
}

TEST_F(ResultDeskTest, ApprovalPublishesTheRedactedResultOnceEvenWhenRetried) {
  const std::string findings =
      "负责人张某（身份证号330106199001011234，手机13812345678）在场，住址：杭州市西湖区文三路1号。";
  ASSERT_OK(results_.Submit(TeamMember(), Submission(findings)));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  absl::StatusOr<v1::InspectionResult> approved = Approve(id, "approve-1");
  ASSERT_OK(approved);
  EXPECT_EQ(approved->state(), v1::RESULT_STATE_PUBLISHED);
  ASSERT_EQ(log_.entries().size(), log_before_ + 1);
  EXPECT_EQ(approved->log_index(), static_cast<int64_t>(log_before_));
  // The leaf names the record and commits to the body stored beside it.
  const std::string& leaf = log_.entries().back();
  EXPECT_THAT(leaf, HasSubstr("kind RESULT\nkey result/" + id + "\n"));
  EXPECT_THAT(leaf, Not(HasSubstr("杭州测试企业")));
  absl::StatusOr<disclosure::StoredBody> stored =
      disclosure::ReadPublicBody(store_.get(), "result/" + id);
  ASSERT_OK(stored);
  EXPECT_OK(disclosure::CheckBody(*disclosure::ParsePublicLeaf(leaf), stored->body, stored->salt));
  const std::string& body = stored->body;
  EXPECT_THAT(body, HasSubstr("\"kind\":\"RESULT\""));
  EXPECT_THAT(body, HasSubstr(team_.credit_code()));
  EXPECT_THAT(body, HasSubstr("杭州测试企业"));
  EXPECT_THAT(body, HasSubstr("发现问题待后续处理"));
  for (const std::string& text : {leaf, body}) {
    EXPECT_THAT(text, Not(HasSubstr("330106199001011234")));
    EXPECT_THAT(text, Not(HasSubstr("13812345678")));
    EXPECT_THAT(text, Not(HasSubstr("文三路")));
    for (const std::string& inspector : team_.inspector_ids()) {
      EXPECT_THAT(text, Not(HasSubstr(inspector)));
    }
  }

  absl::StatusOr<v1::InspectionResult> retried = Approve(id, "approve-1");
  ASSERT_OK(retried);
  EXPECT_EQ(retried->log_index(), approved->log_index());
  EXPECT_EQ(log_.entries().size(), log_before_ + 1);
  EXPECT_THAT(Approve(id, "approve-2"), StatusIs(absl::StatusCode::kFailedPrecondition));
  // Published: the inspector can no longer change it.
  EXPECT_THAT(results_.Submit(TeamMember(), Submission()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(ResultDeskTest, AReturnedResultIsRevisedAndThenApproved) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission()));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  v1::ReturnResultRequest back;
  back.set_result_id(id);
  EXPECT_THAT(results_.Return(Agency(), back).status().message(), HasSubstr("comment"));
  back.set_comment("请补充整改期限");
  absl::StatusOr<v1::InspectionResult> returned = results_.Return(Agency(), back);
  ASSERT_OK(returned);
  EXPECT_EQ(returned->state(), v1::RESULT_STATE_RETURNED);
  EXPECT_THAT(Approve(id), StatusIs(absl::StatusCode::kFailedPrecondition));
  absl::StatusOr<v1::InspectionResult> revised =
      results_.Submit(TeamMember(), Submission("整改期限为三十日。"));
  ASSERT_OK(revised);
  EXPECT_EQ(revised->state(), v1::RESULT_STATE_SUBMITTED);
  EXPECT_EQ(Approve(id)->state(), v1::RESULT_STATE_PUBLISHED);
}

TEST_F(ResultDeskTest, OverdueListsUnpublishedResultsByWorkingDaysLeft) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission()));
  const absl::CivilDay deadline = calendar_.AddWorkingDays(absl::CivilDay(2026, 9, 25), 20);
  v1::ListOverdueRequest request;
  *request.mutable_as_of() = ToProtoDate(calendar_.AddWorkingDays(deadline, 3));
  absl::StatusOr<v1::ListOverdueResponse> late = results_.ListOverdue(Admin(), request);
  ASSERT_OK(late);
  ASSERT_EQ(late->results_size(), 1);
  EXPECT_EQ(late->results(0).working_days_left(), -3);

  *request.mutable_as_of() = ToProtoDate(calendar_.AddWorkingDays(deadline, -5));
  EXPECT_EQ(results_.ListOverdue(Admin(), request)->results_size(), 0);
  request.set_within_working_days(5);
  EXPECT_EQ(results_.ListOverdue(Admin(), request)->results_size(), 1);

  ASSERT_OK(Approve(absl::StrCat(plan_.plan_id(), ".", team_.credit_code())));
  request.set_within_working_days(250);
  EXPECT_EQ(results_.ListOverdue(Admin(), request)->results_size(), 0);
}

TEST_F(ResultDeskTest, ACorrectionIsANewRecordPointingAtTheLatestOne) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission()));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  absl::StatusOr<v1::InspectionResult> published = Approve(id);
  ASSERT_OK(published);
  const std::string original = log_.entries().back();

  v1::PublishCorrectionRequest c;
  c.set_corrects_index(published->log_index() + 1);
  *c.mutable_result() = Submission("经复核，未发现问题。").result();
  c.mutable_result()->set_result_id(id);
  c.mutable_result()->set_category(v1::NO_PROBLEM_FOUND);
  c.set_reason("录入错误");
  absl::Status wrong = results_.PublishCorrection(Agency(), c).status();
  EXPECT_THAT(wrong, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrects_index")));

  c.set_corrects_index(published->log_index());
  absl::StatusOr<v1::PublicRecord> record = results_.PublishCorrection(Agency(), c);
  ASSERT_OK(record);
  EXPECT_EQ(record->kind(), v1::PUBLIC_RECORD_KIND_CORRECTION);
  EXPECT_EQ(record->corrects_index(), published->log_index());
  EXPECT_EQ(record->log_index(), published->log_index() + 1);
  EXPECT_EQ(log_.entries().back(), record->leaf());
  EXPECT_OK(disclosure::CheckBody(*disclosure::ParsePublicLeaf(record->leaf()), record->body_json(),
                                  record->salt()));
  EXPECT_THAT(record->body_json(), HasSubstr("未发现问题"));
  // Nothing is deleted: the original record is still there, unchanged.
  EXPECT_EQ(log_.entries()[published->log_index()], original);
  EXPECT_EQ(results_.Get(Admin(), id)->log_index(), record->log_index());
}

TEST_F(ResultDeskTest, InspectorsSeeTheirOwnResultsOnly) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission()));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  EXPECT_OK(results_.Get(TeamMember(), id));
  std::set<std::string> team(team_.inspector_ids().begin(), team_.inspector_ids().end());
  for (int i = 0; i < 12; ++i) {
    const std::string other = absl::StrCat("HZ-M-", i);
    if (team.count(other) > 0) continue;
    EXPECT_THAT(results_.Get(InspectorCaller(other), id),
                StatusIs(absl::StatusCode::kPermissionDenied));
    v1::ListResultsRequest list;
    EXPECT_EQ(results_.List(InspectorCaller(other), list)->results_size(), 0);
    break;
  }
}

// Whether a result exists is itself information: someone who may not see a plan's results
// gets the same refusal for a stored result and for one that does not exist.
TEST_F(ResultDeskTest, ResultIdsCannotBeProbedByThoseWhoMayNotSeeThem) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission()));
  const std::string stored = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  const std::string missing = absl::StrCat(plan_.plan_id(), ".91330106MA0H0X8XQ6");
  ASSERT_NE(stored, missing);
  access::Caller other_department = Agency();
  other_department.subject = "hz-fire";
  other_department.department = "fire";
  std::set<std::string> team(team_.inspector_ids().begin(), team_.inspector_ids().end());
  std::string outsider;
  for (int i = 0; i < 12 && outsider.empty(); ++i) {
    if (team.count(absl::StrCat("HZ-M-", i)) == 0) outsider = absl::StrCat("HZ-M-", i);
  }
  ASSERT_FALSE(outsider.empty());
  for (const access::Caller& caller : {other_department, InspectorCaller(outsider)}) {
    for (const std::string& id : {stored, missing}) {
      EXPECT_THAT(results_.Get(caller, id), StatusIs(absl::StatusCode::kPermissionDenied))
          << caller.subject << " " << id;
      v1::ReturnResultRequest back;
      back.set_result_id(id);
      back.set_comment("请补充现场照片。");
      EXPECT_THAT(results_.Return(caller, back), StatusIs(absl::StatusCode::kPermissionDenied))
          << caller.subject << " " << id;
    }
  }
  // Those who may see the plan's results learn that one does not exist.
  EXPECT_THAT(results_.Get(Agency(), missing), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(results_.Get(Admin(), missing), StatusIs(absl::StatusCode::kNotFound));
}

// The approver sees every byte that will be published except the two approval times, and
// the original of each removal; the restricted result keeps the findings in full.
TEST_F(ResultDeskTest, ThePreviewIsExactlyWhatApprovalPublishes) {
  const std::string findings =
      "负责人张三（手机13812345678）在场，店长王小明称已整改，银行账号6222021234567890123。";
  ASSERT_OK(results_.Submit(TeamMember(), Submission(findings)));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  absl::StatusOr<v1::PublicationPreview> preview = Preview(id);
  ASSERT_OK(preview);
  EXPECT_THAT(preview->body_json(), HasSubstr("［姓名已隐去］"));
  EXPECT_THAT(preview->body_json(), Not(HasSubstr("张三")));
  EXPECT_THAT(preview->body_json(), Not(HasSubstr("6222021234567890123")));
  EXPECT_THAT(preview->body_json(), Not(HasSubstr("publish_time")));
  EXPECT_THAT(preview->body_json(), Not(HasSubstr("approve_time")));
  EXPECT_EQ(preview->preview_digest(),
            PreviewDigest(id, preview->result_version(), preview->body_json()));
  EXPECT_THAT(preview->set_at_approval(),
              ::testing::ElementsAre("publish_time", "result.approve_time"));

  // Each removal names its original text and where its mask lands in the public text.
  v1::PublicEntry previewed;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(preview->body_json(), &previewed));
  const std::string& published_findings = previewed.result().findings();
  std::vector<std::string> originals;
  for (const v1::PreviewRedaction& r : preview->redactions()) {
    EXPECT_EQ(r.field(), "findings");
    EXPECT_EQ(findings.substr(r.original_begin(), r.original_end() - r.original_begin()),
              r.original());
    EXPECT_EQ(published_findings.substr(r.published_begin(), r.published_end() - r.published_begin()),
              r.mask());
    originals.push_back(r.kind() + ":" + r.original());
  }
  EXPECT_THAT(originals, ::testing::ElementsAre("person_name:张三", "mobile_phone:13812345678",
                                                "person_name:王小明",
                                                "bank_account_number:6222021234567890123"));

  absl::StatusOr<v1::InspectionResult> approved = Approve(id, "approve-1", preview->preview_digest());
  ASSERT_OK(approved);
  const std::string body = LoggedBody(log_.entries().size() - 1);
  v1::PublicEntry published;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(body, &published));
  EXPECT_FALSE(published.publish_time().empty());
  EXPECT_EQ(published.result().approve_time(), published.publish_time());
  published.clear_publish_time();
  published.mutable_result()->clear_approve_time();
  EXPECT_EQ(PublicEntryJson(published), preview->body_json());
  // The restricted result keeps what the inspector wrote.
  EXPECT_EQ(results_.Get(Admin(), id)->findings(), findings);
}

TEST_F(ResultDeskTest, ApprovalNeedsTheDigestOfWhatWouldBePublishedNow) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission("负责人张三在场。")));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  absl::StatusOr<v1::PublicationPreview> first = Preview(id);
  ASSERT_OK(first);

  absl::Status missing = Approve(id, "", std::string()).status();
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("preview_digest: is required")));
  EXPECT_THAT(Approve(id, "", "ABC"), StatusIs(absl::StatusCode::kInvalidArgument));

  // The inspector revises the findings: the old preview no longer describes the record.
  ASSERT_OK(results_.Submit(TeamMember(), Submission("负责人张三在场，李四称已整改。")));
  absl::Status stale = Approve(id, "", first->preview_digest()).status();
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("preview_digest")));
  EXPECT_EQ(results_.Get(Admin(), id)->state(), v1::RESULT_STATE_SUBMITTED);
  EXPECT_EQ(log_.entries().size(), log_before_);

  // So does a change outside the result that the record shows: the enterprise's name.
  absl::StatusOr<v1::PublicationPreview> second = Preview(id);
  ASSERT_OK(second);
  EXPECT_NE(second->preview_digest(), first->preview_digest());
  v1::Enterprise renamed;
  ASSERT_TRUE(renamed.ParseFromString(*store_->Get(storage::ColumnFamily::kEnterprises,
                                                   team_.credit_code())));
  renamed.set_name("杭州更名后企业");
  storage::WriteBatch batch;
  batch.Put(storage::ColumnFamily::kEnterprises, team_.credit_code(), renamed.SerializeAsString());
  ASSERT_OK(store_->Write(batch, {}));
  EXPECT_THAT(Approve(id, "", second->preview_digest()),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  absl::StatusOr<v1::PublicationPreview> third = Preview(id);
  ASSERT_OK(third);
  absl::StatusOr<v1::InspectionResult> approved = Approve(id, "approve-3", third->preview_digest());
  ASSERT_OK(approved);
  EXPECT_THAT(LoggedBody(log_.entries().size() - 1), HasSubstr("杭州更名后企业"));
  // A retry of the same request is answered from the ledger, not refused.
  EXPECT_OK(Approve(id, "approve-3", third->preview_digest()));
}

TEST_F(ResultDeskTest, OnlyASubmittedResultIsPreviewedAndOnlyByThoseWhoMaySeeIt) {
  ASSERT_OK(results_.Submit(TeamMember(), Submission()));
  const std::string id = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());
  EXPECT_OK(Preview(id, Admin()));
  access::Caller other_department = Agency();
  other_department.subject = "hz-fire";
  other_department.department = "fire";
  EXPECT_THAT(Preview(id, other_department), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Preview(absl::StrCat(plan_.plan_id(), ".91330106MA0H0X8XQ6")),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(Approve(id));
  absl::Status published = Preview(id).status();
  EXPECT_THAT(published, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PUBLISHED")));
}

}  // namespace
}  // namespace regulation::services
