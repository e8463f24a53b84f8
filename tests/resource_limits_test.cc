// Bounded resources through the real server (mutual TLS, RocksDB, the access interceptor):
// a caller over its limits is refused with RESOURCE_EXHAUSTED naming the limit and its
// flag, while a well-behaved caller keeps getting answers; connections that never finish
// their TLS handshake, and peers that vanish, are dropped after their deadline.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "testing/status_matchers.h"
#include "tests/testing/raw_socket.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

std::unique_ptr<testing::SecureTestServer> StartServer(
    const std::function<void(services::ServerOptions*)>& customize) {
  absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
      testing::SecureTestServer::Start(customize);
  if (!server.ok()) {
    ADD_FAILURE() << server.status();
    return nullptr;
  }
  return *std::move(server);
}

// One WatchAssignments stream on its own thread: it stays open until cancelled unless the
// server refuses it.
class Watch {
 public:
  Watch(v1::InspectionService::Stub* stub, absl::Duration deadline) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    thread_ = std::thread([this, stub] {
      std::unique_ptr<grpc::ClientReader<v1::Assignment>> reader =
          stub->WatchAssignments(&context_, v1::WatchAssignmentsRequest());
      v1::Assignment assignment;
      while (reader->Read(&assignment)) {
      }
      const grpc::Status status = reader->Finish();
      absl::MutexLock lock(&mu_);
      status_ = status;
      done_ = true;
    });
  }
  ~Watch() {
    context_.TryCancel();
    thread_.join();
  }
  bool done() {
    absl::MutexLock lock(&mu_);
    return done_;
  }
  grpc::Status status() {
    absl::MutexLock lock(&mu_);
    return status_;
  }
  // Waits until the stream ended, up to `timeout`.
  bool WaitDone(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&done_), timeout);
  }

 private:
  grpc::ClientContext context_;
  std::thread thread_;
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

// Issue 12: one inspector certificate opened 1,000 WatchAssignments streams and every one
// was admitted (1,020 server threads). Here one identity opens 40 with a limit of 4.
TEST(ResourceLimits, StreamsPastTheIdentityLimitAreRefusedWhileOthersAreServed) {
  auto server = StartServer([](services::ServerOptions* o) {
    o->call_limits.max_streams_per_identity = 4;
  });
  ASSERT_NE(server, nullptr);
  auto inspector =
      v1::InspectionService::NewStub(server->ChannelAs(testing::InspectorCertificate("ZJ-0001")));
  auto agency = v1::PortraitService::NewStub(server->ChannelAs(testing::AgencyCertificate("33")));

  std::vector<std::unique_ptr<Watch>> watches;
  for (int i = 0; i < 40; ++i) {
    watches.push_back(std::make_unique<Watch>(inspector.get(), absl::Seconds(60)));
  }
  // While the flood is being refused, another identity's calls are answered.
  int answered = 0;
  for (int i = 0; i < 30; ++i) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::ListEnterprisesResponse response;
    answered += agency->ListEnterprises(&context, v1::ListEnterprisesRequest(), &response).ok();
  }
  EXPECT_EQ(answered, 30);

  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  int refused = 0;
  while (absl::Now() < deadline) {
    refused = 0;
    for (auto& w : watches) refused += w->done();
    if (refused >= 36) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Milliseconds(500));  // would a fifth be refused late? no more change
  refused = 0;
  for (auto& w : watches) {
    if (!w->done()) continue;
    ++refused;
    EXPECT_THAT(w->status(), StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(w->status().error_message(), HasSubstr("--max_streams_per_identity=4"));
  }
  EXPECT_EQ(refused, 36) << "exactly the limit stays open";

  // Closing the open streams gives the slots back, once the server has seen the
  // cancellations (asynchronously: a stream opened at once may still be refused).
  watches.clear();
  grpc::Status again_status;
  const absl::Time give_up = absl::Now() + absl::Seconds(15);
  do {
    Watch again(inspector.get(), absl::Seconds(2));
    ASSERT_TRUE(again.WaitDone(absl::Seconds(10)));
    again_status = again.status();
    if (again_status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < give_up);
  EXPECT_THAT(again_status, StatusIs(absl::StatusCode::kDeadlineExceeded))
      << "admitted, and open until its deadline: " << again_status.error_message();
}

// With every thread of the server busy, gRPC refuses a new call at once; the refusal names
// the limit and its flag rather than gRPC's "Server Threadpool Exhausted".
TEST(ResourceLimits, AllThreadsBusyIsRefusedNamingTheFlag) {
  auto server = StartServer([](services::ServerOptions* o) {
    o->limits.max_threads = 8;
    o->call_limits.max_streams_per_identity = 0;  // only the thread limit applies
  });
  ASSERT_NE(server, nullptr);
  auto inspector =
      v1::InspectionService::NewStub(server->ChannelAs(testing::InspectorCertificate("ZJ-0003")));
  std::vector<std::unique_ptr<Watch>> watches;
  for (int i = 0; i < 20; ++i) {
    watches.push_back(std::make_unique<Watch>(inspector.get(), absl::Seconds(30)));
  }
  absl::SleepFor(absl::Seconds(3));
  int refused = 0, open = 0;
  for (auto& w : watches) {
    if (!w->done()) {
      ++open;
      continue;
    }
    ++refused;
    EXPECT_THAT(w->status(), StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(w->status().error_message(), HasSubstr("all 8 of its threads (--max_threads)"));
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(open, 0);
  EXPECT_LT(open, 8) << "each open stream holds one of the 8 threads";
}

TEST(ResourceLimits, WritesPastTheRateLimitAreRefusedAndAudited) {
  auto server = StartServer([](services::ServerOptions* o) {
    o->call_limits.writes_per_second_per_identity = 0.5;
    o->call_limits.write_burst_per_identity = 3;
  });
  ASSERT_NE(server, nullptr);
  auto admin = v1::InspectionService::NewStub(
      server->ChannelAs(testing::RoleCertificate(access::Role::kAdmin)));
  auto other_admin = v1::InspectionService::NewStub(
      server->ChannelAs(testing::RoleCertificate(access::Role::kAdmin)));
  auto call = [](v1::InspectionService::Stub* stub) {
    grpc::ClientContext context;
    v1::InspectionItem item;
    return stub->UpsertInspectionItem(&context, v1::UpsertInspectionItemRequest(), &item);
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(call(admin.get()), StatusIs(absl::StatusCode::kInvalidArgument)) << i;
  }
  const grpc::Status refused = call(admin.get());
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                HasSubstr("--write_rate_per_identity")));
  // Reads are not rate limited, and another identity has its own bucket.
  EXPECT_THAT(call(other_admin.get()), StatusIs(absl::StatusCode::kInvalidArgument));
  grpc::ClientContext read_context;
  v1::ListInspectionItemsResponse items;
  EXPECT_OK(admin->ListInspectionItems(&read_context, {}, &items));

  auto auditor = v1::AuditService::NewStub(
      server->ChannelAs(testing::RoleCertificate(access::Role::kAuditor)));
  grpc::ClientContext audit_context;
  v1::ListAuditRecordsResponse records;
  ASSERT_OK(auditor->ListAuditRecords(&audit_context, {}, &records));
  int exhausted = 0;
  for (const v1::AuditRecord& r : records.records()) {
    exhausted += r.status_code() == static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  EXPECT_EQ(exhausted, 1) << "a refused write is audited like any other";
}

// Issue 12: 500 bare TCP connections and 200 stalled TLS handshakes were all still open
// after 30 s.
TEST(ResourceLimits, StalledTcpAndTlsHandshakesAreClosedAfterTheDeadline) {
  auto server = StartServer([](services::ServerOptions* o) {
    o->limits.handshake_timeout = absl::Seconds(1);
  });
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<testing::RawConnection>> silent, stalled;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<std::unique_ptr<testing::RawConnection>> tcp =
        testing::RawConnection::Connect(server->port());
    ASSERT_OK(tcp);
    silent.push_back(*std::move(tcp));
    absl::StatusOr<std::unique_ptr<testing::RawConnection>> tls =
        testing::RawConnection::Connect(server->port());
    ASSERT_OK(tls);
    // The start of a TLS ClientHello that announces 512 bytes and never sends them.
    ASSERT_OK((*tls)->Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
    stalled.push_back(*std::move(tls));
  }
  const absl::Time start = absl::Now();
  auto agency = v1::PortraitService::NewStub(server->ChannelAs(testing::AgencyCertificate("33")));
  grpc::ClientContext context;
  v1::ListEnterprisesResponse response;
  EXPECT_OK(agency->ListEnterprises(&context, {}, &response))
      << "a well-behaved client is served meanwhile";
  for (size_t i = 0; i < silent.size(); ++i) {
    EXPECT_TRUE(silent[i]->ClosedByPeerWithin(absl::Seconds(6))) << "silent TCP " << i;
    EXPECT_TRUE(stalled[i]->ClosedByPeerWithin(absl::Seconds(6))) << "stalled TLS " << i;
  }
  const absl::Duration took = absl::Now() - start;
  EXPECT_GE(took, absl::Milliseconds(800)) << "closed by the deadline, not at once";
  EXPECT_LE(took, absl::Seconds(6));
}

// A peer that vanishes without closing (its machine lost power) stops answering the
// server's keepalive pings: its connection is closed and its stream's slot comes back.
TEST(ResourceLimits, KeepaliveDropsADeadPeerAndFreesItsStreams) {
  auto server = StartServer([](services::ServerOptions* o) {
    o->call_limits.max_streams_per_identity = 1;
    o->limits.keepalive_time = absl::Milliseconds(500);
    o->limits.keepalive_timeout = absl::Milliseconds(500);
  });
  ASSERT_NE(server, nullptr);
  absl::StatusOr<pki::KeyAndCertificate> cert =
      pki::IssueCertificate(server->ca(), testing::InspectorCertificate("ZJ-0002"));
  ASSERT_OK(cert);
  absl::StatusOr<std::unique_ptr<testing::FreezableProxy>> proxy =
      testing::FreezableProxy::Start(server->port());
  ASSERT_OK(proxy);

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = server->ca().cert_pem;
  ssl.pem_private_key = cert->key_pem;
  ssl.pem_cert_chain = cert->cert_pem;
  grpc::ChannelArguments args;
  args.SetInt("regulation.test.proxied", 1);
  auto via_proxy = v1::InspectionService::NewStub(grpc::CreateCustomChannel(
      absl::StrCat("localhost:", (*proxy)->port()), grpc::SslCredentials(ssl), args));
  auto direct = v1::InspectionService::NewStub(server->ChannelWithCertificate(*cert));

  auto open_watch = std::make_unique<Watch>(via_proxy.get(), absl::Seconds(60));
  absl::SleepFor(absl::Seconds(1));
  ASSERT_FALSE(open_watch->done()) << open_watch->status().error_message();
  {
    Watch second(direct.get(), absl::Seconds(5));
    ASSERT_TRUE(second.WaitDone(absl::Seconds(10)));
    EXPECT_THAT(second.status(), StatusIs(absl::StatusCode::kResourceExhausted))
        << "the proxied stream holds the identity's only slot";
  }
  (*proxy)->Freeze();
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  bool admitted = false;
  while (!admitted && absl::Now() < deadline) {
    Watch probe(direct.get(), absl::Milliseconds(1500));
    ASSERT_TRUE(probe.WaitDone(absl::Seconds(10)));
    admitted = probe.status().error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  }
  EXPECT_TRUE(admitted) << "the dead peer's stream still holds its slot";
  open_watch.reset();  // cancels the client side of the frozen stream
}

}  // namespace
}  // namespace regulation
