// Disclosure apart from inspection and portrait (what disclosured does): a ResultDesk
// over a store of its own, reading plans and assignments from an InspectionFeedService
// and naming enterprises and recording history through an EnterpriseHistoryService over
// gRPC, keeps exactly the results, public records and history events of one in process
// (regulatord); an approval while portrait is down is not lost, its event arrives once
// portrait is back; an inspection peer that is down is named.

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "disclosure/embedded_holidays.h"
#include "disclosure/public_body_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "common/status_macros.h"
#include "services/access/identity.h"
#include "services/disclosure/history_catch_up.h"
#include "services/disclosure/result_desk.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "services/seams/enterprise_history_client.h"
#include "services/seams/enterprise_history_service.h"
#include "services/seams/inspection_feed_client.h"
#include "services/seams/inspection_feed_service.h"
#include "services/seams/local_enterprise_history.h"
#include "services/seams/local_inspection_feed.h"
#include "services/seams/peer_channel.h"
#include "services/seams/testing/loopback_server.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using testing::Agency;
using ::testing::HasSubstr;
using testing::InspectorCaller;
using testing::LoopbackServer;

// Every key and value of a column family.
std::map<std::string, std::string> Contents(storage::KvStore* store, ColumnFamily cf) {
  std::map<std::string, std::string> out;
  std::unique_ptr<storage::Iterator> it = store->NewIterator(cf);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace(std::string(it->key()), std::string(it->value()));
  }
  EXPECT_OK(it->status());
  return out;
}

// A log leaf without its body_sha256 line.
std::string WithoutBodyHash(const std::string& leaf) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(leaf, '\n')) {
    if (!absl::StartsWith(line, "body_sha256 ")) absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::shared_ptr<grpc::Channel> Channel(int port, const std::string& service_config) {
  PeerChannelOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  options.service_config_json = service_config;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakePeerChannel(options);
  EXPECT_OK(channel);
  return *channel;
}

class ResultDeskOverGrpcTest : public testing::InspectionFixture {
 protected:
  ResultDeskOverGrpcTest()
      : calendar_(*disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar())),
        local_history_(store_.get(), &clock_),
        local_(store_.get(), &plans_, &board_, &local_history_, publications_.get(), &calendar_,
               &clock_, {20}) {
    plan_ = CreatePlan();
    EXPECT_OK(Commit(plan_));
    absl::StatusOr<v1::Draw> draw = Draw(plan_);
    EXPECT_OK(draw);
    team_ = draw->teams(0);
    result_id_ = absl::StrCat(plan_.plan_id(), ".", team_.credit_code());

    // The portrait side apart: the same directory, a history of its own.
    storage::WriteBatch enterprises;
    for (const auto& [code, record] : Contents(store_.get(), ColumnFamily::kEnterprises)) {
      enterprises.Put(ColumnFamily::kEnterprises, code, record);
    }
    EXPECT_OK(portrait_store_->Write(enterprises));
    // disclosured's log holds what regulatord's held before the result (the draw's
    // records), so that the two logs give the result the same index.
    for (const std::string& entry : log_.entries()) {
      EXPECT_OK(remote_log_.Append({entry}).status());
    }
    remote_publications_ =
        *disclosure::PublicationQueue::Open(disclosure_store_.get(), &remote_log_);

    inspection_server_ = std::make_unique<LoopbackServer>(std::vector<grpc::Service*>{&inspection_service_});
    portrait_server_ = std::make_unique<LoopbackServer>(std::vector<grpc::Service*>{&history_service_});
    EXPECT_TRUE(inspection_server_->up() && portrait_server_->up());
    remote_inspection_ = std::make_unique<GrpcInspectionFeed>(
        Channel(inspection_server_->port(), InspectionFeedServiceConfig()), absl::Seconds(5));
    remote_history_ = std::make_unique<GrpcEnterpriseHistory>(
        Channel(portrait_server_->port(), EnterpriseHistoryServiceConfig()), absl::Seconds(5));
    remote_ = std::make_unique<ResultDesk>(disclosure_store_.get(), remote_inspection_.get(),
                                           remote_history_.get(), remote_publications_.get(),
                                           &calendar_, &clock_, ResultDesk::Options{20});
  }

  v1::SubmitResultRequest Submission() {
    v1::SubmitResultRequest r;
    r.set_request_id("submit-1");
    v1::InspectionResult* result = r.mutable_result();
    result->set_plan_id(plan_.plan_id());
    result->set_credit_code(team_.credit_code());
    result->set_category(v1::PROBLEM_FOUND_FOLLOW_UP_PENDING);
    result->set_findings("现场检查发现标签不规范，负责人张某（手机13812345678）在场。");
    result->set_follow_up_measures("责令限期改正。");
    *result->mutable_inspection_end_date() = ToProtoDate(absl::CivilDay(2026, 11, 20));
    return r;
  }

  absl::StatusOr<v1::InspectionResult> Approve(ResultDesk& desk) {
    v1::PreviewPublicationRequest preview;
    preview.set_result_id(result_id_);
    REG_ASSIGN_OR_RETURN(v1::PublicationPreview seen, desk.Preview(Agency(), preview));
    v1::ApproveResultRequest r;
    r.set_result_id(result_id_);
    r.set_request_id("approve-1");
    r.set_preview_digest(seen.preview_digest());
    return desk.Approve(Agency(), r);
  }

  access::Caller TeamMember() { return InspectorCaller(team_.inspector_ids(0)); }

  disclosure::HolidayCalendar calendar_;
  // regulatord: everything over the fixture's store.
  EventIngestor local_history_;
  ResultDesk local_;
  v1::Plan plan_;
  v1::Team team_;
  std::string result_id_;

  // The inspection side serves the fixture's plans and board.
  LocalInspectionFeed inspection_feed_{&plans_, &board_};
  LocalDrawBundles draw_bundles_{store_.get()};
  InspectionFeedServiceImpl inspection_service_{&inspection_feed_, &draw_bundles_};
  // The portrait side apart: its own store and ingestor.
  std::unique_ptr<storage::KvStore> portrait_store_ = storage::NewMemoryStore();
  EventIngestor portrait_ingestor_{portrait_store_.get(), &clock_};
  LocalEnterpriseHistory portrait_side_{portrait_store_.get(), &portrait_ingestor_};
  EnterpriseHistoryServiceImpl history_service_{&portrait_side_, &clock_};
  // disclosured: a store and log of its own.
  std::unique_ptr<storage::KvStore> disclosure_store_ = storage::NewMemoryStore();
  testing::MemoryLog remote_log_;
  std::unique_ptr<disclosure::PublicationQueue> remote_publications_;
  std::unique_ptr<LoopbackServer> inspection_server_;
  std::unique_ptr<LoopbackServer> portrait_server_;
  std::unique_ptr<GrpcInspectionFeed> remote_inspection_;
  std::unique_ptr<GrpcEnterpriseHistory> remote_history_;
  std::unique_ptr<ResultDesk> remote_;
};

TEST_F(ResultDeskOverGrpcTest, ApartTheResultsRecordsAndHistoryAreThoseOfOneProcess) {
  ASSERT_OK_AND_ASSIGN(v1::InspectionResult here, local_.Submit(TeamMember(), Submission()));
  ASSERT_OK_AND_ASSIGN(v1::InspectionResult there, remote_->Submit(TeamMember(), Submission()));
  EXPECT_EQ(there.SerializeAsString(), here.SerializeAsString());

  ASSERT_OK_AND_ASSIGN(here, Approve(local_));
  ASSERT_OK_AND_ASSIGN(there, Approve(*remote_));
  EXPECT_EQ(here.state(), v1::RESULT_STATE_PUBLISHED);
  EXPECT_EQ(there.SerializeAsString(), here.SerializeAsString());
  EXPECT_FALSE(remote_->HistoryBehind());
  // The same public record at the same index: the enterprise's name, the plan's
  // departments, read from the peers.
  ASSERT_EQ(remote_log_.entries().size(), log_.entries().size());
  // Each body is salted afresh (so that a withdrawn body cannot be guessed from its
  // hash): the leaves differ in body_sha256 alone, and the bodies are the same.
  EXPECT_EQ(WithoutBodyHash(remote_log_.entries().back()), WithoutBodyHash(log_.entries().back()));
  const std::string key = absl::StrCat("result/", result_id_);
  ASSERT_OK_AND_ASSIGN(disclosure::StoredBody here_body,
                       disclosure::ReadPublicBody(store_.get(), key));
  ASSERT_OK_AND_ASSIGN(disclosure::StoredBody there_body,
                       disclosure::ReadPublicBody(disclosure_store_.get(), key));
  EXPECT_EQ(there_body.body, here_body.body);
  EXPECT_THAT(here_body.body, HasSubstr("杭州测试企业"));
  EXPECT_THAT(here_body.body, HasSubstr("\"departments\":[\"samr\"]"));
  EXPECT_EQ(Contents(disclosure_store_.get(), ColumnFamily::kResults),
            Contents(store_.get(), ColumnFamily::kResults));
  // The approved result is one inspection event in portrait's history, as in process.
  for (ColumnFamily cf : {ColumnFamily::kEvents, ColumnFamily::kEventIds}) {
    const std::map<std::string, std::string> local = Contents(store_.get(), cf);
    EXPECT_EQ(local.size(), 1u);
    EXPECT_EQ(Contents(portrait_store_.get(), cf), local);
  }
  EXPECT_EQ(Contents(portrait_store_.get(), ColumnFamily::kPortraits),
            Contents(store_.get(), ColumnFamily::kPortraits));
  // Sending every event again (a restart's RecordHistory) adds nothing on either side.
  ASSERT_OK_AND_ASSIGN(int64_t resent, remote_->RecordHistory());
  EXPECT_EQ(resent, 0);
  ASSERT_OK_AND_ASSIGN(resent, local_.RecordHistory());
  EXPECT_EQ(resent, 0);
  EXPECT_EQ(Contents(portrait_store_.get(), ColumnFamily::kEvents).size(), 1u);
}

TEST_F(ResultDeskOverGrpcTest, AnApprovalWhilePortraitIsDownIsKeptAndItsEventArrivesOnceLater) {
  ASSERT_OK(remote_->Submit(TeamMember(), Submission()));
  const int port = portrait_server_->port();
  // The approver previews what will be published (the enterprise's name included, read
  // from portrait); portrait goes down before the approval, which publishes the name the
  // approver saw.
  v1::PreviewPublicationRequest preview;
  preview.set_result_id(result_id_);
  ASSERT_OK_AND_ASSIGN(v1::PublicationPreview seen, remote_->Preview(Agency(), preview));
  portrait_server_->Stop();
  v1::ApproveResultRequest approve;
  approve.set_result_id(result_id_);
  approve.set_request_id("approve-1");
  approve.set_preview_digest(seen.preview_digest());
  ASSERT_OK_AND_ASSIGN(v1::InspectionResult approved, remote_->Approve(Agency(), approve));
  EXPECT_EQ(approved.state(), v1::RESULT_STATE_PUBLISHED);
  EXPECT_TRUE(remote_->HistoryBehind());
  EXPECT_TRUE(Contents(portrait_store_.get(), ColumnFamily::kEvents).empty());
  // While it is down, catching up fails naming it, and stays behind.
  const absl::Status down = remote_->RecordHistory().status();
  EXPECT_TRUE(absl::IsUnavailable(down) || absl::IsDeadlineExceeded(down)) << down;
  EXPECT_THAT(std::string(down.message()), HasSubstr("portrait service"));
  EXPECT_TRUE(remote_->HistoryBehind());
  // A retried approval is a replay: still approved once, nothing new.
  ASSERT_OK_AND_ASSIGN(v1::InspectionResult again, remote_->Approve(Agency(), approve));
  EXPECT_EQ(again.version(), approved.version());

  // Portrait comes back on its address; the catch-up thread delivers the event.
  portrait_server_ = std::make_unique<LoopbackServer>(std::vector<grpc::Service*>{&history_service_}, port);
  ASSERT_TRUE(portrait_server_->up());
  {
    HistoryCatchUp catch_up(remote_.get(), absl::Milliseconds(50));
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (remote_->HistoryBehind() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_FALSE(remote_->HistoryBehind());
  const std::map<std::string, std::string> events =
      Contents(portrait_store_.get(), ColumnFamily::kEvents);
  ASSERT_EQ(events.size(), 1u);
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(events.begin()->second));
  EXPECT_EQ(event.event_id(), absl::StrCat("result:", result_id_));
  // Once: sending it again is a duplicate.
  ASSERT_OK_AND_ASSIGN(int64_t resent, remote_->RecordHistory());
  EXPECT_EQ(resent, 0);
  EXPECT_EQ(Contents(portrait_store_.get(), ColumnFamily::kEvents).size(), 1u);
}

TEST_F(ResultDeskOverGrpcTest, ARestartSendsTheEventsLeftUnsent) {
  ASSERT_OK(remote_->Submit(TeamMember(), Submission()));
  const int port = portrait_server_->port();
  v1::PreviewPublicationRequest preview;
  preview.set_result_id(result_id_);
  ASSERT_OK_AND_ASSIGN(v1::PublicationPreview seen, remote_->Preview(Agency(), preview));
  portrait_server_->Stop();
  v1::ApproveResultRequest approve;
  approve.set_result_id(result_id_);
  approve.set_request_id("approve-1");
  approve.set_preview_digest(seen.preview_digest());
  ASSERT_OK(remote_->Approve(Agency(), approve));
  // disclosured stops here; the "behind" mark is lost with the process.
  remote_.reset();
  portrait_server_ = std::make_unique<LoopbackServer>(std::vector<grpc::Service*>{&history_service_}, port);
  ASSERT_TRUE(portrait_server_->up());
  GrpcEnterpriseHistory history(Channel(port, EnterpriseHistoryServiceConfig()), absl::Seconds(5));
  ResultDesk restarted(disclosure_store_.get(), remote_inspection_.get(), &history,
                       remote_publications_.get(), &calendar_, &clock_, ResultDesk::Options{20});
  EXPECT_FALSE(restarted.HistoryBehind());
  {
    // Its pass at start (the interval is far longer than the test).
    HistoryCatchUp catch_up(&restarted, absl::Hours(1));
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (Contents(portrait_store_.get(), ColumnFamily::kEvents).empty() &&
           absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  EXPECT_EQ(Contents(portrait_store_.get(), ColumnFamily::kEvents).size(), 1u);
}

TEST_F(ResultDeskOverGrpcTest, AnInspectionPeerThatIsDownIsNamedAndNothingIsWritten) {
  ASSERT_OK(remote_->Submit(TeamMember(), Submission()));
  const std::map<std::string, std::string> before =
      Contents(disclosure_store_.get(), ColumnFamily::kResults);
  inspection_server_->Stop();
  v1::SubmitResultRequest revision = Submission();
  revision.set_request_id("submit-2");
  revision.mutable_result()->set_findings("复查：标签已更正。");
  const absl::Status status = remote_->Submit(TeamMember(), revision).status();
  EXPECT_TRUE(absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("inspection service"));
  EXPECT_EQ(Contents(disclosure_store_.get(), ColumnFamily::kResults), before);
  // A team-mate reading the result is not refused for want of the board: the peer is named.
  ASSERT_GE(team_.inspector_ids_size(), 2);
  const absl::Status read =
      remote_->Get(InspectorCaller(team_.inspector_ids(1)), result_id_).status();
  EXPECT_TRUE(absl::IsUnavailable(read) || absl::IsDeadlineExceeded(read)) << read;
  EXPECT_THAT(std::string(read.message()), HasSubstr("inspection service"));
}

TEST_F(ResultDeskOverGrpcTest, ThePortraitSideTakesOnlyResultEvents) {
  v1::Event forged;
  forged.set_event_id("complaint-1");
  forged.set_credit_code(team_.credit_code());
  const absl::Status refused = remote_history_->Record({forged}).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("events[0].event_id")));
  EXPECT_TRUE(Contents(portrait_store_.get(), ColumnFamily::kEvents).empty());
}

}  // namespace
}  // namespace regulation::services
