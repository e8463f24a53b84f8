// PortraitService against a real regulation server on a free localhost port, over a
// real RocksDB in a temporary directory.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "regulation/v1/scoring_service.grpc.pb.h"
#include "services/access/identity.h"
#include "services/server/regulation_server.h"
#include "storage/rocksdb_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tests/testing/enterprises.h"

namespace regulation {
namespace {

using ::regulation::testing::MakeEnterprise;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

class PortraitServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = testing::NewTempDir();
    StartServer();
  }

  void StartServer() {
    storage::RocksDbOptions db;
    db.path = data_dir_ + "/rocksdb";
    absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(db);
    ASSERT_OK(store);
    services::ServerOptions options;
    options.listen_address = "localhost:0";
    options.identity = &identity_;
    options.credentials = grpc::InsecureServerCredentials();
    absl::StatusOr<std::unique_ptr<services::RegulationServer>> server =
        services::RegulationServer::Start(std::move(*store), options);
    ASSERT_OK(server);
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("localhost:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::PortraitService::NewStub(channel_);
  }

  void RestartServer() {
    stub_.reset();
    channel_.reset();
    server_.reset();  // shuts down and closes RocksDB
    StartServer();
  }

  grpc::Status Upsert(const v1::Enterprise& e, v1::UpsertEnterpriseResponse* response) {
    grpc::ClientContext context;
    v1::UpsertEnterpriseRequest request;
    *request.mutable_enterprise() = e;
    return stub_->UpsertEnterprise(&context, request, response);
  }

  grpc::Status Get(const std::string& code, v1::Enterprise* response) {
    grpc::ClientContext context;
    v1::GetEnterpriseRequest request;
    request.set_credit_code(code);
    return stub_->GetEnterprise(&context, request, response);
  }

  // Every enterprise, following page tokens.
  std::vector<v1::Enterprise> ListAll(v1::ListEnterprisesRequest request) {
    std::vector<v1::Enterprise> all;
    do {
      grpc::ClientContext context;
      v1::ListEnterprisesResponse page;
      const grpc::Status status = stub_->ListEnterprises(&context, request, &page);
      EXPECT_OK(status);
      if (!status.ok()) break;
      all.insert(all.end(), page.enterprises().begin(), page.enterprises().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  std::string data_dir_;
  access::LocalOperatorResolver identity_;
  std::unique_ptr<services::RegulationServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PortraitService::Stub> stub_;
};

TEST_F(PortraitServiceTest, UpsertGetListRoundTrip) {
  const v1::Enterprise e = MakeEnterprise("330106", 7);
  v1::UpsertEnterpriseResponse upserted;
  ASSERT_OK(Upsert(e, &upserted));
  EXPECT_EQ(upserted.enterprise().version(), 1);

  v1::Enterprise got;
  ASSERT_OK(Get(e.credit_code(), &got));
  EXPECT_EQ(got.name(), e.name());
  EXPECT_EQ(got.address(), e.address());

  v1::ListEnterprisesRequest request;
  request.set_region_prefix("3301");
  const std::vector<v1::Enterprise> listed = ListAll(request);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].credit_code(), e.credit_code());
}

TEST_F(PortraitServiceTest, PaginationCoversEveryRowExactlyOnce) {
  v1::BatchUpsertEnterprisesRequest batch;
  for (int i = 0; i < 1000; ++i) {
    *batch.add_enterprises() = MakeEnterprise(i % 3 ? "330106" : "440305", i);
  }
  grpc::ClientContext context;
  v1::BatchUpsertEnterprisesResponse response;
  ASSERT_OK(stub_->BatchUpsertEnterprises(&context, batch, &response));
  ASSERT_EQ(response.upserted_count(), 1000);
  ASSERT_EQ(response.errors_size(), 0);

  for (const char* region : {"", "33", "44"}) {
    v1::ListEnterprisesRequest request;
    request.set_region_prefix(region);
    request.set_page_size(37);
    const std::vector<v1::Enterprise> all = ListAll(request);
    std::set<std::string> codes;
    for (const auto& e : all) codes.insert(e.credit_code());
    const size_t expected = *region == '\0' ? 1000 : (*region == '3' ? 666 : 334);
    EXPECT_EQ(all.size(), expected) << region;
    EXPECT_EQ(codes.size(), expected) << region;
  }
}

TEST_F(PortraitServiceTest, EachKindOfBadInputGetsItsStatus) {
  v1::UpsertEnterpriseResponse ignored;
  v1::Enterprise bad = MakeEnterprise("330106", 1);
  bad.set_credit_code("91330106000000001X");  // wrong check character
  grpc::Status status = Upsert(bad, &ignored);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("enterprise.credit_code")));

  bad = MakeEnterprise("330106", 1);
  bad.set_region_code("33010");
  status = Upsert(bad, &ignored);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("enterprise.region_code")));

  v1::Enterprise got;
  status = Get("91350100M000100Y43", &got);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
  status = Get("91350100m000100Y43", &got);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("credit_code")));

  grpc::ClientContext context;
  v1::ListEnterprisesRequest list;
  list.set_page_token("forged");
  v1::ListEnterprisesResponse page;
  status = stub_->ListEnterprises(&context, list, &page);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(PortraitServiceTest, RetriedWriteWithSameRequestIdIsAppliedOnce) {
  v1::UpsertEnterpriseRequest request;
  *request.mutable_enterprise() = MakeEnterprise("330106", 9);
  request.set_request_id("client-retry-1");
  v1::UpsertEnterpriseResponse first, second;
  {
    grpc::ClientContext context;
    ASSERT_OK(stub_->UpsertEnterprise(&context, request, &first));
  }
  {
    grpc::ClientContext context;
    ASSERT_OK(stub_->UpsertEnterprise(&context, request, &second));
  }
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  request.mutable_enterprise()->set_name("不同的内容");
  grpc::ClientContext context;
  EXPECT_THAT(stub_->UpsertEnterprise(&context, request, &second),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(PortraitServiceTest, DataSurvivesAServerRestart) {
  v1::BatchUpsertEnterprisesRequest batch;
  for (int i = 0; i < 50; ++i) *batch.add_enterprises() = MakeEnterprise("110105", i);
  grpc::ClientContext context;
  v1::BatchUpsertEnterprisesResponse response;
  ASSERT_OK(stub_->BatchUpsertEnterprises(&context, batch, &response));

  RestartServer();

  v1::ListEnterprisesRequest request;
  request.set_region_prefix("11");
  EXPECT_EQ(ListAll(request).size(), 50u);
  v1::Enterprise got;
  EXPECT_OK(Get(batch.enterprises(3).credit_code(), &got));
  EXPECT_EQ(got.name(), batch.enterprises(3).name());
}

// A penalty event about enterprise `serial` of region 330106.
v1::Event PenaltyEvent(const std::string& id, int serial, int64_t seconds) {
  v1::Event e;
  e.set_event_id(id);
  e.set_source_department("samr");
  e.set_credit_code(testing::MakeCreditCode("330106", serial));
  e.mutable_occur_time()->set_seconds(seconds);
  e.mutable_administrative_penalty()->set_amount_yuan(500);
  e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_MINOR);
  e.mutable_administrative_penalty()->set_legal_basis("《产品质量法》第四十九条");
  return e;
}

TEST_F(PortraitServiceTest, StreamedEventsAreAcknowledgedInOrderAndReplaysAreDuplicates) {
  v1::BatchUpsertEnterprisesRequest directory;
  for (int i = 0; i < 50; ++i) *directory.add_enterprises() = MakeEnterprise("330106", i);
  {
    grpc::ClientContext context;
    v1::BatchUpsertEnterprisesResponse response;
    ASSERT_OK(stub_->BatchUpsertEnterprises(&context, directory, &response));
  }
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  auto stream_all = [&](bool with_bad_event) {
    grpc::ClientContext context;
    auto stream = stub_->IngestEvents(&context);
    for (int b = 0; b < 20; ++b) {
      v1::IngestEventsRequest request;
      request.set_batch_number(100 + b);
      for (int k = 0; k < 100; ++k) {
        const int n = b * 100 + k;
        *request.add_events() = PenaltyEvent(absl::StrCat("s-", n), n % 50, now - 86400 - n);
      }
      if (with_bad_event && b == 7) {
        request.mutable_events(3)->mutable_administrative_penalty()->set_amount_yuan(-1);
      }
      EXPECT_TRUE(stream->Write(request));
    }
    stream->WritesDone();
    std::vector<v1::IngestEventsResponse> acks;
    v1::IngestEventsResponse ack;
    while (stream->Read(&ack)) acks.push_back(ack);
    EXPECT_OK(stream->Finish());
    return acks;
  };

  std::vector<v1::IngestEventsResponse> first = stream_all(true);
  ASSERT_EQ(first.size(), 20u);
  int applied = 0;
  for (int b = 0; b < 20; ++b) {
    EXPECT_EQ(first[b].batch_number(), 100 + b);
    applied += first[b].applied_count();
  }
  EXPECT_EQ(applied, 1999);
  ASSERT_EQ(first[7].errors_size(), 1);
  EXPECT_EQ(first[7].errors(0).index(), 3);
  EXPECT_THAT(first[7].errors(0).message(),
              HasSubstr("events[3].administrative_penalty.amount_yuan"));

  // The same stream again (a client that resumes from the start): nothing changes.
  std::vector<v1::IngestEventsResponse> again = stream_all(false);
  int duplicates = 0, reapplied = 0;
  for (const auto& a : again) {
    duplicates += a.duplicate_count();
    reapplied += a.applied_count();
  }
  EXPECT_EQ(duplicates, 1999);
  EXPECT_EQ(reapplied, 1);  // the event that was bad the first time

  grpc::ClientContext context;
  v1::GetPortraitRequest request;
  request.set_credit_code(testing::MakeCreditCode("330106", 0));
  v1::Portrait portrait;
  ASSERT_OK(stub_->GetPortrait(&context, request, &portrait));
  EXPECT_EQ(portrait.event_count(), 40);
}

TEST_F(PortraitServiceTest, EmptyStreamMessageIsRefusedAfterEarlierBatchesAreAcknowledged) {
  v1::BatchUpsertEnterprisesRequest directory;
  *directory.add_enterprises() = MakeEnterprise("330106", 0);
  {
    grpc::ClientContext context;
    v1::BatchUpsertEnterprisesResponse response;
    ASSERT_OK(stub_->BatchUpsertEnterprises(&context, directory, &response));
  }
  grpc::ClientContext context;
  auto stream = stub_->IngestEvents(&context);
  v1::IngestEventsRequest good;
  *good.add_events() = PenaltyEvent("only", 0, absl::ToUnixSeconds(absl::Now()) - 100);
  ASSERT_TRUE(stream->Write(good));
  v1::IngestEventsRequest empty;
  stream->Write(empty);
  stream->WritesDone();
  v1::IngestEventsResponse ack;
  int acks = 0;
  while (stream->Read(&ack)) ++acks;
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(acks, 1);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("events: 1 to 1000")));
}

}  // namespace
}  // namespace regulation
