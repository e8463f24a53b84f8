// Ingestion benchmark: in one run, on one machine,
//   (a) raw: RocksDB WriteBatch throughput for exactly the records ingestion writes
//       synchronously (events, event-id records, one ingest-log record per batch; the
//       portrait states are written back asynchronously), in one synced WriteBatch per
//       kMaxEventsPerCommit events: the largest group a stream's committer writes at
//       once, so raw gets its best case. Each million prints its rate, the writing
//       thread's CPU per event and RocksDB's own background work per event (compactions,
//       flushes): the store's cost as it grows, without regulatord;
//   (b) end to end: a client streaming the same events through gRPC (IngestEvents, in
//       batches, with a window of batches in flight) into a regulatord child process,
//       which validates them, stores them durably and keeps the portraits;
//   (c) floor: the same stream into ingest_floor_server, which acknowledges every event
//       and does nothing else: what gRPC and protobuf alone cost per event here, on the
//       server and on this client (which makes the events and shares the two cores).
// Phase (b) prints the rate of each million events acknowledged and regulatord's CPU
// seconds, so that a run shows whether the rate stays flat as the store grows, and each
// of its threads' share of a core over that million (by thread name: the ingestion
// stream's ingest-commit and ingest-ack, the checkpoint writer portrait-ckpt, RocksDB's
// rocksdb:low compactions and rocksdb:high flushes, gRPC's request readers).
// The last line is one JSON object:
//   {"events": ..., "raw_events_per_s": ..., "e2e_events_per_s": ..., "ratio": ...,
//    "peak_rss_mb": ..., "server_cpu_s": ..., "raw_cpu_s": ...,
//    "first_million_per_s": ..., "last_million_per_s": ..., "server_us_per_event": ...,
//    "client_us_per_event": ..., "floor_events_per_s": ..., "floor_server_us_per_event": ...,
//    "floor_client_us_per_event": ...}
// where peak_rss_mb is regulatord's peak resident memory, server_cpu_s its CPU seconds
// during (b), raw_cpu_s this process's CPU seconds during (a)'s writes, the per-event
// figures CPU microseconds of the server and of this client during (b) and (c).
//
//   bazel run --config=opt //tools/bench:ingest -- --events=1000000
//   bazel run --config=opt //tools/bench:ingest -- --events=10000000 --skip_raw --skip_floor

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/credit_code.h"
#include "common/sha256.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "scoring/portrait_state.h"
#include "services/common/proto_time.h"
#include "services/portrait/event_keys.h"
#include "services/portrait/ingest_stream.h"
#include "services/portrait/live_portraits.h"
#include "services/telemetry/metrics_text.h"
#include "storage/column_family.h"
#include "storage/rocksdb_store.h"
#include "tools/regctl/http_get.h"
#include "tools/bench/bench_support.h"

ABSL_FLAG(int64_t, events, 1000000, "events to ingest");
ABSL_FLAG(int, enterprises, 50000, "enterprises the events are about");
ABSL_FLAG(int, batch, 500, "events per IngestEvents message and per raw WriteBatch");
ABSL_FLAG(int, window, 32, "batches in flight on the stream");
ABSL_FLAG(bool, skip_raw, false, "skip the raw RocksDB phase");
ABSL_FLAG(bool, skip_floor, false, "skip the gRPC floor phase");
ABSL_FLAG(std::string, regulatord, "",
          "the regulatord binary to measure (default: the one built with this benchmark)");
ABSL_FLAG(std::string, work_dir, "", "where to put the databases (default: a new /tmp dir)");

namespace regulation::bench {
namespace {

constexpr int64_t kDay = int64_t{86400} * 1000000;

std::string CreditCode(int index) {
  const std::string first17 = absl::StrFormat("91330106%09d", index);
  return first17 + CreditCodeCheckCharacter(first17);
}

// The i-th event: deterministic, realistic kinds, times spread over three years.
v1::Event MakeEvent(int64_t i, int enterprises, int64_t start_micros, int64_t span_micros) {
  SplitMix64 rng(static_cast<uint64_t>(i) * 7919 + 17);
  v1::Event e;
  e.set_event_id(absl::StrCat("bench-", i));
  e.set_source_department("samr");
  e.set_credit_code(CreditCode(static_cast<int>(rng.Below(enterprises))));
  const int64_t micros = start_micros + static_cast<int64_t>(rng.Below(span_micros));
  *e.mutable_occur_time() = services::ToProtoTimestamp(absl::FromUnixMicros(micros));
  switch (rng.Below(6)) {
    case 0:
      e.mutable_administrative_penalty()->set_amount_yuan(static_cast<int64_t>(rng.Below(200000)));
      e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
      e.mutable_administrative_penalty()->set_legal_basis("《食品安全法》第一百二十四条");
      e.mutable_administrative_penalty()->set_decision_number(absl::StrCat("杭市监罚〔2025〕", i));
      break;
    case 1:
      e.mutable_annual_report()->set_report_year(2024);
      e.mutable_annual_report()->set_filing(v1::ANNUAL_REPORT_FILING_ON_TIME);
      e.mutable_annual_report()->set_total_assets_yuan(static_cast<int64_t>(rng.Below(1 << 30)));
      e.mutable_annual_report()->set_revenue_yuan(static_cast<int64_t>(rng.Below(1 << 30)));
      e.mutable_annual_report()->set_employees(static_cast<int>(rng.Below(500)));
      break;
    case 2:
      e.mutable_complaint()->set_channel("12315");
      e.mutable_complaint()->set_substantiated(rng.Below(3) == 0);
      break;
    case 3:
      e.mutable_quality_sampling()->set_passed(rng.Below(5) != 0);
      e.mutable_quality_sampling()->set_product("食品");
      break;
    case 4:
      e.mutable_inspection_outcome()->set_result_category(1);
      break;
    default:
      e.mutable_registration_change()->set_item("address");
  }
  return e;
}

std::vector<v1::Event> MakeBatch(int64_t first, int count, int enterprises, int64_t start,
                                 int64_t span) {
  std::vector<v1::Event> batch;
  batch.reserve(count);
  for (int k = 0; k < count; ++k) batch.push_back(MakeEvent(first + k, enterprises, start, span));
  return batch;
}

// What `name` used between two readings of a map of CPU seconds (0 where absent).
double Used(const std::map<std::string, double>& before, const std::map<std::string, double>& after,
            const std::string& name) {
  auto a = after.find(name);
  auto b = before.find(name);
  return (a == after.end() ? 0.0 : a->second) - (b == before.end() ? 0.0 : b->second);
}

// What each name of `after` used since `before`, times `scale`, those at `least` or more,
// the largest first: "name value, ...", the values with `decimals` decimals.
std::string LargestFirst(const std::map<std::string, double>& before,
                         const std::map<std::string, double>& after, double scale, double least,
                         int decimals) {
  std::vector<std::pair<double, std::string>> values;
  for (const auto& [name, unused] : after) {
    const double value = Used(before, after, name) * scale;
    if (value >= least) values.emplace_back(value, name);
  }
  std::sort(values.rbegin(), values.rend());
  std::string text;
  for (const auto& [value, name] : values) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", name, " ",
                    decimals == 0 ? absl::StrCat(static_cast<int>(value + 0.5))
                                  : absl::StrFormat("%.*f", decimals, value));
  }
  return text;
}

// Each thread name's CPU between `before` and `after` as a share of one core over
// `wall`, the busiest first, those under 5% left out: which stage of the server is
// saturated, and whether the machine is.
std::string ThreadShares(const std::map<std::string, double>& before,
                         const std::map<std::string, double>& after, absl::Duration wall) {
  return LargestFirst(before, after, 100 / absl::ToDoubleSeconds(wall), 5, 0);
}

// This process's CPU seconds so far (user + system, all threads).
double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Raw {
  double events_per_s = 0;
  double cpu_s = 0;  // of the timed writes
};

// What RocksDB's background threads ("rocksdb:low": compactions, "rocksdb:high":
// flushes) spent between two readings of ThreadCpuSecondsOf, per event of `events`, in
// microseconds.
std::string BackgroundCpuPerEvent(const std::map<std::string, double>& before,
                                  const std::map<std::string, double>& after, double events) {
  std::string text;
  for (const char* name : {"rocksdb:low", "rocksdb:high"}) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", name, " ",
                    absl::StrFormat("%.2f", Used(before, after, name) * 1e6 / events));
  }
  return text;
}

// Compaction CPU by column family between two readings (family -> CPU seconds), per
// event of `events`, in microseconds: the families over 0.01, the costliest first.
std::string CompactionCpuPerEvent(const std::map<std::string, double>& before,
                                  const std::map<std::string, double>& after, double events) {
  const std::string text = LargestFirst(before, after, 1e6 / events, 0.01, 2);
  return text.empty() ? "none" : text;
}

// Each family's compaction CPU seconds so far, from the store in this process.
std::map<std::string, double> CompactionCpuSeconds(storage::KvStore* store) {
  std::map<std::string, double> seconds;
  const std::vector<storage::FamilyCompactions> families = store->Stats().compactions;
  for (size_t i = 0; i < families.size(); ++i) {
    seconds[std::string(storage::ColumnFamilyName(storage::kAllColumnFamilies[i]))] =
        static_cast<double>(families[i].cpu_micros) * 1e-6;
  }
  return seconds;
}

// The same from a server's metrics endpoint (empty when it cannot be read).
std::map<std::string, double> CompactionCpuSeconds(int metrics_port) {
  std::map<std::string, double> seconds;
  if (metrics_port <= 0) return seconds;
  absl::StatusOr<std::string> text = regctl::HttpGet(
      absl::StrCat("http://localhost:", metrics_port, "/metrics"), absl::Seconds(10));
  if (!text.ok()) return seconds;
  absl::StatusOr<std::vector<telemetry::MetricSample>> samples =
      telemetry::ParseMetricsText(*text);
  if (!samples.ok()) return seconds;
  for (const telemetry::MetricSample& sample : *samples) {
    if (sample.name != "regulation_rocksdb_compaction_cpu_seconds_total") continue;
    auto family = sample.labels.find("family");
    if (family != sample.labels.end()) seconds[family->second] = sample.value;
  }
  return seconds;
}

// The port of the metrics endpoint a server announced in its log (0: none).
int MetricsPort(const std::string& log) {
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static constexpr char kAnnounced[] = "metrics on http://localhost:";
  const size_t at = text.find(kAnnounced);
  return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + sizeof(kAnnounced) - 1);
}

// CPU time of the thread that calls it, in seconds (the raw phase's writer).
double CallingThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// (a) Writes what ingestion writes synchronously for the same events, as the committer
// groups them (kMaxEventsPerCommit events per write, each write synced); times only the
// writes. Each million prints its rate and what RocksDB's own background threads spent
// per event on it: the store's cost as it grows, without regulatord.
Raw RawEventsPerSecond(const std::string& dir, int64_t events, int enterprises, int batch_size,
                       int64_t start, int64_t span) {
  storage::RocksDbOptions options;
  options.path = dir;
  std::unique_ptr<storage::KvStore> store = storage::OpenRocksDbStore(options).value();
  const int group_size = services::kMaxEventsPerCommit;
  storage::WriteOptions synced;
  synced.sync = true;
  absl::Duration writing, million_writing;
  double cpu = 0, million_writer_cpu = 0;
  int64_t million_events = 0;
  std::map<std::string, double> million_threads = ThreadCpuSecondsOf(getpid());
  std::map<std::string, double> million_compactions = CompactionCpuSeconds(store.get());
  int64_t sequence = 0;
  const google::protobuf::Timestamp now = services::ToProtoTimestamp(absl::Now());
  for (int64_t group = 0; group < events; group += group_size) {
    const int64_t group_end = std::min<int64_t>(group + group_size, events);
    storage::WriteBatch write;
    std::vector<std::string> applied;  // the log record names the events
    for (int64_t first = group; first < group_end; first += batch_size) {
      const int count = static_cast<int>(std::min<int64_t>(batch_size, group_end - first));
      for (v1::Event& e : MakeBatch(first, count, enterprises, start, span)) {
        const int64_t micros = absl::ToUnixMicros(*services::FromProtoTimestamp(e.occur_time()));
        const std::string key = services::EventKey(e.credit_code(), micros, e.event_id());
        applied.push_back(key);
        internal::EventIdRecord id;
        id.set_event_key(key);
        id.set_content_digest(Sha256(e.SerializeAsString()));
        *e.mutable_ingest_time() = now;
        write.Put(storage::ColumnFamily::kEventIds, e.event_id(), id.SerializeAsString());
        write.Put(storage::ColumnFamily::kEvents, key, e.SerializeAsString());
      }
    }
    write.Put(storage::ColumnFamily::kIngestLog, services::LivePortraits::LogKey(++sequence),
              services::LivePortraits::LogValue(applied));
    const absl::Time t0 = absl::Now();
    const double cpu0 = SelfCpuSeconds();
    const double writer_cpu0 = CallingThreadCpuSeconds();
    if (!store->Write(write, synced).ok()) std::abort();
    const absl::Duration took = absl::Now() - t0;
    writing += took;
    million_writing += took;
    cpu += SelfCpuSeconds() - cpu0;
    million_writer_cpu += CallingThreadCpuSeconds() - writer_cpu0;
    million_events += group_end - group;
    if (group_end / 1000000 > group / 1000000 || group_end == events) {
      const double n = static_cast<double>(million_events);
      const std::map<std::string, double> threads = ThreadCpuSecondsOf(getpid());
      const std::map<std::string, double> compactions = CompactionCpuSeconds(store.get());
      std::fprintf(stderr,
                   "  raw million %lld: %.0f events/s, the writer %.2f CPU us/event, "
                   "background per event (us): %s; compactions by family (us/event): %s\n",
                   static_cast<long long>((group_end + 999999) / 1000000),
                   n / absl::ToDoubleSeconds(million_writing), million_writer_cpu * 1e6 / n,
                   BackgroundCpuPerEvent(million_threads, threads, n).c_str(),
                   CompactionCpuPerEvent(million_compactions, compactions, n).c_str());
      million_threads = threads;
      million_compactions = compactions;
      million_writing = absl::ZeroDuration();
      million_writer_cpu = 0;
      million_events = 0;
    }
  }
  return {static_cast<double>(events) / absl::ToDoubleSeconds(writing), cpu};
}

struct Streamed {
  double events_per_s = 0;
  double peak_rss_mb = 0;
  double server_cpu_s = 0;
  double client_cpu_s = 0;  // this process: making the events, gRPC's client side
  int64_t applied = 0;
  std::vector<double> million_rates;  // events/s of each full million acknowledged
};

// Streams the events through IngestEvents to `server`, in batches with a window of
// batches in flight, and times it until the last acknowledgement.
// `metrics_port`: the server's metrics endpoint, for its compactions by family (0: none).
Streamed StreamEvents(const ServerProcess& server, int metrics_port,
                      v1::PortraitService::Stub* stub, int64_t events, int enterprises,
                      int batch_size, int window, int64_t start, int64_t span) {
  Streamed result;
  grpc::ClientContext context;
  auto stream = stub->IngestEvents(&context);
  const absl::Time t0 = absl::Now();
  const double cpu0 = server.CpuSeconds();
  const double client_cpu0 = SelfCpuSeconds();
  absl::Time last_report = t0;
  absl::Time million_start = t0;
  double million_cpu = cpu0;
  int64_t million_written = server.StorageWrittenBytes();
  std::map<std::string, double> million_threads = server.ThreadCpuSeconds();
  std::map<std::string, double> million_compactions = CompactionCpuSeconds(metrics_port);
  int64_t acknowledged = 0;
  int in_flight = 0;
  int64_t batch_number = 0;
  v1::IngestEventsResponse ack;
  auto read_ack = [&] {
    if (!stream->Read(&ack)) std::abort();
    --in_flight;
    result.applied += ack.applied_count();
    const int64_t before = acknowledged;
    acknowledged += ack.applied_count() + ack.duplicate_count() + ack.errors_size();
    if (acknowledged / 1000000 > before / 1000000) {
      const absl::Time now = absl::Now();
      const double cpu = server.CpuSeconds();
      const double rate = 1e6 / absl::ToDoubleSeconds(now - million_start);
      result.million_rates.push_back(rate);
      const int64_t written = server.StorageWrittenBytes();
      std::fprintf(stderr,
                   "  million %lld: %.0f events/s, server %.2f CPU us/event, wrote %.0f "
                   "bytes/event\n",
                   static_cast<long long>(acknowledged / 1000000), rate, cpu - million_cpu,
                   static_cast<double>(written - million_written) / 1e6);
      const std::map<std::string, double> threads = server.ThreadCpuSeconds();
      std::fprintf(stderr, "    threads (%% of a core): %s\n",
                   ThreadShares(million_threads, threads, now - million_start).c_str());
      if (metrics_port > 0) {
        const std::map<std::string, double> compactions = CompactionCpuSeconds(metrics_port);
        std::fprintf(stderr, "    compactions by family (CPU us/event): %s\n",
                     CompactionCpuPerEvent(million_compactions, compactions, 1e6).c_str());
        million_compactions = compactions;
      }
      million_start = now;
      million_cpu = cpu;
      million_written = written;
      million_threads = threads;
    }
    if (ack.errors_size() > 0) {
      std::fprintf(stderr, "rejected: %s\n", ack.errors(0).message().c_str());
      std::abort();
    }
  };
  for (int64_t first = 0; first < events; first += batch_size) {
    const int count = static_cast<int>(std::min<int64_t>(batch_size, events - first));
    v1::IngestEventsRequest request;
    request.set_batch_number(batch_number++);
    for (v1::Event& e : MakeBatch(first, count, enterprises, start, span)) {
      *request.add_events() = std::move(e);
    }
    if (in_flight == window) read_ack();
    if (!stream->Write(request)) std::abort();
    ++in_flight;
    if (absl::Now() - last_report > absl::Seconds(5)) {
      last_report = absl::Now();
      std::fprintf(stderr, "  %lld events, %.0f/s, server rss peak %.0f MiB\n",
                   static_cast<long long>(first + count),
                   (first + count) / absl::ToDoubleSeconds(last_report - t0), server.PeakRssMb());
    }
  }
  // Every acknowledgement before the end of the stream: the server's stream threads are
  // still there when the last million's thread shares are read.
  while (in_flight > 0) read_ack();
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "stream failed: %s\n", status.error_message().c_str());
    std::abort();
  }
  result.events_per_s = static_cast<double>(events) / absl::ToDoubleSeconds(absl::Now() - t0);
  result.server_cpu_s = server.CpuSeconds() - cpu0;
  result.client_cpu_s = SelfCpuSeconds() - client_cpu0;
  result.peak_rss_mb = server.PeakRssMb();
  return result;
}

// (b) Streams the events through regulatord.
Streamed EndToEndEventsPerSecond(const std::string& regulatord, const std::string& dir,
                                 int64_t events, int enterprises, int batch_size, int window,
                                 int64_t start, int64_t span) {
  ServerProcess server =
      ServerProcess::Start(regulatord, dir, {"--metrics_listen=localhost:0"}).value();
  const int metrics_port = MetricsPort(dir + ".log");
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::PortraitService::NewStub(channel);

  // The directory first (not timed).
  for (int first = 0; first < enterprises; first += 1000) {
    v1::BatchUpsertEnterprisesRequest request;
    for (int i = first; i < std::min(enterprises, first + 1000); ++i) {
      v1::Enterprise* e = request.add_enterprises();
      e->set_credit_code(CreditCode(i));
      e->set_name(absl::StrCat("基准企业", i));
      e->set_region_code("330106");
      e->set_industry_code("F52");
      e->set_registered_capital_yuan(1000000);
      e->mutable_establishment_date()->set_year(2005);
      e->mutable_establishment_date()->set_month(1);
      e->mutable_establishment_date()->set_day(1);
      e->set_status(v1::ENTERPRISE_STATUS_OPERATING);
    }
    grpc::ClientContext context;
    v1::BatchUpsertEnterprisesResponse response;
    if (!stub->BatchUpsertEnterprises(&context, request, &response).ok()) std::abort();
  }
  Streamed result =
      StreamEvents(server, metrics_port, stub.get(), events, enterprises, batch_size, window,
                   start, span);
  server.Stop();
  return result;
}

// (c) Streams the same events to a server that only acknowledges them
// (ingest_floor_server.cc): gRPC's and protobuf's own cost per event on this machine.
Streamed FloorEventsPerSecond(const std::string& floor_server, const std::string& dir,
                              int64_t events, int enterprises, int batch_size, int window,
                              int64_t start, int64_t span) {
  std::filesystem::create_directories(dir);
  ServerProcess server = ServerProcess::StartWith(floor_server, {}, dir + "/floor.log").value();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::PortraitService::NewStub(channel);
  Streamed result =
      StreamEvents(server, 0, stub.get(), events, enterprises, batch_size, window, start,
                   span);
  server.Stop();
  return result;
}

void PrintStreamed(const char* what, const Streamed& s, int64_t events) {
  const double n = static_cast<double>(events);
  std::fprintf(stderr,
               "%s: %.0f events/s, server %.1f CPU s (%.2f us/event), this client %.2f "
               "us/event, peak RSS %.0f MiB\n",
               what, s.events_per_s, s.server_cpu_s, s.server_cpu_s * 1e6 / n,
               s.client_cpu_s * 1e6 / n, s.peak_rss_mb);
}

int Run(const char* argv0) {
  const int64_t events = absl::GetFlag(FLAGS_events);
  const int enterprises = absl::GetFlag(FLAGS_enterprises);
  const int batch = absl::GetFlag(FLAGS_batch);
  std::string work = absl::GetFlag(FLAGS_work_dir);
  if (work.empty()) {
    char templ[] = "/tmp/ingest-bench.XXXXXX";
    work = mkdtemp(templ);
  }
  // Three years of history ending a day ago.
  const int64_t span = 1095 * kDay;
  const int64_t start = absl::ToUnixMicros(absl::Now()) - span - kDay;
  std::fprintf(stderr, "%lld events about %d enterprises, batches of %d, in %s\n",
               static_cast<long long>(events), enterprises, batch, work.c_str());

  std::string regulatord = absl::GetFlag(FLAGS_regulatord);
  if (regulatord.empty()) regulatord = Runfile(argv0, "services/server/regulatord");
  Raw raw;
  if (!absl::GetFlag(FLAGS_skip_raw)) {
    raw = RawEventsPerSecond(work + "/raw", events, enterprises, batch, start, span);
    std::fprintf(stderr, "raw RocksDB writes: %.0f events/s, %.1f CPU s (%.2f us/event)\n",
                 raw.events_per_s, raw.cpu_s, raw.cpu_s * 1e6 / static_cast<double>(events));
  }
  const Streamed e2e =
      EndToEndEventsPerSecond(regulatord, work + "/e2e", events, enterprises, batch,
                              absl::GetFlag(FLAGS_window), start, span);
  PrintStreamed("end to end", e2e, events);
  Streamed floor;
  if (!absl::GetFlag(FLAGS_skip_floor)) {
    floor = FloorEventsPerSecond(Runfile(argv0, "tools/bench/ingest_floor_server"),
                                 work + "/floor", events, enterprises, batch,
                                 absl::GetFlag(FLAGS_window), start, span);
    PrintStreamed("floor (gRPC only, acknowledged unread)", floor, events);
  }
  std::error_code ignored;
  std::filesystem::remove_all(work, ignored);
  const double n = static_cast<double>(events);
  const double first = e2e.million_rates.empty() ? 0 : e2e.million_rates.front();
  const double last = e2e.million_rates.empty() ? 0 : e2e.million_rates.back();
  std::printf(
      "{\"events\": %lld, \"raw_events_per_s\": %.0f, \"e2e_events_per_s\": %.0f, "
      "\"ratio\": %.3f, \"peak_rss_mb\": %.0f, \"server_cpu_s\": %.1f, \"raw_cpu_s\": %.1f, "
      "\"first_million_per_s\": %.0f, \"last_million_per_s\": %.0f, "
      "\"server_us_per_event\": %.2f, \"client_us_per_event\": %.2f, "
      "\"floor_events_per_s\": %.0f, \"floor_server_us_per_event\": %.2f, "
      "\"floor_client_us_per_event\": %.2f}\n",
      static_cast<long long>(events), raw.events_per_s, e2e.events_per_s,
      raw.events_per_s > 0 ? e2e.events_per_s / raw.events_per_s : 0.0, e2e.peak_rss_mb,
      e2e.server_cpu_s, raw.cpu_s, first, last, e2e.server_cpu_s * 1e6 / n,
      e2e.client_cpu_s * 1e6 / n, floor.events_per_s, floor.server_cpu_s * 1e6 / n,
      floor.client_cpu_s * 1e6 / n);
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run(argv[0]);
}
