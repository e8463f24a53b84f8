// Results become history: an approved result is an inspection event of its enterprise,
// recorded once, superseded by a correction, and seen by portraits, past portraits and
// training rows alike, with the kept portrait equal to its recomputation throughout.

#include <limits>

#include "disclosure/embedded_holidays.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/portrait_state.h"
#include "services/disclosure/result_desk.h"
#include "services/disclosure/result_event.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/training_rows.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;
using testing::Admin;
using testing::Agency;
using testing::InspectorCaller;

constexpr int64_t kForever = std::numeric_limits<int64_t>::max() - 1;

int64_t MicrosOf(absl::CivilDay day) {
  return absl::ToUnixMicros(absl::FromCivil(day, ChinaTimeZone()));
}

class ResultHistoryTest : public testing::InspectionFixture {
 protected:
  ResultHistoryTest()
      : calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        history_(store_.get(), &clock_),
        directory_(store_.get(), &clock_),
        reader_(store_.get(), &directory_, &clock_, history_.portraits()),
        results_(store_.get(), &plans_, &board_, &history_, publications_.get(), &calendar_,
                 &clock_, {20}) {
    plan_ = CreatePlan();
    EXPECT_OK(Commit(plan_));
    absl::StatusOr<v1::Draw> draw = Draw(plan_);
    EXPECT_OK(draw);
    team_ = draw->teams(0);
    code_ = team_.credit_code();
    id_ = absl::StrCat(plan_.plan_id(), ".", code_);
  }

  // Submits a result for the first target (problem found, ended on `end`) and approves it.
  absl::StatusOr<v1::InspectionResult> SubmitAndApprove(absl::CivilDay end,
                                                        const std::string& request_id) {
    v1::SubmitResultRequest s;
    v1::InspectionResult* r = s.mutable_result();
    r->set_plan_id(plan_.plan_id());
    r->set_credit_code(code_);
    r->set_category(v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
    r->set_findings("未按规定公示年度报告。");
    *r->mutable_inspection_end_date() = ToProtoDate(end);
    absl::Status submitted = results_.Submit(InspectorCaller(team_.inspector_ids(0)), s).status();
    if (!submitted.ok()) return submitted;
    // The approver approves what the preview showed (its digest).
    v1::PreviewPublicationRequest p;
    p.set_result_id(id_);
    absl::StatusOr<v1::PublicationPreview> preview = results_.Preview(Agency(), p);
    if (!preview.ok()) return preview.status();
    preview_digest_ = preview->preview_digest();
    v1::ApproveResultRequest a;
    a.set_result_id(id_);
    a.set_request_id(request_id);
    a.set_preview_digest(preview_digest_);
    return results_.Approve(Agency(), a);
  }

  // The digest of the last preview SubmitAndApprove approved.
  std::string preview_digest_;

  // The enterprise's stored events.
  std::vector<v1::Event> Events() {
    v1::ListEventsRequest request;
    request.set_credit_code(code_);
    absl::StatusOr<v1::ListEventsResponse> events = reader_.ListEvents(Admin(), request);
    EXPECT_OK(events);
    return {events->events().begin(), events->events().end()};
  }

  int64_t SignalCount(const internal::PortraitState& state, scoring::Signal signal) {
    const internal::SignalHistory* h = scoring::FindSignal(state, signal);
    return h == nullptr ? 0 : h->count_total();
  }

  // What `regctl portrait verify` checks: the kept state equals the recomputed one.
  void ExpectKeptEqualsRecomputed() {
    absl::StatusOr<internal::PortraitState> kept = reader_.StoredState(code_);
    absl::StatusOr<internal::PortraitState> recomputed = reader_.StateFromHistory(code_, kForever);
    ASSERT_OK(kept);
    ASSERT_OK(recomputed);
    EXPECT_EQ(kept->SerializeAsString(), recomputed->SerializeAsString());
  }

  disclosure::HolidayCalendar calendar_;
  EventIngestor history_;
  EnterpriseDirectory directory_;
  PortraitReader reader_;
  ResultDesk results_;
  v1::Plan plan_;
  v1::Team team_;
  std::string code_;
  std::string id_;
};

TEST_F(ResultHistoryTest, AnApprovedResultIsAnInspectionEventOfItsEnterprise) {
  ASSERT_OK(SubmitAndApprove(absl::CivilDay(2026, 11, 20), "approve-1"));
  const std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0];
  EXPECT_EQ(e.event_id(), ResultEventId(id_));
  EXPECT_EQ(e.source_department(), "samr");
  EXPECT_TRUE(e.inspection_outcome().problem_found());
  EXPECT_EQ(e.inspection_outcome().result_category(), v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
  EXPECT_EQ(e.inspection_outcome().plan_id(), plan_.plan_id());
  EXPECT_EQ(*FromProtoTimestamp(e.occur_time()),
            absl::FromCivil(absl::CivilDay(2026, 11, 20), ChinaTimeZone()));

  absl::StatusOr<internal::PortraitState> state = reader_.StoredState(code_);
  ASSERT_OK(state);
  EXPECT_EQ(SignalCount(*state, scoring::Signal::kInspection), 1);
  EXPECT_EQ(SignalCount(*state, scoring::Signal::kInspectionProblem), 1);
  ExpectKeptEqualsRecomputed();
  // A portrait as of the day before the inspection ended does not see it.
  absl::StatusOr<internal::PortraitState> before =
      reader_.StateFromHistory(code_, MicrosOf(absl::CivilDay(2026, 11, 19)));
  ASSERT_OK(before);
  EXPECT_EQ(SignalCount(*before, scoring::Signal::kInspection), 0);
}

TEST_F(ResultHistoryTest, RetriesAndRecordingAgainAddNothing) {
  ASSERT_OK(SubmitAndApprove(absl::CivilDay(2026, 11, 20), "approve-1"));
  v1::ApproveResultRequest again;
  again.set_result_id(id_);
  again.set_request_id("approve-1");
  again.set_preview_digest(preview_digest_);
  ASSERT_OK(results_.Approve(Agency(), again));
  absl::StatusOr<int64_t> recorded = results_.RecordHistory();
  ASSERT_OK(recorded);
  EXPECT_EQ(*recorded, 0);
  EXPECT_EQ(Events().size(), 1u);
  EXPECT_EQ(reader_.StoredState(code_)->event_count(), 1);
  ExpectKeptEqualsRecomputed();
}

TEST_F(ResultHistoryTest, ACorrectionSupersedesTheEventAndThePortraitFollows) {
  absl::StatusOr<v1::InspectionResult> published =
      SubmitAndApprove(absl::CivilDay(2026, 11, 20), "approve-1");
  ASSERT_OK(published);
  v1::PublishCorrectionRequest c;
  c.set_request_id("correct-1");
  c.set_corrects_index(published->log_index());
  c.set_reason("录入错误");
  v1::InspectionResult* r = c.mutable_result();
  r->set_result_id(id_);
  r->set_category(v1::NO_PROBLEM_FOUND);
  r->set_findings("经复核，未发现问题。");
  *r->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 24));
  ASSERT_OK(results_.PublishCorrection(Agency(), c));

  const std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 1u);  // replaced, not added
  EXPECT_FALSE(events[0].inspection_outcome().problem_found());
  EXPECT_EQ(*FromProtoTimestamp(events[0].occur_time()),
            absl::FromCivil(absl::CivilDay(2026, 11, 24), ChinaTimeZone()));
  absl::StatusOr<internal::PortraitState> state = reader_.StoredState(code_);
  ASSERT_OK(state);
  EXPECT_EQ(SignalCount(*state, scoring::Signal::kInspection), 1);
  EXPECT_EQ(SignalCount(*state, scoring::Signal::kInspectionProblem), 0);
  ExpectKeptEqualsRecomputed();
  // The old date no longer holds an inspection.
  absl::StatusOr<internal::PortraitState> between =
      reader_.StateFromHistory(code_, MicrosOf(absl::CivilDay(2026, 11, 22)));
  EXPECT_EQ(SignalCount(*between, scoring::Signal::kInspection), 0);
  // A retried correction changes nothing more.
  ASSERT_OK(results_.PublishCorrection(Agency(), c));
  EXPECT_EQ(Events().size(), 1u);
  EXPECT_EQ(*results_.RecordHistory(), 0);
}

TEST_F(ResultHistoryTest, ResultsApprovedBeforeHistoryAreRecordedAtStart) {
  ASSERT_OK(SubmitAndApprove(absl::CivilDay(2026, 11, 20), "approve-1"));
  // A store from before results became history: the result, without its event.
  const std::string event_id = ResultEventId(id_);
  internal::EventIdRecord record;
  ASSERT_TRUE(record.ParseFromString(*store_->Get(ColumnFamily::kEventIds, event_id)));
  storage::WriteBatch legacy;
  legacy.Delete(ColumnFamily::kEventIds, event_id);
  legacy.Delete(ColumnFamily::kEvents, record.event_key());
  legacy.Delete(ColumnFamily::kPortraits, code_);
  ASSERT_OK(store_->Write(legacy));
  ASSERT_TRUE(Events().empty());

  EXPECT_EQ(*results_.RecordHistory(), 1);
  EXPECT_EQ(Events().size(), 1u);
  ExpectKeptEqualsRecomputed();
  EXPECT_EQ(*results_.RecordHistory(), 0);
}

TEST_F(ResultHistoryTest, TrainingRowsAreLabelledByApprovedResults) {
  ASSERT_OK(SubmitAndApprove(absl::CivilDay(2026, 11, 20), "approve-1"));
  const int64_t window_start = MicrosOf(absl::CivilDay(2026, 10, 1));
  const int64_t windows[] = {window_start};
  absl::StatusOr<LabelledRows> rows =
      BuildTrainingRows(store_.get(), windows, 90 * scoring::kMicrosPerDay, nullptr);
  ASSERT_OK(rows);
  ASSERT_EQ(rows->data.rows, 1u);
  EXPECT_EQ(rows->credit_code[0], code_);
  EXPECT_EQ(rows->data.labels[0], 1.0f);
  EXPECT_THAT(rows->inspection_event_ids[0], ::testing::ElementsAre(ResultEventId(id_)));
}

TEST_F(ResultHistoryTest, CategoriesThatFoundNoViolationAreNotProblems) {
  EXPECT_FALSE(IsViolationCategory(v1::NO_PROBLEM_FOUND));
  EXPECT_FALSE(IsViolationCategory(v1::NO_RELEVANT_BUSINESS_ACTIVITY));
  EXPECT_FALSE(IsViolationCategory(v1::CLOSED_OR_LIQUIDATING));
  EXPECT_FALSE(IsViolationCategory(v1::DEREGISTERED_OR_REVOKED));
  EXPECT_TRUE(IsViolationCategory(v1::PROBLEM_CORRECTED_ON_ORDER));
  EXPECT_TRUE(IsViolationCategory(v1::UNREACHABLE_AT_REGISTERED_ADDRESS));
  EXPECT_TRUE(IsViolationCategory(v1::OTHER_DEPARTMENT_VIOLATION));
}

}  // namespace
}  // namespace regulation::services
