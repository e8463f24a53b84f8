#include "services/common/idempotency.h"

#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.pb.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;

TEST(RequestId, FormatIsChecked) {
  EXPECT_OK(ValidateRequestId(""));
  EXPECT_OK(ValidateRequestId("import-2026-11-27:batch.7_a"));
  EXPECT_THAT(ValidateRequestId("has space"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateRequestId(std::string(129, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RequestDigest, IgnoresUnknownFieldsAtAnyDepth) {
  v1::BatchUpsertEnterprisesRequest request;
  request.set_request_id("batch-1");
  request.add_enterprises()->set_credit_code("91350100M000100Y43");
  const std::string plain = RequestDigest(request);
  request.GetReflection()->MutableUnknownFields(&request)->AddVarint(999, 1);
  v1::Enterprise* nested = request.mutable_enterprises(0);
  nested->GetReflection()->MutableUnknownFields(nested)->AddLengthDelimited(998, "extra");
  EXPECT_EQ(RequestDigest(request), plain);
  request.mutable_enterprises(0)->set_name("福州某某有限公司");
  EXPECT_NE(RequestDigest(request), plain);
}

TEST(IdempotencyLedger, ReplayReturnsStoredResponseAndMismatchIsAlreadyExists) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  IdempotencyLedger ledger(store.get());
  v1::GetEnterpriseRequest request;
  request.set_credit_code("91350100M000100Y43");
  const std::string digest = RequestDigest(request);

  absl::StatusOr<std::optional<std::string>> first = ledger.Lookup("rpc", "alice", "id-1", digest);
  ASSERT_OK(first);
  EXPECT_FALSE(first->has_value());

  storage::WriteBatch batch;
  IdempotencyLedger::Record(&batch, "rpc", "alice", "id-1", digest, "response bytes");
  ASSERT_OK(store->Write(batch));

  absl::StatusOr<std::optional<std::string>> replay = ledger.Lookup("rpc", "alice", "id-1", digest);
  ASSERT_OK(replay);
  EXPECT_EQ(replay->value(), "response bytes");

  request.set_credit_code("91110000600037341L");
  EXPECT_THAT(ledger.Lookup("rpc", "alice", "id-1", RequestDigest(request)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // The same id under another RPC, or from another caller, is a different key.
  EXPECT_FALSE(ledger.Lookup("other", "alice", "id-1", digest)->has_value());
  EXPECT_FALSE(ledger.Lookup("rpc", "bob", "id-1", digest)->has_value());
}

TEST(IdempotencyLedger, EmptyIdIsNeverRecorded) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  storage::WriteBatch batch;
  IdempotencyLedger::Record(&batch, "rpc", "alice", "", "digest", "response");
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace regulation::services
