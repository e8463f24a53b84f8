// Bad input at the server's edge, through the real server: every case issue 12 found
// answers INVALID_ARGUMENT with a short message naming the problem (and the field where
// it can be known), and nothing is stored.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"
#include "tests/testing/generic_call.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kListEnterprises[] = "/regulation.v1.PortraitService/ListEnterprises";
constexpr char kUpsertEnterprise[] = "/regulation.v1.PortraitService/UpsertEnterprise";
constexpr char kIngestEvents[] = "/regulation.v1.PortraitService/IngestEvents";
constexpr char kExportLogFiles[] = "/regulation.v1.DisclosureService/ExportLogFiles";

// Deeply nested unknown groups: start-group tags of field 999, never closed.
std::string NestedGroups(int depth) {
  std::string bytes;
  for (int i = 0; i < depth; ++i) bytes += "\xBB\x3E";
  return bytes;
}

class InputBoundaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
        testing::SecureTestServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
    admin_channel_ = server_->ChannelAs(testing::RoleCertificate(access::Role::kAdmin));
    portrait_ = v1::PortraitService::NewStub(admin_channel_);
    inspection_ = v1::InspectionService::NewStub(admin_channel_);
  }

  grpc::Status Raw(const char* method, std::vector<std::string> messages) {
    return testing::CallWithRequestBytes(admin_channel_, method, messages, absl::Seconds(10));
  }

  std::unique_ptr<testing::SecureTestServer> server_;
  std::shared_ptr<grpc::Channel> admin_channel_;
  std::unique_ptr<v1::PortraitService::Stub> portrait_;
  std::unique_ptr<v1::InspectionService::Stub> inspection_;
};

// Issue 12: the 10 kB value came back in the status message, which then exceeded the
// client's metadata limit and arrived as RESOURCE_EXHAUSTED.
TEST_F(InputBoundaryTest, AHugeValueIsRefusedWithAShortMessage) {
  v1::ListEnterprisesRequest request;
  request.set_region_prefix(std::string(10000, '3'));
  grpc::ClientContext context;
  v1::ListEnterprisesResponse response;
  const grpc::Status status = portrait_->ListEnterprises(&context, request, &response);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("region_prefix: must be at most six digits"));
  EXPECT_THAT(status.error_message(), HasSubstr(std::string(64, '3') + "…\" (10000 bytes)"));
  EXPECT_EQ(status.error_message().find(std::string(65, '3')), std::string::npos);
}

// Issue 12: invalid UTF-8, malformed protobuf and deeply nested unknown groups answered
// INTERNAL with an empty message.
TEST_F(InputBoundaryTest, UnparseableUnaryRequestsAreInvalidArgument) {
  v1::ListEnterprisesRequest request;
  request.set_region_prefix("33");
  std::string invalid_utf8 = request.SerializeAsString();
  invalid_utf8.back() = '\xFF';
  grpc::Status status = Raw(kListEnterprises, {invalid_utf8});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(status.error_message(),
            "region_prefix: is not valid UTF-8 (string fields carry UTF-8 text only)");

  status = Raw(kListEnterprises, {"\x0a\x10zz"});  // a length past the end
  EXPECT_THAT(
      status,
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("request: cannot be parsed as regulation.v1.ListEnterprisesRequest")));

  status = Raw(kListEnterprises, {NestedGroups(5000)});
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deeper than 100 levels")));

  // A server-streaming call's request too.
  status = Raw(kExportLogFiles, {"\x08"});  // a varint field with no value
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("regulation.v1.ExportLogFilesRequest")));
}

TEST_F(InputBoundaryTest, AnUnparseableWriteIsRefusedAndAuditedAsSuch) {
  v1::UpsertEnterpriseRequest request;
  *request.mutable_enterprise() = testing::MakeEnterprise("330106", 1);
  request.mutable_enterprise()->set_name("ABC");
  std::string bytes = request.SerializeAsString();
  bytes.replace(bytes.find("ABC"), 3, "A\xC0\xAF");  // overlong '/'
  const grpc::Status status = Raw(kUpsertEnterprise, {bytes});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("regulation.v1.Enterprise.name: is not valid UTF-8")));

  auto auditor = v1::AuditService::NewStub(
      server_->ChannelAs(testing::RoleCertificate(access::Role::kAuditor)));
  grpc::ClientContext context;
  v1::ListAuditRecordsRequest list;
  list.set_method("UpsertEnterprise");
  v1::ListAuditRecordsResponse records;
  ASSERT_OK(auditor->ListAuditRecords(&context, list, &records));
  ASSERT_EQ(records.records_size(), 1);
  EXPECT_EQ(records.records(0).status_code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(records.records(0).status_message(), status.error_message());
}

TEST_F(InputBoundaryTest, AnUnparseableMessageEndsAnIngestStreamNamingMessageAndField) {
  v1::BatchUpsertEnterprisesRequest directory;
  *directory.add_enterprises() = testing::MakeEnterprise("330106", 1);
  grpc::ClientContext upsert_context;
  v1::BatchUpsertEnterprisesResponse upserted;
  ASSERT_OK(portrait_->BatchUpsertEnterprises(&upsert_context, directory, &upserted));

  v1::IngestEventsRequest good;
  v1::Event* e = good.add_events();
  e->set_event_id("ev-1");
  e->set_source_department("samr");
  e->set_credit_code(testing::MakeCreditCode("330106", 1));
  e->mutable_occur_time()->set_seconds(1700000000);
  e->mutable_administrative_penalty()->set_amount_yuan(500);
  e->mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_MINOR);
  e->mutable_administrative_penalty()->set_legal_basis("Art. 49");
  good.set_batch_number(1);
  v1::IngestEventsRequest bad = good;
  bad.mutable_events(0)->set_event_id("ev-2");
  bad.set_batch_number(2);
  std::string bad_bytes = bad.SerializeAsString();
  bad_bytes.replace(bad_bytes.find("Art. 49"), 7, "Art.\xFF" "49");

  std::vector<std::string> acknowledgements;
  const grpc::Status status =
      testing::CallWithRequestBytes(admin_channel_, kIngestEvents,
                                    {good.SerializeAsString(), bad_bytes, good.SerializeAsString()},
                                    absl::Seconds(10), &acknowledgements);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << status.error_message();
  EXPECT_THAT(status.error_message(),
              HasSubstr("events[0].administrative_penalty.legal_basis: is not valid UTF-8 "
                        "(message 2 of the stream"));
  ASSERT_EQ(acknowledgements.size(), 1u) << "the message before it is acknowledged";
  v1::IngestEventsResponse ack;
  ASSERT_TRUE(ack.ParseFromString(acknowledgements[0]));
  EXPECT_EQ(ack.batch_number(), 1);
  EXPECT_EQ(ack.applied_count(), 1);

  // Deep nesting inside a stream message is named too.
  const grpc::Status deep =
      testing::CallWithRequestBytes(admin_channel_, kIngestEvents, {NestedGroups(300)},
                                    absl::Seconds(10));
  EXPECT_THAT(deep,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deeper than 100 levels")));
}

// Issue 12: U+0085, U+202E, a lone U+200B, U+FEFF and whitespace-only names were stored.
// Every text field of every kind of record goes through the one policy.
TEST_F(InputBoundaryTest, TextPolicyRefusesInvisibleAndControlCharactersEverywhere) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"A\xC2\x85" "B", "control characters (U+0085"},
      {"evil\xE2\x80\xAEgpj", "bidirectional formatting characters (U+202E"},
      {"\xE2\x80\x8B", "zero-width characters or byte-order marks (U+200B"},
      {"\xEF\xBB\xBFname", "zero-width characters or byte-order marks (U+FEFF"},
      {" \xE3\x80\x80 ", "must not be blank"},
  };
  for (const auto& [text, reason] : bad) {
    {
      v1::UpsertEnterpriseRequest request;
      *request.mutable_enterprise() = testing::MakeEnterprise("330106", 2);
      request.mutable_enterprise()->set_name(text);
      grpc::ClientContext context;
      v1::UpsertEnterpriseResponse response;
      const grpc::Status status = portrait_->UpsertEnterprise(&context, request, &response);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << reason;
      EXPECT_THAT(status.error_message(), HasSubstr("enterprise.name: "));
      EXPECT_THAT(status.error_message(), HasSubstr(reason));
    }
    {
      v1::UpsertInspectionItemRequest request;
      v1::InspectionItem* item = request.mutable_item();
      item->set_item_id("ITEM-1");
      item->set_department("samr");
      item->set_title(text);
      item->set_legal_basis("Art. 1");
      item->set_kind(v1::ITEM_KIND_GENERAL);
      grpc::ClientContext context;
      v1::InspectionItem response;
      const grpc::Status status = inspection_->UpsertInspectionItem(&context, request, &response);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << reason;
      EXPECT_THAT(status.error_message(), HasSubstr("item.title: "));
      EXPECT_THAT(status.error_message(), HasSubstr(reason));
    }
  }
  grpc::ClientContext context;
  v1::ListEnterprisesResponse listed;
  ASSERT_OK(portrait_->ListEnterprises(&context, {}, &listed));
  EXPECT_EQ(listed.enterprises_size(), 0) << "nothing was stored";
}

// Issue 12: GetPortraitAsOf(as_of before 1677-09-21) answered OK with a Timestamp of
// -9223372037 s; years 1-9999 are accepted, and outside them the field and range are named.
TEST_F(InputBoundaryTest, TimestampsAreExactOrRefusedWithTheirRange) {
  v1::UpsertEnterpriseRequest upsert;
  *upsert.mutable_enterprise() = testing::MakeEnterprise("330106", 3);
  grpc::ClientContext upsert_context;
  v1::UpsertEnterpriseResponse upserted;
  ASSERT_OK(portrait_->UpsertEnterprise(&upsert_context, upsert, &upserted));

  v1::GetPortraitAsOfRequest request;
  request.set_credit_code(upsert.enterprise().credit_code());
  request.mutable_as_of()->set_seconds(-11676096000);  // 1600-01-01
  request.mutable_as_of()->set_nanos(5000);
  {
    grpc::ClientContext context;
    v1::Portrait portrait;
    const grpc::Status status = portrait_->GetPortraitAsOf(&context, request, &portrait);
    ASSERT_OK(status);
    EXPECT_EQ(portrait.as_of().seconds(), -11676096000);
    EXPECT_EQ(portrait.as_of().nanos(), 5000);
  }
  request.mutable_as_of()->set_seconds(-62135596801);  // one second before 0001-01-01
  {
    grpc::ClientContext context;
    v1::Portrait portrait;
    const grpc::Status status = portrait_->GetPortraitAsOf(&context, request, &portrait);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("as_of: must be a time from 0001-01-01")));
    EXPECT_THAT(status.error_message(), HasSubstr("9999-12-31"));
  }
}

}  // namespace
}  // namespace regulation
