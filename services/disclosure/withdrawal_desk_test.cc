// Withdrawal of a published body, end to end through the desks over a real signed log:
// the department asks, an admin approves, and then no public read holds the body while
// the leaf and its inclusion proof stay as they were.

#include "services/disclosure/withdrawal_desk.h"

#include "disclosure/embedded_holidays.h"
#include "disclosure/merkle.h"
#include "disclosure/public_body_store.h"
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
using ::testing::Not;

// Personal data that no rule recognises (a family circumstance, no name or number in it).
constexpr char kSecret[] = "其配偶在本店收银";
constexpr char kBasis[] = "《中华人民共和国个人信息保护法》第四十七条";

class WithdrawalDeskTest : public testing::InspectionFixture {
 protected:
  WithdrawalDeskTest()
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
        withdrawals_(store_.get(), real_log_.get(), &inspection_, queue_.get(), &clock_),
        records_(store_.get(), real_log_.get(), queue_.get()) {
    plan_ = CreatePlan();
    v1::CommitPlanRequest commit;
    commit.set_plan_id(plan_.plan_id());
    commit.add_entropy_sources()->set_source_id(kWitness);
    absl::Status committed = draws_.Commit(Agency(), commit).status();
    EXPECT_OK(committed);
    WaitForEntropy();
    v1::DrawPlanRequest draw;
    draw.set_plan_id(plan_.plan_id());
    *draw.add_statements() = Statement(plan_, 0, "round-0", witness_);
    absl::StatusOr<v1::Draw> drawn = draws_.Draw(Agency(), draw);
    EXPECT_OK(drawn);
    const v1::Team team = drawn->teams(0);
    v1::SubmitResultRequest submit;
    v1::InspectionResult* r = submit.mutable_result();
    r->set_plan_id(plan_.plan_id());
    r->set_credit_code(team.credit_code());
    r->set_category(v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
    // Personal data the redaction rules cannot know to remove:
    // exactly what a withdrawal is for.
    r->set_findings(absl::StrCat("经营者称", kSecret, "，未公示年度报告。"));
    *r->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 9, 25));
    EXPECT_OK(results_.Submit(InspectorCaller(team.inspector_ids(0)), submit));
    v1::ApproveResultRequest approve;
    approve.set_result_id(absl::StrCat(plan_.plan_id(), ".", team.credit_code()));
    v1::PreviewPublicationRequest preview;
    preview.set_result_id(approve.result_id());
    absl::StatusOr<v1::PublicationPreview> previewed = results_.Preview(Agency(), preview);
    EXPECT_OK(previewed);
    if (previewed.ok()) approve.set_preview_digest(previewed->preview_digest());
    absl::StatusOr<v1::InspectionResult> published = results_.Approve(Agency(), approve);
    EXPECT_OK(published);
    leaked_ = published->log_index();
  }

  v1::RequestWithdrawalRequest Ask(int64_t index, std::string request_id = "ask-1") {
    v1::RequestWithdrawalRequest r;
    r.set_log_index(index);
    r.set_reason("当事人依法要求删除其银行账号");
    r.set_legal_basis(kBasis);
    r.set_request_id(std::move(request_id));
    return r;
  }

  v1::ApproveWithdrawalRequest Approval(int64_t index, std::string request_id = "approve-1") {
    v1::ApproveWithdrawalRequest r;
    r.set_log_index(index);
    r.set_comment("同意撤回");
    r.set_request_id(std::move(request_id));
    return r;
  }

  // Everything a member of the public can read through the API, as bytes.
  std::string PublicReads() {
    std::string all;
    auto add = [&all](const v1::PublicRecord& r) {
      absl::StrAppend(&all, r.body_json(), "\n", r.leaf(), "\n", r.salt(), "\n", r.subject(),
                      "\n", r.attachment(), "\n");
    };
    v1::ListPublicRecordsRequest list;
    list.set_page_size(1000);
    absl::StatusOr<v1::ListPublicRecordsResponse> records = records_.List(list);
    EXPECT_OK(records);
    for (const v1::PublicRecord& r : records->records()) add(r);
    for (int64_t i = 0; i < static_cast<int64_t>(real_log_->size()); ++i) add(*records_.Get(i));
    std::string files;
    EXPECT_OK(records_.ExportFiles(0, [&](const v1::LogFile& f) {
      files += f.content();
      return true;
    }));
    return all + files;
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
  WithdrawalDesk withdrawals_;
  PublicRecords records_;
  v1::Plan plan_;
  int64_t leaked_ = 0;
};

TEST_F(WithdrawalDeskTest, TheDepartmentAsksAnAdminApprovesAndTheBodyIsGoneWhileTheProofStays) {
  ASSERT_NE(PublicReads().find(kSecret), std::string::npos);
  const std::string leaf = *real_log_->Entry(leaked_);

  absl::StatusOr<v1::Withdrawal> asked = withdrawals_.Request(Agency(), Ask(leaked_));
  ASSERT_OK(asked);
  EXPECT_EQ(asked->state(), v1::WITHDRAWAL_STATE_REQUESTED);
  EXPECT_EQ(asked->legal_basis(), kBasis);  // survives the redaction rules intact
  EXPECT_EQ(asked->plan_id(), plan_.plan_id());
  EXPECT_NE(PublicReads().find(kSecret), std::string::npos);  // nothing happens before approval

  absl::StatusOr<v1::Withdrawal> approved = withdrawals_.Approve(Admin(), Approval(leaked_));
  ASSERT_OK(approved);
  EXPECT_EQ(approved->state(), v1::WITHDRAWAL_STATE_WITHDRAWN);
  EXPECT_EQ(approved->approved_by(), "admin");
  ASSERT_TRUE(approved->withdrawal_logged());
  EXPECT_EQ(approved->withdrawal_index(), static_cast<int64_t>(real_log_->size()) - 1);

  // No public read holds the value (nor the restricted reason); the store has no body.
  const std::string reads = PublicReads();
  EXPECT_EQ(reads.find(kSecret), std::string::npos) << "a public read still holds the value";
  EXPECT_EQ(reads.find("依法要求删除"), std::string::npos) << "the restricted reason was published";
  absl::StatusOr<disclosure::StoredBody> stored = disclosure::ReadPublicBody(
      store_.get(), absl::StrCat("result/", plan_.plan_id(), ".", asked->subject()));
  ASSERT_OK(stored);
  EXPECT_TRUE(stored->withdrawn());
  EXPECT_TRUE(stored->body.empty());
  EXPECT_TRUE(stored->salt.empty());

  // The record says withdrawn and names its WITHDRAWAL record; its leaf is unchanged and
  // its inclusion proof still verifies against the latest checkpoint.
  absl::StatusOr<v1::PublicRecord> record = records_.Get(leaked_);
  ASSERT_OK(record);
  EXPECT_TRUE(record->withdrawn());
  EXPECT_EQ(record->withdrawal_index(), approved->withdrawal_index());
  EXPECT_TRUE(record->body_json().empty());
  EXPECT_EQ(record->leaf(), leaf);
  v1::GetInclusionProofRequest proof_request;
  proof_request.set_leaf_index(leaked_);
  absl::StatusOr<v1::GetInclusionProofResponse> proof = records_.InclusionProof(proof_request);
  ASSERT_OK(proof);
  std::vector<std::string> hashes(proof->proof().hashes().begin(), proof->proof().hashes().end());
  EXPECT_OK(disclosure::VerifyInclusion(leaked_, proof->checkpoint().tree_size(),
                                        disclosure::LeafHash(leaf), hashes,
                                        proof->checkpoint().root_hash()));

  // The WITHDRAWAL record: which record, the date and the legal basis; no reason.
  absl::StatusOr<v1::PublicRecord> notice = records_.Get(approved->withdrawal_index());
  ASSERT_OK(notice);
  EXPECT_EQ(notice->kind(), v1::PUBLIC_RECORD_KIND_WITHDRAWAL);
  EXPECT_EQ(notice->subject(), record->subject());
  EXPECT_THAT(notice->body_json(), HasSubstr(absl::StrCat("\"withdrawn_index\":\"", leaked_, "\"")));
  EXPECT_THAT(notice->body_json(), HasSubstr(kBasis));
  EXPECT_THAT(notice->body_json(), HasSubstr("\"withdrawn_date\":\"2026-11-27\""));

  // Retried with the same request id: the same answer; a new approval is refused.
  absl::StatusOr<v1::Withdrawal> retried = withdrawals_.Approve(Admin(), Approval(leaked_));
  ASSERT_OK(retried);
  EXPECT_EQ(retried->withdrawal_index(), approved->withdrawal_index());
  EXPECT_THAT(withdrawals_.Approve(Admin(), Approval(leaked_, "approve-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(withdrawals_.Request(Agency(), Ask(leaked_, "ask-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(real_log_->size(), static_cast<uint64_t>(approved->withdrawal_index()) + 1);
}

TEST_F(WithdrawalDeskTest, OnlyTheRecordsDepartmentAsksWithAReasonAndALegalBasis) {
  access::Caller other = Agency();
  other.subject = "nb-samr";
  other.region_prefix = "3302";  // Ningbo: not the plan's agency
  absl::Status s = withdrawals_.Request(other, Ask(leaked_)).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));

  v1::RequestWithdrawalRequest r = Ask(leaked_);
  r.clear_reason();
  s = withdrawals_.Request(Agency(), r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  r = Ask(leaked_);
  r.clear_legal_basis();
  s = withdrawals_.Request(Agency(), r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("legal_basis")));
  s = withdrawals_.Request(Agency(), Ask(real_log_->size())).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kNotFound));
  // A plan's commitment and draw are what every draw is verified from: they stay.
  s = withdrawals_.Request(Agency(), Ask(1)).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                          HasSubstr("only the body of a RESULT, CORRECTION or OBJECTION_OUTCOME")));
}

TEST_F(WithdrawalDeskTest, TheApproverIsNotTheOneWhoAsked) {
  access::Caller both = Admin();  // an admin certificate that also holds the agency role
  both.department = "samr";
  ASSERT_OK(withdrawals_.Request(both, Ask(leaked_)));
  absl::Status s = withdrawals_.Approve(both, Approval(leaked_)).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(withdrawals_.Approve(Admin(), Approval(leaked_ + 100)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_NE(PublicReads().find(kSecret), std::string::npos);
}

TEST_F(WithdrawalDeskTest, ListsShowRequestsToThoseWhoMaySeeThem) {
  ASSERT_OK(withdrawals_.Request(Agency(), Ask(leaked_)));
  v1::ListWithdrawalsRequest list;
  list.set_state(v1::WITHDRAWAL_STATE_REQUESTED);
  absl::StatusOr<v1::ListWithdrawalsResponse> pending = withdrawals_.List(Admin(), list);
  ASSERT_OK(pending);
  ASSERT_EQ(pending->withdrawals_size(), 1);
  EXPECT_EQ(pending->withdrawals(0).log_index(), leaked_);
  access::Caller other = Agency();
  other.region_prefix = "3302";
  EXPECT_EQ(withdrawals_.List(other, list)->withdrawals_size(), 0);
  ASSERT_OK(withdrawals_.Approve(Admin(), Approval(leaked_)));
  EXPECT_EQ(withdrawals_.List(Admin(), list)->withdrawals_size(), 0);
}

}  // namespace
}  // namespace regulation::services
