// Objections end to end through the desks over a real signed log: an enterprise objects
// to a published result about itself, the plan's agency upholds it (a correction and the
// outcome are logged together) or rejects it (the outcome alone), and the log's bodies
// still verify as `regctl verify-log` checks them.

#include "services/disclosure/objection_desk.h"

#include "disclosure/body_check.h"
#include "disclosure/embedded_holidays.h"
#include "disclosure/public_leaf.h"
#include "disclosure/transparency_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/disclosure/public_records.h"
#include "services/disclosure/result_desk.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "services/seams/local_inspection_feed.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using testing::Admin;
using testing::Agency;
using ::testing::HasSubstr;
using testing::InspectorCaller;

constexpr char kOtherCode[] = "91350100M000100Y43";
// A phone number the redaction rules remove, in the enterprise's grounds.
constexpr char kPhone[] = "13912345678";

access::Caller EnterpriseCaller(const std::string& code) {
  access::Caller c;
  c.roles = {access::Role::kEnterprise};
  c.subject = absl::StrCat("enterprise-", code);
  c.credit_code = code;
  return c;
}

class ObjectionDeskTest : public testing::InspectionFixture {
 protected:
  ObjectionDeskTest()
      : key_(*disclosure::SigningKey::Generate("regulation.test/log")),
        log_store_(storage::NewMemoryStore()),
        real_log_(*disclosure::TransparencyLog::Open(log_store_.get(), key_,
                                                     {/*origin=*/"", /*sync=*/false})),
        writer_(disclosure::WriterFor(real_log_.get())),
        queue_(*disclosure::PublicationQueue::Open(store_.get(), writer_.get())),
        calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        draws_(store_.get(), &plans_, &board_, queue_.get(), &registry_, &clock_, {}),
        history_(store_.get(), &clock_),
        results_(store_.get(), &plans_, &board_, &history_, queue_.get(), &calendar_, &clock_,
                 {20}),
        objections_(store_.get(), &results_, &inspection_, queue_.get(), &calendar_, &clock_, {10}),
        records_(store_.get(), real_log_.get(), queue_.get()) {
    plan_ = CreatePlan();
    v1::CommitPlanRequest commit;
    commit.set_plan_id(plan_.plan_id());
    commit.add_entropy_sources()->set_source_id(kWitness);
    EXPECT_OK(draws_.Commit(Agency(), commit).status());
    WaitForEntropy();
    v1::DrawPlanRequest draw;
    draw.set_plan_id(plan_.plan_id());
    *draw.add_statements() = Statement(plan_, 0, "round-0", witness_);
    absl::StatusOr<v1::Draw> drawn = draws_.Draw(Agency(), draw);
    EXPECT_OK(drawn);
    team_ = drawn->teams(0);
    second_team_ = drawn->teams(1);
    code_ = team_.credit_code();
    result_id_ = Publish(team_);
    published_index_ = results_.LoadUnchecked(result_id_)->log_index();
  }

  // Submits, previews and approves a result for `team`'s target; returns its id.
  std::string Publish(const v1::Team& team) {
    v1::SubmitResultRequest submit;
    v1::InspectionResult* r = submit.mutable_result();
    r->set_plan_id(plan_.plan_id());
    r->set_credit_code(team.credit_code());
    r->set_category(v1::REQUIRED_INFORMATION_NOT_PUBLISHED);
    r->set_findings("未按期公示2025年度报告。");
    *r->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 20));
    EXPECT_OK(results_.Submit(InspectorCaller(team.inspector_ids(0)), submit));
    const std::string id = absl::StrCat(plan_.plan_id(), ".", team.credit_code());
    v1::PreviewPublicationRequest preview;
    preview.set_result_id(id);
    absl::StatusOr<v1::PublicationPreview> previewed = results_.Preview(Agency(), preview);
    EXPECT_OK(previewed);
    v1::ApproveResultRequest approve;
    approve.set_result_id(id);
    if (previewed.ok()) approve.set_preview_digest(previewed->preview_digest());
    EXPECT_OK(results_.Approve(Agency(), approve));
    return id;
  }

  v1::FileObjectionRequest Filing(std::string request_id = "file-1") {
    v1::FileObjectionRequest r;
    r.set_credit_code(code_);
    r.set_result_id(result_id_);
    r.set_grounds(absl::StrCat("年度报告已于2026年6月30日公示，见公示系统截图；联系人电话", kPhone, "。"));
    r.add_evidence_refs("公示回执 NECIPS-2026-0630-1187");
    r.set_request_id(std::move(request_id));
    return r;
  }

  v1::AnswerObjectionRequest Upholding(const std::string& objection_id,
                                       std::string request_id = "answer-1") {
    v1::AnswerObjectionRequest r;
    r.set_objection_id(objection_id);
    r.set_decision(v1::OBJECTION_STATE_UPHELD);
    r.set_reason("经核查，该企业已按期公示年度报告，原结果有误。");
    v1::InspectionResult* c = r.mutable_corrected();
    c->set_category(v1::NO_PROBLEM_FOUND);
    c->set_findings("经复核，已按期公示2025年度报告。");
    *c->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 20));
    r.set_request_id(std::move(request_id));
    return r;
  }

  v1::AnswerObjectionRequest Rejecting(const std::string& objection_id,
                                       std::string request_id = "answer-1") {
    v1::AnswerObjectionRequest r;
    r.set_objection_id(objection_id);
    r.set_decision(v1::OBJECTION_STATE_REJECTED);
    r.set_reason("公示系统记录显示年度报告于2026年8月补报，逾期属实。");
    r.set_request_id(std::move(request_id));
    return r;
  }

  // The log's record at `index`.
  v1::PublicRecord At(int64_t index) {
    absl::StatusOr<v1::PublicRecord> r = records_.Get(index);
    EXPECT_OK(r);
    return r.ok() ? *r : v1::PublicRecord();
  }

  // Every leaf of the log against its published body, as verify-log does.
  absl::Status VerifyBodies() {
    disclosure::BodyCheck check([this](uint64_t i) -> absl::StatusOr<disclosure::BodyCheck::Body> {
      absl::StatusOr<v1::PublicRecord> r = records_.Get(static_cast<int64_t>(i));
      if (!r.ok()) return r.status();
      if (r->body_json().empty()) return absl::NotFoundError("withdrawn");
      return disclosure::BodyCheck::Body{r->body_json(), r->salt()};
    });
    for (uint64_t i = 0; i < real_log_->size(); ++i) {
      absl::StatusOr<std::string> leaf = real_log_->Entry(i);
      if (!leaf.ok()) return leaf.status();
      if (absl::Status s = check.Check(i, *leaf); !s.ok()) return s;
    }
    return check.Finish();
  }

  disclosure::SigningKey key_;
  std::unique_ptr<storage::KvStore> log_store_;
  std::unique_ptr<disclosure::TransparencyLog> real_log_;
  std::unique_ptr<disclosure::LogWriter> writer_;
  std::unique_ptr<disclosure::PublicationQueue> queue_;
  disclosure::HolidayCalendar calendar_;
  DrawDesk draws_;
  EventIngestor history_;
  ResultDesk results_;
  LocalInspectionFeed inspection_{&plans_, &board_};
  ObjectionDesk objections_;
  PublicRecords records_;
  v1::Plan plan_;
  v1::Team team_;
  v1::Team second_team_;
  std::string code_;
  std::string result_id_;
  int64_t published_index_ = 0;
};

TEST_F(ObjectionDeskTest, AnUpheldObjectionPublishesItsOutcomeAndACorrectionInTheLog) {
  absl::StatusOr<v1::Objection> filed = objections_.File(EnterpriseCaller(code_), Filing());
  ASSERT_OK(filed);
  EXPECT_EQ(filed->objection_id(), absl::StrCat(result_id_, "/1"));
  EXPECT_EQ(filed->state(), v1::OBJECTION_STATE_OPEN);
  EXPECT_EQ(filed->objected_index(), published_index_);
  EXPECT_EQ(filed->plan_id(), plan_.plan_id());
  // Filed on Friday 2026-11-27: ten working days later.
  EXPECT_EQ(FromProtoDate(filed->answer_deadline()).value(), absl::CivilDay(2026, 12, 11));
  EXPECT_EQ(filed->working_days_left(), 10);
  EXPECT_FALSE(filed->overdue());
  const uint64_t size_before = real_log_->size();

  absl::StatusOr<v1::Objection> answered =
      objections_.Answer(Agency(), Upholding(filed->objection_id()));
  ASSERT_OK(answered);
  EXPECT_EQ(answered->state(), v1::OBJECTION_STATE_UPHELD);
  ASSERT_TRUE(answered->outcome_logged());
  ASSERT_TRUE(answered->correction_logged());
  EXPECT_EQ(real_log_->size(), size_before + 2);
  // The correction first, then the outcome that names it, in one write.
  EXPECT_EQ(answered->correction_index() + 1, answered->outcome_index());

  const v1::PublicRecord correction = At(answered->correction_index());
  EXPECT_EQ(correction.kind(), v1::PUBLIC_RECORD_KIND_CORRECTION);
  EXPECT_EQ(correction.subject(), code_);
  EXPECT_THAT(correction.body_json(),
              HasSubstr(absl::StrCat("\"corrects_index\":\"", published_index_, "\"")));
  EXPECT_THAT(correction.body_json(),
              HasSubstr(absl::StrCat("\"objection_id\":\"", filed->objection_id(), "\"")));
  EXPECT_THAT(correction.body_json(), HasSubstr("\"category\":\"NO_PROBLEM_FOUND\""));

  const v1::PublicRecord outcome = At(answered->outcome_index());
  EXPECT_EQ(outcome.kind(), v1::PUBLIC_RECORD_KIND_OBJECTION_OUTCOME);
  EXPECT_EQ(outcome.subject(), code_);
  absl::StatusOr<v1::PublicEntry> entry = disclosure::ParsePublicEntryJson(outcome.body_json());
  ASSERT_OK(entry);
  const v1::PublicObjectionOutcome& o = entry->objection_outcome();
  EXPECT_EQ(entry->key(), absl::StrCat("objection/", filed->objection_id()));
  EXPECT_EQ(o.outcome(), "UPHELD");
  EXPECT_EQ(o.objected_index(), published_index_);
  EXPECT_EQ(o.correction_key(), answered->correction_key());
  EXPECT_EQ(o.filed_date(), "2026-11-27");
  EXPECT_EQ(o.answer_deadline(), "2026-12-11");
  EXPECT_FALSE(o.late());
  EXPECT_THAT(o.reason(), HasSubstr("原结果有误"));
  // The grounds are published through the redaction rules; the evidence never.
  EXPECT_THAT(o.grounds(), HasSubstr("年度报告已于2026年6月30日公示"));
  EXPECT_THAT(outcome.body_json(), ::testing::Not(HasSubstr(kPhone)));
  EXPECT_THAT(outcome.body_json(), ::testing::Not(HasSubstr("NECIPS-2026-0630-1187")));

  // The result now reads as corrected, and the whole log verifies.
  absl::StatusOr<v1::InspectionResult> result = results_.Get(Agency(), result_id_);
  ASSERT_OK(result);
  EXPECT_EQ(result->category(), v1::NO_PROBLEM_FOUND);
  EXPECT_EQ(result->log_index(), answered->correction_index());
  EXPECT_OK(VerifyBodies());
}

TEST_F(ObjectionDeskTest, ARejectedObjectionPublishesItsOutcomeAndNoCorrection) {
  absl::StatusOr<v1::Objection> filed = objections_.File(EnterpriseCaller(code_), Filing());
  ASSERT_OK(filed);
  const uint64_t size_before = real_log_->size();
  absl::StatusOr<v1::Objection> answered =
      objections_.Answer(Agency(), Rejecting(filed->objection_id()));
  ASSERT_OK(answered);
  EXPECT_EQ(answered->state(), v1::OBJECTION_STATE_REJECTED);
  EXPECT_TRUE(answered->correction_key().empty());
  EXPECT_FALSE(answered->correction_logged());
  ASSERT_TRUE(answered->outcome_logged());
  EXPECT_EQ(real_log_->size(), size_before + 1);
  const v1::PublicRecord outcome = At(answered->outcome_index());
  EXPECT_EQ(outcome.kind(), v1::PUBLIC_RECORD_KIND_OBJECTION_OUTCOME);
  EXPECT_THAT(outcome.body_json(), HasSubstr("\"outcome\":\"REJECTED\""));
  EXPECT_THAT(outcome.body_json(), ::testing::Not(HasSubstr("correction_key")));
  // The result stands as published.
  absl::StatusOr<v1::InspectionResult> result = results_.Get(Agency(), result_id_);
  ASSERT_OK(result);
  EXPECT_EQ(result->category(), v1::REQUIRED_INFORMATION_NOT_PUBLISHED);
  EXPECT_EQ(result->log_index(), published_index_);
  EXPECT_OK(VerifyBodies());
  // Answered, it cannot be answered again; the enterprise may object anew.
  EXPECT_THAT(objections_.Answer(Agency(), Upholding(filed->objection_id(), "answer-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("answered already")));
  absl::StatusOr<v1::Objection> again = objections_.File(EnterpriseCaller(code_), Filing("file-2"));
  ASSERT_OK(again);
  EXPECT_EQ(again->objection_id(), absl::StrCat(result_id_, "/2"));
}

TEST_F(ObjectionDeskTest, AnEnterpriseSeesAndFilesOnlyItsOwn) {
  ASSERT_OK(objections_.File(EnterpriseCaller(code_), Filing()));
  const access::Caller other = EnterpriseCaller(second_team_.credit_code());
  const std::string other_result = Publish(second_team_);

  // Another enterprise cannot object to this result, under its own code or this one.
  v1::FileObjectionRequest r = Filing("other-1");
  r.set_credit_code(second_team_.credit_code());
  EXPECT_THAT(objections_.File(other, r),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no published result")));
  EXPECT_THAT(objections_.File(other, Filing("other-2")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("credit_code")));
  // Nor can an agency file in an enterprise's name.
  EXPECT_THAT(objections_.File(Agency(), Filing("agency-1")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A result that does not exist is refused as another's is.
  r.set_result_id(absl::StrCat(plan_.plan_id(), ".", kOtherCode));
  r.set_credit_code(kOtherCode);
  EXPECT_THAT(objections_.File(EnterpriseCaller(kOtherCode), r),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no published result")));

  // Reads: the other enterprise sees nothing of it, not even that it exists.
  v1::GetObjectionRequest get;
  get.set_objection_id(absl::StrCat(result_id_, "/1"));
  EXPECT_OK(objections_.Get(EnterpriseCaller(code_), get));
  const absl::Status hidden = objections_.Get(other, get).status();
  get.set_objection_id(absl::StrCat(other_result, "/1"));
  const absl::Status absent = objections_.Get(other, get).status();
  EXPECT_THAT(hidden, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(absent, StatusIs(absl::StatusCode::kNotFound));
  v1::ListObjectionsRequest list;
  EXPECT_EQ(objections_.List(other, list)->objections_size(), 0);
  EXPECT_EQ(objections_.List(EnterpriseCaller(code_), list)->objections_size(), 1);
  list.set_credit_code(code_);
  EXPECT_THAT(objections_.List(other, list), StatusIs(absl::StatusCode::kPermissionDenied));
  // The plan's agency and admins see it; another region's agency neither sees nor answers it.
  EXPECT_EQ(objections_.List(Agency(), list)->objections_size(), 1);
  EXPECT_EQ(objections_.List(Admin(), list)->objections_size(), 1);
  access::Caller elsewhere = Agency();
  elsewhere.subject = "nb-samr";
  elsewhere.region_prefix = "3302";
  EXPECT_EQ(objections_.List(elsewhere, list)->objections_size(), 0);
  EXPECT_THAT(objections_.Answer(elsewhere, Rejecting(absl::StrCat(result_id_, "/1"))),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // An enterprise does not answer objections, its own included.
  EXPECT_THAT(objections_.Answer(EnterpriseCaller(code_), Rejecting(absl::StrCat(result_id_, "/1"))),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ObjectionDeskTest, AnOverdueObjectionIsListedAndItsLateAnswerIsMarked) {
  absl::StatusOr<v1::Objection> filed = objections_.File(EnterpriseCaller(code_), Filing());
  ASSERT_OK(filed);
  v1::ListObjectionsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_EQ(objections_.List(Agency(), overdue)->objections_size(), 0);

  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 12, 11), ChinaTimeZone()));  // the last day
  absl::StatusOr<v1::ListObjectionsResponse> due = objections_.List(Agency(), overdue);
  ASSERT_OK(due);
  EXPECT_EQ(due->objections_size(), 0);
  EXPECT_EQ(objections_.Get(Agency(), [&] {
    v1::GetObjectionRequest g;
    g.set_objection_id(filed->objection_id());
    return g;
  }())->working_days_left(), 0);

  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 12, 14), ChinaTimeZone()));  // Monday after
  due = objections_.List(Agency(), overdue);
  ASSERT_OK(due);
  ASSERT_EQ(due->objections_size(), 1);
  EXPECT_TRUE(due->objections(0).overdue());
  EXPECT_LT(due->objections(0).working_days_left(), 0);
  // The enterprise sees its own objection is overdue too.
  EXPECT_EQ(objections_.List(EnterpriseCaller(code_), overdue)->objections_size(), 1);

  absl::StatusOr<v1::Objection> answered =
      objections_.Answer(Agency(), Rejecting(filed->objection_id()));
  ASSERT_OK(answered);
  EXPECT_FALSE(answered->overdue());
  EXPECT_EQ(objections_.List(Agency(), overdue)->objections_size(), 0);
  absl::StatusOr<v1::PublicEntry> entry =
      disclosure::ParsePublicEntryJson(At(answered->outcome_index()).body_json());
  ASSERT_OK(entry);
  EXPECT_TRUE(entry->objection_outcome().late());
  EXPECT_EQ(entry->objection_outcome().decided_date(), "2026-12-14");
}

TEST_F(ObjectionDeskTest, RetriesReturnTheFirstAnswerAndWriteNothingTwice) {
  absl::StatusOr<v1::Objection> filed = objections_.File(EnterpriseCaller(code_), Filing());
  ASSERT_OK(filed);
  absl::StatusOr<v1::Objection> retried = objections_.File(EnterpriseCaller(code_), Filing());
  ASSERT_OK(retried);
  EXPECT_EQ(retried->objection_id(), filed->objection_id());
  // A new request while it is open: one open objection per result.
  EXPECT_THAT(objections_.File(EnterpriseCaller(code_), Filing("file-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("still open")));
  // The same request id for different content.
  v1::FileObjectionRequest changed = Filing();
  changed.set_grounds("另一理由");
  EXPECT_THAT(objections_.File(EnterpriseCaller(code_), changed),
              StatusIs(absl::StatusCode::kAlreadyExists));

  absl::StatusOr<v1::Objection> answered =
      objections_.Answer(Agency(), Upholding(filed->objection_id()));
  ASSERT_OK(answered);
  const uint64_t size = real_log_->size();
  absl::StatusOr<v1::Objection> again = objections_.Answer(Agency(), Upholding(filed->objection_id()));
  ASSERT_OK(again);
  EXPECT_EQ(again->outcome_index(), answered->outcome_index());
  EXPECT_EQ(again->correction_index(), answered->correction_index());
  EXPECT_EQ(real_log_->size(), size);
  v1::ListObjectionsRequest list;
  EXPECT_EQ(objections_.List(Admin(), list)->objections_size(), 1);
}

TEST_F(ObjectionDeskTest, BadRequestsNameTheFieldAndWriteNothing) {
  const access::Caller me = EnterpriseCaller(code_);
  v1::FileObjectionRequest r = Filing();
  r.clear_grounds();
  EXPECT_THAT(objections_.File(me, r), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grounds")));
  r = Filing();
  r.clear_result_id();
  EXPECT_THAT(objections_.File(me, r), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("result_id")));
  r = Filing();
  r.set_credit_code("91350100M000100Y44");  // wrong check character
  EXPECT_THAT(objections_.File(me, r), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("credit_code")));
  r = Filing();
  for (int i = 0; i < 11; ++i) r.add_evidence_refs("附件");
  EXPECT_THAT(objections_.File(me, r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("evidence_refs")));
  r = Filing();
  r.set_grounds(std::string(2001, 'x'));
  EXPECT_THAT(objections_.File(me, r), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grounds")));
  EXPECT_EQ(objections_.List(Admin(), {})->objections_size(), 0);

  absl::StatusOr<v1::Objection> filed = objections_.File(me, Filing());
  ASSERT_OK(filed);
  const uint64_t size = real_log_->size();
  v1::AnswerObjectionRequest a = Upholding(filed->objection_id());
  a.set_decision(v1::OBJECTION_STATE_OPEN);
  EXPECT_THAT(objections_.Answer(Agency(), a), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("decision")));
  a = Upholding(filed->objection_id());
  a.clear_corrected();
  EXPECT_THAT(objections_.Answer(Agency(), a), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrected")));
  a = Rejecting(filed->objection_id());
  a.mutable_corrected()->set_category(v1::NO_PROBLEM_FOUND);
  EXPECT_THAT(objections_.Answer(Agency(), a), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrected")));
  a = Upholding(filed->objection_id());
  a.mutable_corrected()->clear_category();
  EXPECT_THAT(objections_.Answer(Agency(), a),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrected.category")));
  a = Rejecting(filed->objection_id());
  a.clear_reason();
  EXPECT_THAT(objections_.Answer(Agency(), a), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(objections_.Answer(Agency(), Rejecting(absl::StrCat(result_id_, "/9"))),
              StatusIs(absl::StatusCode::kNotFound));
  // Nothing was answered or logged by the refusals.
  EXPECT_EQ(real_log_->size(), size);
  v1::GetObjectionRequest get;
  get.set_objection_id(filed->objection_id());
  EXPECT_EQ(objections_.Get(me, get)->state(), v1::OBJECTION_STATE_OPEN);
}

}  // namespace
}  // namespace regulation::services
