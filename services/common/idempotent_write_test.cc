#include "services/common/idempotent_write.h"

#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.pb.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr absl::string_view kRpc = "PortraitService.UpsertEnterprise";

v1::UpsertEnterpriseRequest Request(absl::string_view request_id, absl::string_view name) {
  v1::UpsertEnterpriseRequest request;
  request.set_request_id(std::string(request_id));
  request.mutable_enterprise()->set_credit_code("91350100M000100Y43");
  request.mutable_enterprise()->set_name(std::string(name));
  return request;
}

v1::UpsertEnterpriseResponse Response(int64_t version) {
  v1::UpsertEnterpriseResponse response;
  response.mutable_enterprise()->set_version(version);
  response.set_changed(true);
  return response;
}

class IdempotentWriteTest : public ::testing::Test {
 protected:
  // A first call of `request` by `caller`: stages a marker row with its answer.
  void FirstCall(absl::string_view caller, const v1::UpsertEnterpriseRequest& request,
                 int64_t version) {
    absl::StatusOr<IdempotentWrite> write = IdempotentWrite::For(kRpc, caller, request);
    ASSERT_OK(write.status());
    absl::StatusOr<std::optional<v1::UpsertEnterpriseResponse>> replay =
        write->ReplayAs<v1::UpsertEnterpriseResponse>(store_.get());
    ASSERT_OK(replay.status());
    ASSERT_FALSE(replay->has_value());
    storage::WriteBatch batch;
    batch.Put(storage::ColumnFamily::kItems, "change", "made");
    ASSERT_OK(write->Commit(store_.get(), &batch, Response(version).SerializeAsString()));
  }

  absl::StatusOr<std::optional<v1::UpsertEnterpriseResponse>> Retry(
      absl::string_view caller, const v1::UpsertEnterpriseRequest& request) {
    absl::StatusOr<IdempotentWrite> write = IdempotentWrite::For(kRpc, caller, request);
    if (!write.ok()) return write.status();
    return write->ReplayAs<v1::UpsertEnterpriseResponse>(store_.get());
  }

  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
};

TEST_F(IdempotentWriteTest, ARetryGetsTheFirstAnswerAndTheChangeWasWrittenWithIt) {
  FirstCall("CN=alice", Request("r-1", "A"), 7);
  EXPECT_OK(store_->Get(storage::ColumnFamily::kItems, "change").status());
  absl::StatusOr<std::optional<v1::UpsertEnterpriseResponse>> replay =
      Retry("CN=alice", Request("r-1", "A"));
  ASSERT_OK(replay.status());
  ASSERT_TRUE(replay->has_value());
  EXPECT_EQ((*replay)->enterprise().version(), 7);
}

TEST_F(IdempotentWriteTest, TheSameIdForAnotherRequestIsAlreadyExists) {
  FirstCall("CN=alice", Request("r-1", "A"), 7);
  EXPECT_THAT(Retry("CN=alice", Request("r-1", "B")),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("request_id")));
}

TEST_F(IdempotentWriteTest, KeysAreScopedToTheCaller) {
  FirstCall("CN=alice", Request("r-1", "A"), 7);
  absl::StatusOr<std::optional<v1::UpsertEnterpriseResponse>> other =
      Retry("CN=bob", Request("r-1", "A"));
  ASSERT_OK(other.status());
  EXPECT_FALSE(other->has_value());
}

TEST_F(IdempotentWriteTest, WithoutARequestIdNothingIsRememberedButTheChangeIsWritten) {
  FirstCall("CN=alice", Request("", "A"), 7);
  EXPECT_OK(store_->Get(storage::ColumnFamily::kItems, "change").status());
  absl::StatusOr<std::optional<v1::UpsertEnterpriseResponse>> again =
      Retry("CN=alice", Request("", "A"));
  ASSERT_OK(again.status());
  EXPECT_FALSE(again->has_value());
  std::unique_ptr<storage::Iterator> ledger =
      store_->NewIterator(storage::ColumnFamily::kIdempotency);
  ledger->SeekToFirst();
  EXPECT_FALSE(ledger->Valid());
}

TEST_F(IdempotentWriteTest, AMalformedRequestIdIsInvalidArgument) {
  EXPECT_THAT(IdempotentWrite::For(kRpc, "CN=alice", Request("has space", "A")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
}

TEST_F(IdempotentWriteTest, AStoredAnswerThatDoesNotParseIsDataLoss) {
  absl::StatusOr<IdempotentWrite> write =
      IdempotentWrite::For(kRpc, "CN=alice", Request("r-1", "A"));
  ASSERT_OK(write.status());
  storage::WriteBatch batch;
  ASSERT_OK(write->Commit(store_.get(), &batch, "\xff\xff\xff"));
  EXPECT_THAT(Retry("CN=alice", Request("r-1", "A")),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("\"r-1\"")));
}

}  // namespace
}  // namespace regulation::services
