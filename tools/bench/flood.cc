#include "tools/bench/flood.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tests/testing/raw_socket.h"

namespace regulation::bench {
namespace {

ServerSample Sample(const ServerProcess& server) {
  return {server.Threads(), server.RssMb(), server.OpenFds()};
}

void KeepPeak(const ServerSample& now, ServerSample* peak) {
  peak->threads = std::max(peak->threads, now.threads);
  peak->rss_mb = std::max(peak->rss_mb, now.rss_mb);
  peak->fds = std::max(peak->fds, now.fds);
}

// The start of a TLS ClientHello that announces 512 bytes and never sends them.
constexpr char kStalledHello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";

// Many WatchAssignments streams of one identity, on a completion queue (no thread each).
class StreamFlood {
 public:
  StreamFlood(const BenchPki& pki, const std::string& target, const FloodOptions& options) {
    absl::StatusOr<pki::KeyAndCertificate> cert =
        pki.Issue(InspectorRequest("flooding-inspector", "FLOOD-0001"));
    if (!cert.ok()) std::abort();
    for (int i = 0; i < options.streams; ++i) {
      if (i % options.streams_per_connection == 0) {
        stubs_.push_back(v1::InspectionService::NewStub(pki.Channel(target, *cert, 1000 + i)));
      }
      auto call = std::make_unique<Call>();
      call->reader = stubs_.back()->PrepareAsyncWatchAssignments(&call->context, {}, &cq_);
      call->reader->StartCall(&call->started);
      call->reader->Finish(&call->status, &call->finished);
      calls_.push_back(std::move(call));
    }
    drainer_ = std::thread([this] { Drain(); });
  }

  ~StreamFlood() {
    for (auto& call : calls_) call->context.TryCancel();
    {
      absl::MutexLock lock(&mu_);
      auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return finished_ == static_cast<int>(calls_.size());
      };
      mu_.AwaitWithTimeout(absl::Condition(&all), absl::Seconds(30));
    }
    cq_.Shutdown();
    drainer_.join();
  }

  // Streams not ended (still admitted), and those ended, by code.
  int Open() {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(calls_.size()) - finished_;
  }
  std::map<std::string, int> Refused() {
    absl::MutexLock lock(&mu_);
    return refused_;
  }

 private:
  struct Call {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncReader<v1::Assignment>> reader;
    grpc::Status status;
    char started = 0;
    char finished = 0;
  };

  void Drain() {
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
      for (auto& call : calls_) {
        if (tag != &call->finished) continue;
        absl::MutexLock lock(&mu_);
        ++finished_;
        if (!cancelling_) ++refused_[StatusCodeName(call->status.error_code())];
        break;
      }
    }
  }

  std::vector<std::unique_ptr<v1::InspectionService::Stub>> stubs_;
  std::vector<std::unique_ptr<Call>> calls_;
  grpc::CompletionQueue cq_;
  std::thread drainer_;
  absl::Mutex mu_;
  int finished_ ABSL_GUARDED_BY(mu_) = 0;
  bool cancelling_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, int> refused_ ABSL_GUARDED_BY(mu_);

 public:
  // Streams that end from now on were ended by us, not refused.
  void StopCounting() {
    absl::MutexLock lock(&mu_);
    cancelling_ = true;
  }
};

}  // namespace

std::string FloodResult::Json() const {
  std::string refused;
  for (const auto& [code, n] : streams_refused) {
    absl::StrAppend(&refused, refused.empty() ? "" : ",", "\"", code, "\":", n);
  }
  auto sample = [](const ServerSample& s) {
    return absl::StrFormat(R"({"threads":%d,"rss_mb":%.1f,"fds":%d})", s.threads, s.rss_mb,
                           s.fds);
  };
  const int64_t calls = well_behaved.count();
  return absl::StrFormat(
      R"({"streams_admitted":%d,"streams_refused":{%s},"stalled_opened":%d,"stalled_closed":%d,)"
      R"("well_behaved":%s,"well_behaved_answered_share":%.4f,"server_before":%s,)"
      R"("server_peak":%s,"server_after":%s,"seconds":%.1f})",
      streams_admitted, refused, stalled_opened, stalled_closed, well_behaved.Json(elapsed),
      calls == 0 ? 0.0 : static_cast<double>(well_behaved.ok()) / static_cast<double>(calls),
      sample(before), sample(peak), sample(after), absl::ToDoubleSeconds(elapsed));
}

void RunFlood(const FloodOptions& options, const ServerProcess& server, const BenchPki& pki,
              const std::string& target, const std::vector<std::string>& directory,
              FloodResult* out) {
  FloodResult& result = *out;
  result.before = Sample(server);
  result.peak = result.before;
  const absl::Time start = absl::Now();
  const absl::Time end = start + options.duration;

  std::atomic<bool> done{false};
  absl::Mutex peak_mu;
  std::thread sampler([&] {
    while (!done) {
      const ServerSample now = Sample(server);
      {
        absl::MutexLock lock(&peak_mu);
        KeepPeak(now, &result.peak);
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
  });

  // The well-behaved client starts first and runs throughout.
  absl::StatusOr<pki::KeyAndCertificate> agency = pki.Issue(AgencyRequest("steady-agency", "33"));
  if (!agency.ok()) std::abort();
  auto steady = v1::PortraitService::NewStub(pki.Channel(target, *agency, 1));
  std::thread well_behaved([&] {
    SplitMix64 rng(7);
    while (absl::Now() < end) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + options.call_deadline));
      v1::GetEnterpriseRequest request;
      request.set_credit_code(directory[rng.Below(directory.size())]);
      v1::Enterprise response;
      const absl::Time t = absl::Now();
      const grpc::Status status = steady->GetEnterprise(&context, request, &response);
      result.well_behaved.Record(absl::Now() - t, status.error_code());
    }
  });

  std::vector<std::unique_ptr<testing::RawConnection>> stalled;
  for (int i = 0; i < options.stalled_handshakes; ++i) {
    absl::StatusOr<std::unique_ptr<testing::RawConnection>> c =
        testing::RawConnection::Connect(server.port());
    if (!c.ok()) continue;
    (void)(*c)->Send(absl::string_view(kStalledHello, sizeof(kStalledHello) - 1));
    stalled.push_back(*std::move(c));
  }
  result.stalled_opened = static_cast<int>(stalled.size());
  {
    StreamFlood flood(pki, target, options);
    absl::SleepFor(end - absl::Now());
    result.streams_admitted = flood.Open();
    result.streams_refused = flood.Refused();
    flood.StopCounting();
  }
  for (auto& c : stalled) result.stalled_closed += c->ClosedByPeerWithin(absl::Milliseconds(10));
  well_behaved.join();
  result.elapsed = absl::Now() - start;
  stalled.clear();
  absl::SleepFor(absl::Seconds(2));  // handlers notice the cancelled streams within a second
  done = true;
  sampler.join();
  result.after = Sample(server);
}

}  // namespace regulation::bench
