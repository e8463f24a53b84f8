#include "services/audit/audit_log.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "services/audit/audit_chain.h"
#include "services/common/proto_time.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "testing/fake_clock.h"
#include "testing/fault_injection_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::audit {
namespace {

using access::AuditEntry;
using access::Role;
using ::regulation::testing::StatusIs;
using storage::ColumnFamily;

constexpr char kUpsert[] = "/regulation.v1.PortraitService/UpsertEnterprise";
constexpr char kBatchUpsert[] = "/regulation.v1.PortraitService/BatchUpsertEnterprises";
constexpr char kTrain[] = "/regulation.v1.ScoringService/TrainModel";

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

AuditEntry Entry(absl::string_view subject, absl::string_view method, absl::Time time,
                 absl::Status outcome = absl::OkStatus()) {
  AuditEntry entry;
  entry.time = time;
  entry.caller.subject = std::string(subject);
  entry.caller.roles = {Role::kAgency};
  entry.caller.department = "samr";
  entry.caller.region_prefix = "33";
  entry.method = std::string(method);
  entry.request_digest = Sha256(absl::StrCat(subject, method, absl::FormatTime(time)));
  entry.request_count = 1;
  entry.outcome = std::move(outcome);
  return entry;
}

class AuditLogTest : public ::testing::Test {
 protected:
  AuditLogTest() : store_(storage::NewMemoryStore()), clock_(kStart) {}

  std::unique_ptr<AuditLog> OpenLog() {
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store_.get(), &clock_);
    EXPECT_OK(log);
    return log.ok() ? std::move(*log) : nullptr;
  }

  // Every record, following page tokens.
  std::vector<v1::AuditRecord> ListAll(AuditLog& log, v1::ListAuditRecordsRequest request = {}) {
    std::vector<v1::AuditRecord> all;
    while (true) {
      absl::StatusOr<v1::ListAuditRecordsResponse> page = log.List(request);
      EXPECT_OK(page);
      if (!page.ok()) return all;
      all.insert(all.end(), page->records().begin(), page->records().end());
      if (page->next_page_token().empty()) return all;
      request.set_page_token(page->next_page_token());
    }
  }

  static absl::Status Verify(const std::vector<v1::AuditRecord>& records) {
    AuditChainVerifier verifier;
    for (const v1::AuditRecord& r : records) {
      absl::Status status = verifier.Add(r);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // Appends `n` records, one second apart, alternating two callers and three methods.
  void AppendSome(AuditLog& log, int n) {
    const char* methods[] = {kUpsert, kBatchUpsert, kTrain};
    for (int i = 0; i < n; ++i) {
      const uint64_t sequence = log.head_sequence() + 1;
      ASSERT_OK(log.Append(Entry(sequence % 2 == 1 ? "CN=agency-zj" : "CN=admin-1",
                                 methods[sequence % 3], kStart + absl::Seconds(sequence))));
    }
  }

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
};

TEST_F(AuditLogTest, EmptyTrailHasGenesisHead) {
  std::unique_ptr<AuditLog> log = OpenLog();
  EXPECT_EQ(log->head_sequence(), 0u);
  EXPECT_EQ(log->head_hash(), GenesisHash());
  absl::StatusOr<v1::ListAuditRecordsResponse> page = log->List({});
  ASSERT_OK(page);
  EXPECT_EQ(page->records_size(), 0);
  EXPECT_EQ(page->head_sequence(), 0u);
  EXPECT_EQ(page->head_hash(), GenesisHash());
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST_F(AuditLogTest, AppendsFormAValidChain) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 25);
  const std::vector<v1::AuditRecord> records = ListAll(*log);
  ASSERT_EQ(records.size(), 25u);
  EXPECT_OK(Verify(records));
  EXPECT_EQ(records.front().previous_hash(), GenesisHash());
  EXPECT_EQ(log->head_sequence(), 25u);
  EXPECT_EQ(log->head_hash(), records.back().record_hash());
}

TEST_F(AuditLogTest, RecordHoldsTheEntry) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AuditEntry entry = Entry("CN=inspector-7", kUpsert, kStart + absl::Milliseconds(1500),
                           absl::PermissionDeniedError("may be called by: agency, admin"));
  entry.caller.roles = {Role::kAdmin, Role::kInspector, Role::kAuditor};
  entry.caller.inspector_id = "ZJ-0007";
  entry.request_count = 3;
  ASSERT_OK(log->Append(entry));

  const std::vector<v1::AuditRecord> records = ListAll(*log);
  ASSERT_EQ(records.size(), 1u);
  const v1::AuditRecord& r = records[0];
  EXPECT_EQ(r.sequence(), 1u);
  EXPECT_EQ(r.time().seconds(), 1700000001);
  EXPECT_EQ(r.time().nanos(), 500000000);
  EXPECT_EQ(r.caller_subject(), "CN=inspector-7");
  ASSERT_EQ(r.caller_roles_size(), 3);
  EXPECT_EQ(r.caller_roles(0), "inspector");  // role order, not insertion order
  EXPECT_EQ(r.caller_roles(1), "auditor");
  EXPECT_EQ(r.caller_roles(2), "admin");
  EXPECT_EQ(r.caller_department(), "samr");
  EXPECT_EQ(r.caller_region_prefix(), "33");
  EXPECT_EQ(r.caller_inspector_id(), "ZJ-0007");
  EXPECT_EQ(r.method(), kUpsert);
  EXPECT_EQ(r.request_digest(), entry.request_digest);
  EXPECT_EQ(r.request_count(), 3);
  EXPECT_EQ(r.status_code(), 7);
  EXPECT_EQ(r.status_message(), "may be called by: agency, admin");
  EXPECT_EQ(r.record_hash(), ComputeRecordHash(r));
}

// A caller's input echoed in an error message (or a made-up method name) must not make a
// record, or a page of records, as large as the input.
TEST_F(AuditLogTest, HugeMessagesAndMethodNamesAreCut) {
  std::unique_ptr<AuditLog> log = OpenLog();
  const std::string huge = absl::StrCat("enterprise.region_code: must be six digits, got \"",
                                        std::string(3 << 20, '9'), "\"");
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(log->Append(Entry("CN=agency-zj", kUpsert, kStart + absl::Seconds(i + 1),
                                absl::InvalidArgumentError(huge))));
  }
  ASSERT_OK(log->Append(Entry("", absl::StrCat("/", std::string(7000, 'x')), kStart,
                              absl::UnimplementedError("no such method"))));
  absl::StatusOr<v1::ListAuditRecordsResponse> page = log->List({});
  ASSERT_OK(page);
  ASSERT_EQ(page->records_size(), 4);
  EXPECT_LT(page->ByteSizeLong(), 20000u);
  EXPECT_LT(page->records(0).status_message().size(), 1100u);
  EXPECT_NE(page->records(0).status_message().find("more bytes)"), std::string::npos);
  EXPECT_LT(page->records(3).method().size(), 300u);
  EXPECT_OK(Verify(ListAll(*log)));
}

TEST_F(AuditLogTest, UnsetTimeComesFromTheClock) {
  std::unique_ptr<AuditLog> log = OpenLog();
  clock_.Set(kStart + absl::Hours(5));
  ASSERT_OK(log->Append(Entry("CN=a", kUpsert, absl::UnixEpoch())));
  const std::vector<v1::AuditRecord> records = ListAll(*log);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].time().seconds(), absl::ToUnixSeconds(kStart + absl::Hours(5)));
}

TEST_F(AuditLogTest, ReopenContinuesTheChain) {
  {
    std::unique_ptr<AuditLog> log = OpenLog();
    AppendSome(*log, 7);
  }
  std::unique_ptr<AuditLog> log = OpenLog();
  EXPECT_EQ(log->head_sequence(), 7u);
  AppendSome(*log, 3);
  const std::vector<v1::AuditRecord> records = ListAll(*log);
  ASSERT_EQ(records.size(), 10u);
  EXPECT_OK(Verify(records));
}

TEST(AuditLogRocksDb, ReopenedDatabaseContinuesTheChain) {
  storage::RocksDbOptions options;
  options.path = testing::NewTempDir() + "/db";
  options.block_cache_bytes = 8 << 20;
  FakeClock clock(kStart);
  std::string head_after_first_run;
  {
    absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(options);
    ASSERT_OK(store);
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store->get(), &clock);
    ASSERT_OK(log);
    for (int i = 1; i <= 300; ++i) {
      ASSERT_OK((*log)->Append(Entry("CN=a", kUpsert, kStart + absl::Seconds(i))));
    }
    head_after_first_run = (*log)->head_hash();
  }
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(options);
  ASSERT_OK(store);
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store->get(), &clock);
  ASSERT_OK(log);
  EXPECT_EQ((*log)->head_sequence(), 300u);
  EXPECT_EQ((*log)->head_hash(), head_after_first_run);
  ASSERT_OK((*log)->Append(Entry("CN=b", kTrain, kStart + absl::Seconds(301))));

  AuditChainVerifier verifier;
  v1::ListAuditRecordsRequest request;
  request.set_page_size(1000);
  absl::StatusOr<v1::ListAuditRecordsResponse> page = (*log)->List(request);
  ASSERT_OK(page);
  ASSERT_EQ(page->records_size(), 301);
  for (const v1::AuditRecord& r : page->records()) ASSERT_OK(verifier.Add(r));
  EXPECT_OK(verifier.CheckHead(300, absl::BytesToHexString(head_after_first_run)));
  EXPECT_EQ(page->head_sequence(), 301u);
  EXPECT_EQ(page->head_hash(), verifier.head_hash());
}

TEST_F(AuditLogTest, ConcurrentAppendsFormAGapFreeChain) {
  std::unique_ptr<AuditLog> log = OpenLog();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::vector<std::thread> threads;
  absl::Mutex mu;
  int failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!log->Append(Entry(absl::StrCat("CN=thread-", t), kUpsert, kStart)).ok()) {
          absl::MutexLock lock(&mu);
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  const std::vector<v1::AuditRecord> records = ListAll(*log);
  ASSERT_EQ(records.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_OK(Verify(records));
  EXPECT_EQ(log->head_sequence(), static_cast<uint64_t>(kThreads * kPerThread));
}

TEST_F(AuditLogTest, FailedWriteLeavesTheChainUnchanged) {
  testing::FaultInjectionStore faulty(store_.get());
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(&faulty, &clock_);
  ASSERT_OK(log);
  ASSERT_OK((*log)->Append(Entry("CN=a", kUpsert, kStart)));
  const std::string head = (*log)->head_hash();
  faulty.FailWritesFrom(1);
  EXPECT_THAT((*log)->Append(Entry("CN=b", kUpsert, kStart)),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ((*log)->head_sequence(), 1u);
  EXPECT_EQ((*log)->head_hash(), head);
  faulty.ClearFaults();
  ASSERT_OK((*log)->Append(Entry("CN=c", kUpsert, kStart)));
  const std::vector<v1::AuditRecord> records = ListAll(**log);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].caller_subject(), "CN=c");
  EXPECT_OK(Verify(records));
}

TEST_F(AuditLogTest, FiltersByCallerSubstring) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 12);
  v1::ListAuditRecordsRequest request;
  request.set_caller_subject("agency");
  const std::vector<v1::AuditRecord> records = ListAll(*log, request);
  ASSERT_EQ(records.size(), 6u);
  for (const v1::AuditRecord& r : records) EXPECT_EQ(r.caller_subject(), "CN=agency-zj");
}

TEST_F(AuditLogTest, FiltersByFullMethodOrNameSuffix) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 12);
  for (const char* filter :
       {kUpsert, "UpsertEnterprise", "PortraitService/UpsertEnterprise", "/UpsertEnterprise"}) {
    v1::ListAuditRecordsRequest request;
    request.set_method(filter);
    const std::vector<v1::AuditRecord> records = ListAll(*log, request);
    EXPECT_EQ(records.size(), 4u) << filter;
    for (const v1::AuditRecord& r : records) EXPECT_EQ(r.method(), kUpsert) << filter;
  }
  for (const char* filter : {"Enterprise", "sertEnterprise", "PortraitService"}) {
    v1::ListAuditRecordsRequest request;
    request.set_method(filter);
    EXPECT_TRUE(ListAll(*log, request).empty()) << filter;
  }
}

TEST_F(AuditLogTest, FiltersByTimeRangeHalfOpen) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 12);  // record n at kStart + n s
  v1::ListAuditRecordsRequest request;
  *request.mutable_start_time() = services::ToProtoTimestamp(kStart + absl::Seconds(4));
  *request.mutable_end_time() = services::ToProtoTimestamp(kStart + absl::Seconds(9));
  const std::vector<v1::AuditRecord> records = ListAll(*log, request);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records.front().sequence(), 4u);
  EXPECT_EQ(records.back().sequence(), 8u);
}

TEST_F(AuditLogTest, AfterSequenceSkipsEarlierRecords) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 12);
  v1::ListAuditRecordsRequest request;
  request.set_after_sequence(9);
  const std::vector<v1::AuditRecord> records = ListAll(*log, request);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records.front().sequence(), 10u);
  request.set_after_sequence(12);
  EXPECT_TRUE(ListAll(*log, request).empty());
  request.set_after_sequence(~uint64_t{0});
  EXPECT_TRUE(ListAll(*log, request).empty());
}

TEST_F(AuditLogTest, PagesFollowTokensWithFilters) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 20);
  v1::ListAuditRecordsRequest request;
  request.set_caller_subject("admin");
  request.set_page_size(3);
  absl::StatusOr<v1::ListAuditRecordsResponse> first = log->List(request);
  ASSERT_OK(first);
  ASSERT_EQ(first->records_size(), 3);
  EXPECT_EQ(first->records(2).sequence(), 6u);
  EXPECT_FALSE(first->next_page_token().empty());
  EXPECT_EQ(first->head_sequence(), 20u);
  EXPECT_EQ(first->head_hash(), log->head_hash());
  const std::vector<v1::AuditRecord> all = ListAll(*log, request);
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(all.back().sequence(), 20u);

  // A token only works with the filters that produced it.
  v1::ListAuditRecordsRequest other;
  other.set_caller_subject("agency");
  other.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListAuditRecordsResponse> refused = log->List(other);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "page_token:"));
}

TEST_F(AuditLogTest, ScanBudgetBoundsOnePage) {
  std::unique_ptr<AuditLog> log = OpenLog();
  for (int i = 0; i <= AuditLog::kMaxScannedPerPage; ++i) {
    ASSERT_OK(log->Append(Entry("CN=a", kUpsert, kStart)));
  }
  v1::ListAuditRecordsRequest request;
  request.set_caller_subject("nobody");
  absl::StatusOr<v1::ListAuditRecordsResponse> first = log->List(request);
  ASSERT_OK(first);
  EXPECT_EQ(first->records_size(), 0);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListAuditRecordsResponse> second = log->List(request);
  ASSERT_OK(second);
  EXPECT_EQ(second->records_size(), 0);
  EXPECT_TRUE(second->next_page_token().empty());
}

TEST_F(AuditLogTest, RejectsBadArguments) {
  std::unique_ptr<AuditLog> log = OpenLog();
  auto message_of = [&](const v1::ListAuditRecordsRequest& request) {
    absl::StatusOr<v1::ListAuditRecordsResponse> response = log->List(request);
    EXPECT_THAT(response, StatusIs(absl::StatusCode::kInvalidArgument));
    return std::string(response.status().message());
  };
  v1::ListAuditRecordsRequest request;
  request.set_page_size(-1);
  EXPECT_TRUE(absl::StartsWith(message_of(request), "page_size:"));
  request.Clear();
  request.mutable_start_time()->set_nanos(-1);
  EXPECT_TRUE(absl::StartsWith(message_of(request), "start_time:"));
  request.Clear();
  request.mutable_end_time()->set_seconds(253402300800);
  EXPECT_TRUE(absl::StartsWith(message_of(request), "end_time:"));
  request.Clear();
  *request.mutable_start_time() = services::ToProtoTimestamp(kStart);
  *request.mutable_end_time() = services::ToProtoTimestamp(kStart);
  EXPECT_EQ(message_of(request), "end_time: must be after start_time");
  request.Clear();
  request.set_page_token("not-a-token");
  EXPECT_TRUE(absl::StartsWith(message_of(request), "page_token:"));
}

TEST_F(AuditLogTest, TamperedRecordIsNamedByTheVerifier) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 10);
  // Rewrite record 4 in place: the caller's status becomes OK.
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kAudit, AuditRecordKey(4));
  ASSERT_OK(bytes);
  v1::AuditRecord record;
  ASSERT_TRUE(record.ParseFromString(*bytes));
  record.set_caller_subject("CN=someone-else");
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kAudit, AuditRecordKey(4), record.SerializeAsString());
  ASSERT_OK(store_->Write(batch));

  const absl::Status status = Verify(ListAll(*log));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(), "record 4: hash does not match its content (altered)");
}

TEST_F(AuditLogTest, RemovedRecordIsReportedAsAGap) {
  std::unique_ptr<AuditLog> log = OpenLog();
  AppendSome(*log, 10);
  storage::WriteBatch batch;
  batch.Delete(ColumnFamily::kAudit, AuditRecordKey(6));
  ASSERT_OK(store_->Write(batch));

  const absl::Status status = Verify(ListAll(*log));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(status.message(), "record 7 follows 5: record 6 is missing");
}

TEST_F(AuditLogTest, OpenRefusesAnAlteredLastRecord) {
  {
    std::unique_ptr<AuditLog> log = OpenLog();
    AppendSome(*log, 3);
  }
  v1::AuditRecord record;
  ASSERT_TRUE(record.ParseFromString(*store_->Get(ColumnFamily::kAudit, AuditRecordKey(3))));
  record.set_status_code(0);
  record.set_request_count(99);
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kAudit, AuditRecordKey(3), record.SerializeAsString());
  ASSERT_OK(store_->Write(batch));
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store_.get(), &clock_);
  EXPECT_THAT(log, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(absl::StrContains(log.status().message(), "audit record 3")) << log.status();
}

TEST_F(AuditLogTest, OpenRefusesARecordStoredUnderAnotherKey) {
  {
    std::unique_ptr<AuditLog> log = OpenLog();
    AppendSome(*log, 3);
  }
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kAudit, AuditRecordKey(9),
            *store_->Get(ColumnFamily::kAudit, AuditRecordKey(3)));
  ASSERT_OK(store_->Write(batch));
  EXPECT_THAT(AuditLog::Open(store_.get(), &clock_), StatusIs(absl::StatusCode::kDataLoss));
}

// The head is found by searching the key space, wherever the last record is.
TEST_F(AuditLogTest, OpenFindsTheLastRecordAnywhereInTheKeySpace) {
  for (uint64_t sequence : {uint64_t{1}, uint64_t{255}, uint64_t{256}, uint64_t{1} << 40,
                            ~uint64_t{0} - 1, ~uint64_t{0}}) {
    store_ = storage::NewMemoryStore();
    v1::AuditRecord record;
    record.set_sequence(sequence);
    record.set_previous_hash(std::string(32, 'p'));
    record.set_record_hash(ComputeRecordHash(record));
    storage::WriteBatch batch;
    batch.Put(ColumnFamily::kAudit, AuditRecordKey(1), "ignored: not the last record");
    batch.Put(ColumnFamily::kAudit, AuditRecordKey(sequence), record.SerializeAsString());
    ASSERT_OK(store_->Write(batch));
    std::unique_ptr<AuditLog> log = OpenLog();
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->head_sequence(), sequence);
    EXPECT_EQ(log->head_hash(), record.record_hash());
    if (sequence == ~uint64_t{0}) {
      EXPECT_THAT(log->Append(Entry("CN=a", kUpsert, kStart)),
                  StatusIs(absl::StatusCode::kResourceExhausted));
    }
  }
}

}  // namespace
}  // namespace regulation::audit
