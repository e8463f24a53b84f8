// Issue 12: 25 kills during IngestEvents left 122,325 stored events and no audit record.
// Each group of events a stream commits now carries its own audit record, in the same
// atomic write: however the stream ends, the trail accounts for every stored event.

#include <string>
#include <vector>

#include "common/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "prometheus/registry.h"
#include "services/audit/audit_chain.h"
#include "services/ops/operations.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;

constexpr char kIngestEvents[] = "/regulation.v1.PortraitService/IngestEvents";

class IngestAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // With operations attached, as regulatord runs: every record is counted.
    absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
        testing::SecureTestServer::Start(
            [this](services::ServerOptions* options) { options->operations = &operations_; });
    ASSERT_OK(server);
    server_ = std::move(*server);
    portrait_ = v1::PortraitService::NewStub(server_->ChannelAs(testing::AgencyCertificate("33")));
    auditor_ = v1::AuditService::NewStub(
        server_->ChannelAs(testing::RoleCertificate(access::Role::kAuditor)));
    v1::BatchUpsertEnterprisesRequest directory;
    for (int i = 0; i < 20; ++i) *directory.add_enterprises() = testing::MakeEnterprise("330106", i);
    grpc::ClientContext context;
    v1::BatchUpsertEnterprisesResponse response;
    ASSERT_OK(portrait_->BatchUpsertEnterprises(&context, directory, &response));
  }

  // Message `batch` of a stream: 100 penalty events, ids unique to `stream`.
  static v1::IngestEventsRequest Batch(const std::string& stream, int batch) {
    v1::IngestEventsRequest request;
    request.set_batch_number(batch);
    for (int i = 0; i < 100; ++i) {
      v1::Event* e = request.add_events();
      e->set_event_id(absl::StrCat(stream, "-", batch, "-", i));
      e->set_source_department("samr");
      e->set_credit_code(testing::MakeCreditCode("330106", i % 20));
      e->mutable_occur_time()->set_seconds(1700000000 + batch * 1000 + i);
      e->mutable_administrative_penalty()->set_amount_yuan(100);
      e->mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_MINOR);
      e->mutable_administrative_penalty()->set_legal_basis("Art. 49");
    }
    return request;
  }

  // Sends `batches` messages on an open stream and reads their acknowledgements; returns
  // the events they applied.
  static int64_t SendAndAcknowledge(
      grpc::ClientReaderWriter<v1::IngestEventsRequest, v1::IngestEventsResponse>* stream,
      const std::string& name, int batches) {
    int64_t applied = 0;
    for (int b = 1; b <= batches; ++b) {
      EXPECT_TRUE(stream->Write(Batch(name, b)));
      v1::IngestEventsResponse ack;
      EXPECT_TRUE(stream->Read(&ack));
      EXPECT_EQ(ack.batch_number(), b);
      applied += ack.applied_count();
    }
    return applied;
  }

  // Every record of the trail, verified as a chain.
  std::vector<v1::AuditRecord> Trail() {
    std::vector<v1::AuditRecord> records;
    v1::ListAuditRecordsRequest request;
    audit::AuditChainVerifier verifier;
    do {
      grpc::ClientContext context;
      v1::ListAuditRecordsResponse response;
      EXPECT_OK(auditor_->ListAuditRecords(&context, request, &response));
      for (const v1::AuditRecord& r : response.records()) {
        EXPECT_OK(verifier.Add(r)) << r.sequence();
        records.push_back(r);
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return records;
  }

  // Events the trail says IngestEvents stored, and the records of whole calls.
  struct Accounted {
    int64_t events = 0;
    int stored_records = 0;
    std::vector<v1::AuditRecord> calls;
  };
  Accounted AccountedFor() {
    Accounted accounted;
    for (const v1::AuditRecord& r : Trail()) {
      if (r.method() != kIngestEvents) continue;
      if (r.events_stored() > 0) {
        accounted.events += r.events_stored();
        ++accounted.stored_records;
        EXPECT_EQ(r.status_code(), 0);
        EXPECT_EQ(r.caller_subject().rfind("CN=agency-33", 0), 0u) << r.caller_subject();
        EXPECT_EQ(r.request_digest().size(), 32u);
        EXPECT_GE(r.request_count(), 1);
      } else {
        accounted.calls.push_back(r);
      }
    }
    return accounted;
  }

  // regulation_audit_records_total{outcome="written"}.
  double AuditRecordsCounted() {
    for (const prometheus::MetricFamily& family : operations_.metrics().registry()->Collect()) {
      if (family.name != "regulation_audit_records_total") continue;
      for (const prometheus::ClientMetric& metric : family.metric) {
        for (const prometheus::ClientMetric::Label& label : metric.label) {
          if (label.name == "outcome" && label.value == "written") return metric.counter.value;
        }
      }
    }
    return -1;
  }

  ops::Operations operations_{ops::OperationsOptions{}};
  std::unique_ptr<testing::SecureTestServer> server_;
  std::unique_ptr<v1::PortraitService::Stub> portrait_;
  std::unique_ptr<v1::AuditService::Stub> auditor_;
};

TEST_F(IngestAuditTest, ACancelledStreamLeavesRecordsOfEveryEventItStored) {
  grpc::ClientContext context;
  auto stream = portrait_->IngestEvents(&context);
  const int64_t applied = SendAndAcknowledge(stream.get(), "cancelled", 3);
  EXPECT_EQ(applied, 300);
  context.TryCancel();  // midway: no half-close, as a killed client
  stream->Finish();

  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  Accounted accounted = AccountedFor();
  while (accounted.calls.empty() && absl::Now() < deadline) {  // the call's own record
    absl::SleepFor(absl::Milliseconds(50));
    accounted = AccountedFor();
  }
  EXPECT_EQ(accounted.events, applied);
  EXPECT_GE(accounted.stored_records, 1);
  ASSERT_EQ(accounted.calls.size(), 1u);
  EXPECT_EQ(accounted.calls[0].status_code(), static_cast<int>(grpc::StatusCode::CANCELLED));
}

TEST_F(IngestAuditTest, AStreamPastItsDeadlineLeavesRecordsOfEveryEventItStored) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  auto stream = portrait_->IngestEvents(&context);
  const int64_t applied = SendAndAcknowledge(stream.get(), "deadline", 2);
  const grpc::Status ended = stream->Finish();  // waits out the deadline, never half-closed
  EXPECT_THAT(ended, StatusIs(absl::StatusCode::kDeadlineExceeded));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(AccountedFor().events, applied);
}

TEST_F(IngestAuditTest, ACompletedStreamAndSingleEventsAreAccountedToo) {
  {
    grpc::ClientContext context;
    auto stream = portrait_->IngestEvents(&context);
    SendAndAcknowledge(stream.get(), "whole", 2);
    // Replays are duplicates: stored once, so accounted once.
    EXPECT_TRUE(stream->Write(Batch("whole", 1)));
    v1::IngestEventsResponse ack;
    EXPECT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.duplicate_count(), 100);
    stream->WritesDone();
    EXPECT_OK(stream->Finish());
  }
  v1::IngestEventRequest single;
  *single.mutable_event() = Batch("single", 1).events(0);
  grpc::ClientContext context;
  v1::IngestEventResponse response;
  ASSERT_OK(portrait_->IngestEvent(&context, single, &response));
  ASSERT_TRUE(response.applied());

  int64_t single_accounted = 0;
  std::vector<std::string> stored_digests;  // of the stream's records of stored events
  for (const v1::AuditRecord& r : Trail()) {
    if (r.method() == "/regulation.v1.PortraitService/IngestEvent") {
      single_accounted += r.events_stored();
      EXPECT_EQ(r.request_digest(), Sha256(single.SerializeAsString()));
    }
    if (r.method() == kIngestEvents && r.events_stored() > 0) {
      stored_digests.push_back(r.request_digest());
    }
  }
  EXPECT_EQ(single_accounted, 1);
  // Each digest is SHA-256 over the serialized messages whose events the record accounts
  // for (audit.proto): one message each here, as each was acknowledged before the next
  // was sent.
  EXPECT_THAT(stored_digests, ElementsAre(Sha256(Batch("whole", 1).SerializeAsString()),
                                          Sha256(Batch("whole", 2).SerializeAsString())));
  const Accounted accounted = AccountedFor();
  EXPECT_EQ(accounted.events, 200);
  ASSERT_EQ(accounted.calls.size(), 1u);
  EXPECT_EQ(accounted.calls[0].status_code(), 0);
  EXPECT_EQ(accounted.calls[0].request_count(), 3);
  // The records written with the stored events are counted like the calls' own
  // (regulatord's metric once missed them): the count is the whole trail's length.
  EXPECT_EQ(AuditRecordsCounted(), static_cast<double>(Trail().size()));
}

}  // namespace
}  // namespace regulation
