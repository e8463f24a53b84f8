// `regctl audit` against a fake AuditService on a free localhost port. The fake serves
// whatever chain a test gives it, so the tests can make the server lie: the client
// must catch altered, missing and rewritten records on its own.

#include "tools/regctl/audit_command.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "services/audit/audit_chain.h"

namespace regulation::regctl {
namespace {

constexpr char kUpsert[] = "/regulation.v1.PortraitService/UpsertEnterprise";

std::vector<v1::AuditRecord> MakeChain(int n, absl::string_view subject = "CN=agency-zj") {
  std::vector<v1::AuditRecord> chain;
  std::string previous = audit::GenesisHash();
  for (int i = 1; i <= n; ++i) {
    v1::AuditRecord r;
    r.set_sequence(i);
    r.mutable_time()->set_seconds(1714521600 + i);  // 2024-05-01T08:00:00+08:00 + i s
    r.set_caller_subject(std::string(subject));
    r.add_caller_roles("agency");
    r.add_caller_roles("admin");
    r.set_method(kUpsert);
    r.set_request_digest(Sha256(absl::StrCat(i)));
    r.set_request_count(1);
    r.set_status_code(i % 5 == 0 ? 7 : 0);
    r.set_previous_hash(previous);
    r.set_record_hash(audit::ComputeRecordHash(r));
    previous = r.record_hash();
    chain.push_back(r);
  }
  return chain;
}

// Serves `records` as stored (whatever their content), paging by after_sequence or a
// token holding the last sequence, and reports the head it is told to.
class FakeAuditService final : public v1::AuditService::Service {
 public:
  void Serve(std::vector<v1::AuditRecord> records) {
    absl::MutexLock lock(&mu_);
    records_ = std::move(records);
    head_sequence_ = records_.empty() ? 0 : records_.back().sequence();
    head_hash_ = records_.empty() ? audit::GenesisHash() : records_.back().record_hash();
  }
  void ReportHead(uint64_t sequence, std::string hash) {
    absl::MutexLock lock(&mu_);
    head_sequence_ = sequence;
    head_hash_ = std::move(hash);
  }
  std::vector<v1::ListAuditRecordsRequest> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

  grpc::Status ListAuditRecords(grpc::ServerContext*, const v1::ListAuditRecordsRequest* request,
                                v1::ListAuditRecordsResponse* response) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(*request);
    uint64_t after = request->after_sequence();
    if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &after)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token: bad");
    }
    const int page_size = request->page_size() == 0 ? 100 : request->page_size();
    for (const v1::AuditRecord& r : records_) {
      if (r.sequence() <= after) continue;
      if (response->records_size() == page_size) {
        response->set_next_page_token(absl::StrCat(response->records().rbegin()->sequence()));
        break;
      }
      *response->add_records() = r;
    }
    response->set_head_sequence(head_sequence_);
    response->set_head_hash(head_hash_);
    return grpc::Status::OK;
  }

 private:
  absl::Mutex mu_;
  std::vector<v1::AuditRecord> records_ ABSL_GUARDED_BY(mu_);
  uint64_t head_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::string head_hash_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListAuditRecordsRequest> requests_ ABSL_GUARDED_BY(mu_);
};

struct Result {
  int exit_code;
  std::string out;
};

class AuditCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("localhost:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    connection_.server = absl::StrCat("localhost:", port);
    connection_.insecure_loopback = true;
  }
  void TearDown() override { server_->Shutdown(); }

  Result Run(const std::vector<std::string>& args, const AuditOptions& options = {}) {
    std::FILE* out = std::tmpfile();
    const int code = RunAuditCommand(args, options, connection_, out);
    std::rewind(out);
    std::string text;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), out)) > 0;) text.append(buffer, n);
    std::fclose(out);
    return {code, text};
  }

  static std::string Head(const v1::AuditRecord& r) {
    return audit::FormatChainHead(r.sequence(), r.record_hash());
  }

  FakeAuditService service_;
  std::unique_ptr<grpc::Server> server_;
  ConnectionOptions connection_;
};

TEST_F(AuditCommandTest, VerifyAcceptsAValidChainAcrossPages) {
  const std::vector<v1::AuditRecord> chain = MakeChain(2345);
  service_.Serve(chain);
  const Result result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out, absl::StrCat("VALID: 2345 records; head ", Head(chain.back()), "\n"));
  const std::vector<v1::ListAuditRecordsRequest> requests = service_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].after_sequence(), 1000u);
  EXPECT_EQ(requests[2].after_sequence(), 2000u);
}

TEST_F(AuditCommandTest, VerifyAcceptsAnEmptyChain) {
  service_.Serve({});
  const Result result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, absl::StrCat("VALID: 0 records; head 0:", std::string(64, '0'), "\n"));
}

TEST_F(AuditCommandTest, VerifyChecksASavedHead) {
  const std::vector<v1::AuditRecord> chain = MakeChain(30);
  service_.Serve(chain);
  AuditOptions options;
  options.expect_head = Head(chain[11]);
  EXPECT_EQ(Run({"verify"}, options).exit_code, 0);
}

TEST_F(AuditCommandTest, VerifyNamesAnAlteredRecord) {
  std::vector<v1::AuditRecord> chain = MakeChain(30);
  chain[16].set_caller_subject("CN=someone-else");  // record 17
  service_.Serve(chain);
  const Result result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "BROKEN: record 17: hash does not match its content (altered)\n");
}

TEST_F(AuditCommandTest, VerifyNamesARemovedRecord) {
  std::vector<v1::AuditRecord> chain = MakeChain(30);
  chain.erase(chain.begin() + 15);
  service_.Serve(chain);
  const Result result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "BROKEN: record 17 follows 15: record 16 is missing\n");
}

TEST_F(AuditCommandTest, VerifyCatchesAServerHidingTheEndOfTheChain) {
  const std::vector<v1::AuditRecord> chain = MakeChain(30);
  service_.Serve({chain.begin(), chain.begin() + 25});
  service_.ReportHead(30, chain.back().record_hash());
  const Result result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StartsWith(result.out, "BROKEN: the server reported head 30:")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "records were removed from the end")) << result.out;
}

TEST_F(AuditCommandTest, VerifyCatchesATruncatedChainWithASavedHead) {
  const std::vector<v1::AuditRecord> chain = MakeChain(30);
  service_.Serve({chain.begin(), chain.begin() + 25});  // consistent with its own head
  AuditOptions options;
  options.expect_head = Head(chain.back());
  const Result result = Run({"verify"}, options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out,
            "BROKEN: --expect_head: the chain ends at record 25 but the expected head is record "
            "30: records were removed from the end\n");
}

TEST_F(AuditCommandTest, VerifyCatchesARewrittenChainWithASavedHead) {
  const std::vector<v1::AuditRecord> original = MakeChain(30);
  service_.Serve(MakeChain(30, "CN=someone-else"));  // valid in itself
  AuditOptions options;
  options.expect_head = Head(original[19]);
  const Result result = Run({"verify"}, options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StartsWith(result.out, "BROKEN: --expect_head: record 20 has hash "))
      << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "the chain was rewritten")) << result.out;
}

TEST_F(AuditCommandTest, VerifyRejectsBadFlagsBeforeConnecting) {
  AuditOptions options;
  options.expect_head = "12:abc";
  EXPECT_EQ(Run({"verify"}, options).exit_code, kExitUsage);
  options.expect_head = "";
  options.caller = "CN=x";
  EXPECT_EQ(Run({"verify"}, options).exit_code, kExitUsage);
  EXPECT_EQ(Run({"verify", "extra"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"frobnicate"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({}).exit_code, kExitUsage);
  EXPECT_TRUE(service_.requests().empty());
}

TEST_F(AuditCommandTest, ListPrintsATable) {
  const std::vector<v1::AuditRecord> chain = MakeChain(5);
  service_.Serve(chain);
  const Result result = Run({"list"});
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_TRUE(absl::StartsWith(result.out, "SEQ  TIME")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out,
                                "1    2024-05-01T08:00:01+08:00  CN=agency-zj  agency,admin  "
                                "UpsertEnterprise  OK"))
      << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "PERMISSION_DENIED")) << result.out;
  EXPECT_TRUE(
      absl::StrContains(result.out, absl::StrCat("5 records; chain head ", Head(chain.back()))))
      << result.out;
}

TEST_F(AuditCommandTest, ListFollowsPagesAndPrintsJson) {
  service_.Serve(MakeChain(250));
  AuditOptions options;
  options.output = OutputFormat::kJson;
  const Result result = Run({"list"}, options);
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(service_.requests().size(), 3u);
  EXPECT_TRUE(absl::StrContains(result.out, "\"sequence\": \"250\"")) << result.out.substr(0, 200);
  EXPECT_TRUE(absl::StrContains(result.out, "\"headSequence\": \"250\""));
}

TEST_F(AuditCommandTest, ListSendsFilters) {
  service_.Serve(MakeChain(3));
  AuditOptions options;
  options.caller = "agency";
  options.rpc = "UpsertEnterprise";
  options.since = "2024-05-01";
  options.until = "2024-05-02T12:00:00Z";
  options.page_size = 50;
  ASSERT_EQ(Run({"list"}, options).exit_code, 0);
  const v1::ListAuditRecordsRequest request = service_.requests().at(0);
  EXPECT_EQ(request.caller_subject(), "agency");
  EXPECT_EQ(request.method(), "UpsertEnterprise");
  EXPECT_EQ(request.page_size(), 50);
  EXPECT_EQ(request.start_time().seconds(), 1714492800);  // 2024-05-01T00:00:00+08:00
  EXPECT_EQ(request.end_time().seconds(), 1714651200);    // 2024-05-02T12:00:00Z
}

TEST_F(AuditCommandTest, ListDateUntilIncludesTheWholeDay) {
  service_.Serve({});
  AuditOptions options;
  options.until = "2024-05-01";
  ASSERT_EQ(Run({"list"}, options).exit_code, 0);
  EXPECT_EQ(service_.requests().at(0).end_time().seconds(), 1714579200);  // 05-02 00:00 +08
}

TEST_F(AuditCommandTest, ListRejectsBadTimesAndVerifyOnlyFlags) {
  AuditOptions options;
  options.since = "yesterday";
  EXPECT_EQ(Run({"list"}, options).exit_code, kExitUsage);
  options.since = "";
  options.expect_head = absl::StrCat("1:", std::string(64, 'a'));
  EXPECT_EQ(Run({"list"}, options).exit_code, kExitUsage);
  EXPECT_TRUE(service_.requests().empty());
}

}  // namespace
}  // namespace regulation::regctl
