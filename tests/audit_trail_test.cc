// The audit trail through the real server: every state-changing RPC, admitted or
// refused, leaves exactly one record; reads leave none; the chain verifies.

#include <string>

#include "gtest/gtest.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "services/access/rpc_policy.h"
#include "services/audit/audit_chain.h"
#include "testing/status_matchers.h"
#include "tests/testing/generic_call.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

using access::Role;
using ::regulation::testing::StatusIs;

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
        testing::SecureTestServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
    auditor_ =
        v1::AuditService::NewStub(server_->ChannelAs(testing::RoleCertificate(Role::kAuditor)));
    channels_[Role::kAdmin] = server_->ChannelAs(testing::RoleCertificate(Role::kAdmin));
    channels_[Role::kAgency] = server_->ChannelAs(testing::AgencyCertificate("3301"));
    channels_[Role::kInspector] = server_->ChannelAs(testing::InspectorCertificate("ZJ-0001"));
    channels_[Role::kPublic] = server_->ChannelAs(testing::RoleCertificate(Role::kPublic));
  }

  // Records after `after`, all pages.
  std::vector<v1::AuditRecord> RecordsAfter(uint64_t after) {
    std::vector<v1::AuditRecord> records;
    v1::ListAuditRecordsRequest request;
    request.set_after_sequence(after);
    do {
      grpc::ClientContext context;
      v1::ListAuditRecordsResponse response;
      const grpc::Status status = auditor_->ListAuditRecords(&context, request, &response);
      EXPECT_OK(status);
      if (!status.ok()) break;
      records.insert(records.end(), response.records().begin(), response.records().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return records;
  }

  std::unique_ptr<testing::SecureTestServer> server_;
  std::unique_ptr<v1::AuditService::Stub> auditor_;
  std::map<Role, std::shared_ptr<grpc::Channel>> channels_;
};

TEST_F(AuditTrailTest, EveryMutatingRpcLeavesExactlyOneRecord) {
  uint64_t head = 0;
  int mutating = 0;
  for (const access::RpcPolicy& policy : access::AllRpcPolicies()) {
    if (!policy.mutating) continue;
    ++mutating;
    Role caller = Role::kAdmin;
    for (Role r : {Role::kAdmin, Role::kAgency, Role::kInspector}) {
      if (policy.allowed.Contains(r)) {
        caller = r;
        break;
      }
    }
    const grpc::Status status = testing::CallWithEmptyRequest(
        channels_[caller], std::string(policy.method), absl::Seconds(5));
    const std::vector<v1::AuditRecord> added = RecordsAfter(head);
    ASSERT_EQ(added.size(), 1u) << policy.method;
    EXPECT_EQ(added[0].method(), policy.method);
    EXPECT_EQ(added[0].status_code(), static_cast<int>(status.error_code())) << policy.method;
    EXPECT_EQ(added[0].caller_roles_size(), 1);
    EXPECT_EQ(added[0].caller_roles(0), access::RoleName(caller));
    head = added[0].sequence();
  }
  EXPECT_GE(mutating, 20);
}

TEST_F(AuditTrailTest, RefusedWritesAreRecordedAndReadsAreNot) {
  const std::string upsert = "/regulation.v1.PortraitService/UpsertEnterprise";
  const grpc::Status refused =
      testing::CallWithEmptyRequest(channels_[Role::kPublic], upsert, absl::Seconds(5));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  const grpc::Status anonymous =
      testing::CallWithEmptyRequest(server_->AnonymousChannel(), upsert, absl::Seconds(5));
  EXPECT_THAT(anonymous, StatusIs(absl::StatusCode::kUnauthenticated));
  testing::CallWithEmptyRequest(channels_[Role::kAdmin],
                                "/regulation.v1.PortraitService/ListEnterprises", absl::Seconds(5));

  const std::vector<v1::AuditRecord> records = RecordsAfter(0);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].status_code(), static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(records[0].caller_roles(0), "public");
  EXPECT_EQ(records[1].status_code(), static_cast<int>(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(records[1].caller_subject(), "anonymous");

  audit::AuditChainVerifier verifier;
  for (const v1::AuditRecord& record : records) ASSERT_OK(verifier.Add(record));
}

}  // namespace
}  // namespace regulation
