// `regctl import` against a fake PortraitService on a free localhost port. The fake
// applies events and enterprises in memory with the server's idempotency rules, and can
// be told to reject rows, hold acknowledgements back, break the stream after some
// batches (having made more durable than it acknowledged), or misnumber them.

#include "tools/regctl/import/command.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/regctl/import/checkpoint.h"

namespace regulation::regctl {
namespace {

constexpr char kHeader[] =
    "credit_code,name,region_code,industry_code,registered_capital_yuan,establishment_date,"
    "status,address\n";

class FakePortraitService final : public v1::PortraitService::Service {
 public:
  // --- knobs ---
  // IngestEvents: hold each acknowledgement until this many later batches have arrived.
  void set_ack_lag(int lag) { Set(&ack_lag_, lag); }
  // IngestEvents: after this many acknowledgements, make `apply` more batches durable
  // without acknowledging them, then fail the stream with UNAVAILABLE (once).
  void FailStreamAfter(int acks, int apply) {
    absl::MutexLock lock(&mu_);
    fail_after_acks_ = acks;
    apply_before_failing_ = apply;
  }
  void set_ack_delay(absl::Duration delay) {
    absl::MutexLock lock(&mu_);
    ack_delay_ = delay;
  }
  void set_misnumber_acks(bool on) { Set(&misnumber_acks_, on ? 1 : 0); }
  // BatchUpsertEnterprises: calls after the first `calls` answer UNAVAILABLE; -1: none.
  void FailUpsertsAfter(int calls) { Set(&fail_upserts_after_, calls); }

  // --- what it saw ---
  std::map<std::string, int> event_sightings() {
    absl::MutexLock lock(&mu_);
    return event_sightings_;
  }
  size_t stored_events() {
    absl::MutexLock lock(&mu_);
    return events_.size();
  }
  std::vector<int64_t> batch_numbers() {
    absl::MutexLock lock(&mu_);
    return batch_numbers_;
  }
  std::vector<int> batch_sizes() {
    absl::MutexLock lock(&mu_);
    return batch_sizes_;
  }
  int max_unacknowledged() {
    absl::MutexLock lock(&mu_);
    return max_unacknowledged_;
  }
  std::vector<v1::BatchUpsertEnterprisesRequest> upserts() {
    absl::MutexLock lock(&mu_);
    return upserts_;
  }
  std::map<std::string, v1::Enterprise> enterprises() {
    absl::MutexLock lock(&mu_);
    return enterprises_;
  }

  grpc::Status BatchUpsertEnterprises(grpc::ServerContext*,
                                      const v1::BatchUpsertEnterprisesRequest* request,
                                      v1::BatchUpsertEnterprisesResponse* response) override {
    absl::MutexLock lock(&mu_);
    if (fail_upserts_after_ >= 0 && static_cast<int>(upserts_.size()) >= fail_upserts_after_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake server is restarting");
    }
    upserts_.push_back(*request);
    std::set<std::string> in_batch;
    for (int i = 0; i < request->enterprises_size(); ++i) {
      const v1::Enterprise& e = request->enterprises(i);
      v1::ItemError error;
      error.set_index(i);
      error.set_code(3);
      if (absl::StrContains(e.name(), "REJECT")) {
        error.set_message(absl::StrCat("enterprises[", i, "].name: rejected by the fake"));
      } else if (!in_batch.insert(e.credit_code()).second) {
        error.set_message(
            absl::StrCat("enterprises[", i, "].credit_code: appears earlier in the same batch"));
      } else {
        response->set_upserted_count(response->upserted_count() + 1);
        auto it = enterprises_.find(e.credit_code());
        if (it == enterprises_.end() || it->second.SerializeAsString() != e.SerializeAsString()) {
          response->set_changed_count(response->changed_count() + 1);
        }
        enterprises_[e.credit_code()] = e;
        continue;
      }
      *response->add_errors() = error;
    }
    return grpc::Status::OK;
  }

  grpc::Status IngestEvents(grpc::ServerContext*,
                            grpc::ServerReaderWriter<v1::IngestEventsResponse,
                                                     v1::IngestEventsRequest>* stream) override {
    v1::IngestEventsRequest request;
    std::deque<v1::IngestEventsResponse> pending;
    int acks = 0;
    int applied_unacknowledged = 0;
    while (stream->Read(&request)) {
      absl::Duration delay;
      size_t lag;
      {
        absl::MutexLock lock(&mu_);
        batch_numbers_.push_back(request.batch_number());
        batch_sizes_.push_back(request.events_size());
        if (fail_after_acks_ >= 0 && acks == fail_after_acks_) {
          if (applied_unacknowledged < apply_before_failing_) {
            ApplyLocked(request);
            if (++applied_unacknowledged < apply_before_failing_) continue;
          }
          fail_after_acks_ = -1;
          return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake server is restarting");
        }
        pending.push_back(ApplyLocked(request));
        if (misnumber_acks_) pending.back().set_batch_number(request.batch_number() + 100);
        max_unacknowledged_ = std::max(max_unacknowledged_, static_cast<int>(pending.size()));
        delay = ack_delay_;
        lag = static_cast<size_t>(ack_lag_);
      }
      absl::SleepFor(delay);
      while (pending.size() > lag) {
        stream->Write(pending.front());
        pending.pop_front();
        ++acks;
      }
    }
    for (const v1::IngestEventsResponse& response : pending) stream->Write(response);
    return grpc::Status::OK;
  }

 private:
  void Set(int* knob, int value) {
    absl::MutexLock lock(&mu_);
    *knob = value;
  }

  v1::IngestEventsResponse ApplyLocked(const v1::IngestEventsRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::IngestEventsResponse response;
    response.set_batch_number(request.batch_number());
    for (int i = 0; i < request.events_size(); ++i) {
      const v1::Event& event = request.events(i);
      ++event_sightings_[event.event_id()];
      v1::ItemError error;
      error.set_index(i);
      error.set_code(3);
      if (event.source_department() == "reject") {
        error.set_message(
            absl::StrCat("events[", i, "].source_department: the fake rejects this department"));
        *response.add_errors() = error;
        continue;
      }
      auto it = events_.find(event.event_id());
      if (it == events_.end()) {
        events_[event.event_id()] = event.SerializeAsString();
        response.set_applied_count(response.applied_count() + 1);
      } else if (it->second == event.SerializeAsString()) {
        response.set_duplicate_count(response.duplicate_count() + 1);
      } else {
        error.set_code(6);
        error.set_message(
            absl::StrCat("events[", i, "].event_id: already used for a different event"));
        *response.add_errors() = error;
      }
    }
    return response;
  }

  absl::Mutex mu_;
  int ack_lag_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_after_acks_ ABSL_GUARDED_BY(mu_) = -1;
  int apply_before_failing_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration ack_delay_ ABSL_GUARDED_BY(mu_);
  int misnumber_acks_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_upserts_after_ ABSL_GUARDED_BY(mu_) = -1;
  std::map<std::string, std::string> events_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> event_sightings_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> batch_numbers_ ABSL_GUARDED_BY(mu_);
  std::vector<int> batch_sizes_ ABSL_GUARDED_BY(mu_);
  int max_unacknowledged_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::BatchUpsertEnterprisesRequest> upserts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, v1::Enterprise> enterprises_ ABSL_GUARDED_BY(mu_);
};

std::string EventLine(int n, absl::string_view department = "samr",
                      absl::string_view channel = "12315") {
  return absl::StrCat("{\"eventId\":\"ev-", n, "\",\"sourceDepartment\":\"", department,
                      "\",\"creditCode\":\"91350100M000100Y43\",\"occurTime\":"
                      "\"2024-05-01T08:00:00Z\",\"complaint\":{\"channel\":\"",
                      channel, "\",\"substantiated\":true}}\n");
}

std::string Events(int count) {
  std::string text;
  for (int n = 1; n <= count; ++n) absl::StrAppend(&text, EventLine(n));
  return text;
}

std::string EnterpriseRow(int n, absl::string_view name = "") {
  return absl::StrCat("C", 10000 + n, ",", name.empty() ? absl::StrCat("Company ", n) : name,
                      ",330106,C13,", n, ",2015-03-09,OPERATING,\n");
}

struct Result {
  int exit_code;
  std::string out;
  std::string diagnostics;
};

std::string ReadAll(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) text.append(buffer, n);
  return text;
}

class ImportCommandTest : public ::testing::Test {
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
    connection_.call_timeout = absl::Seconds(20);
  }
  void TearDown() override { server_->Shutdown(); }

  std::string WriteInput(absl::string_view name, absl::string_view content) {
    const std::string path = temp_.Path(name);
    std::FILE* file = std::fopen(path.c_str(), "wb");
    std::fwrite(content.data(), 1, content.size(), file);
    std::fclose(file);
    RemoveCheckpoint(CheckpointPath(path)).IgnoreError();
    return path;
  }

  Result Run(const std::vector<std::string>& args, ImportOptions options = {}) {
    std::FILE* out = std::tmpfile();
    std::FILE* diagnostics = std::tmpfile();
    options.diagnostics = diagnostics;
    const int code = RunImportCommand(args, options, connection_, out);
    Result result{code, ReadAll(out), ReadAll(diagnostics)};
    std::fclose(out);
    std::fclose(diagnostics);
    return result;
  }

  static bool HasCheckpoint(const std::string& path) {
    return ReadCheckpoint(CheckpointPath(path)).ok();
  }

  FakePortraitService service_;
  std::unique_ptr<grpc::Server> server_;
  ConnectionOptions connection_;
  ::regulation::testing::TempDir temp_;  // removed after each test
};

// ----- events -----

TEST_F(ImportCommandTest, EventsGoInNumberedBatchesAcknowledgedInOrder) {
  const std::string file = WriteInput("ordered.jsonl", Events(23));
  ImportOptions options;
  options.batch_size = 5;
  options.window = 3;
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(result.out, absl::StrCat(file, ": 23 rows: 23 accepted (0 duplicates), 0 rejected\n"));
  EXPECT_EQ(service_.batch_numbers(), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(service_.batch_sizes(), (std::vector<int>{5, 5, 5, 5, 3}));
  EXPECT_EQ(service_.stored_events(), 23u);
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, EventsKeepSeveralBatchesInFlight) {
  // The fake acknowledges a batch only once three more have arrived: a client that
  // waited for each acknowledgement would stall.
  service_.set_ack_lag(3);
  const std::string file = WriteInput("window.jsonl", Events(40));
  ImportOptions options;
  options.batch_size = 5;
  options.window = 4;
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(service_.max_unacknowledged(), 4);
  EXPECT_EQ(service_.stored_events(), 40u);
}

TEST_F(ImportCommandTest, EventsWithAWindowOfOneStillFinish) {
  const std::string file = WriteInput("window1.jsonl", Events(12));
  ImportOptions options;
  options.batch_size = 5;
  options.window = 1;
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(service_.max_unacknowledged(), 1);
  EXPECT_EQ(service_.stored_events(), 12u);
}

TEST_F(ImportCommandTest, EventErrorsAreReportedByLineInOrder) {
  const std::string text =
      absl::StrCat(EventLine(1), EventLine(2), "\n",                     // 1, 2, 3 (blank)
                   "{\"eventId\": \"ev-x\",\n",                          // 4 not JSON
                   EventLine(3), EventLine(4, "reject"), EventLine(5),   // 5, 6, 7
                   EventLine(1, "samr", "other channel"), EventLine(6),  // 8 (id reused), 9
                   "{\"eventId\":\"ev-\xFF\"}\n",                        // 10 not UTF-8
                   EventLine(2), EventLine(7, "reject"));                // 11 (replay), 12
  const std::string file = WriteInput("errors.jsonl", text);
  ImportOptions options;
  options.batch_size = 4;
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitRowsRejected);
  const std::vector<std::string> lines = absl::StrSplit(result.diagnostics, '\n');
  ASSERT_EQ(lines.size(), 6u) << result.diagnostics;
  EXPECT_TRUE(
      absl::StartsWith(lines[0], absl::StrCat(file, ":4: not a regulation.v1.Event in JSON: ")))
      << lines[0];
  EXPECT_EQ(lines[1],
            absl::StrCat(file, ":6: source_department: the fake rejects this department"));
  EXPECT_EQ(
      lines[2],
      absl::StrCat(file, ":8: event_id: already used for a different event (ALREADY_EXISTS)"));
  EXPECT_EQ(lines[3], absl::StrCat(file, ":10: not valid UTF-8 (byte 16)"));
  EXPECT_EQ(lines[4],
            absl::StrCat(file, ":12: source_department: the fake rejects this department"));
  EXPECT_EQ(lines[5], "");
  EXPECT_EQ(result.out, absl::StrCat(file, ": 11 rows: 6 accepted (1 duplicates), 5 rejected\n"));
  EXPECT_EQ(service_.batch_sizes(), (std::vector<int>{3, 4, 2}));
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, EventsStopAfterMaxErrorsButReportEverythingSent) {
  std::string text;
  for (int n = 1; n <= 200; ++n) absl::StrAppend(&text, EventLine(n, "reject"));
  const std::string file = WriteInput("max_errors.jsonl", text);
  ImportOptions options;
  options.batch_size = 10;
  options.window = 2;
  options.max_errors = 15;
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitRowsRejected);
  // Every event the server saw was reported, and nothing beyond.
  size_t seen = 0;
  for (const auto& [id, count] : service_.event_sightings()) seen += count;
  EXPECT_GE(seen, 20u);
  EXPECT_LT(seen, 200u);
  const absl::StatusOr<ImportCheckpoint> checkpoint = ReadCheckpoint(CheckpointPath(file));
  ASSERT_OK(checkpoint);
  EXPECT_EQ(static_cast<size_t>(checkpoint->rejected), seen);
  EXPECT_EQ(static_cast<size_t>(checkpoint->line), seen);
  EXPECT_TRUE(absl::StrContains(result.diagnostics, absl::StrCat(file, ":", seen, ": ")));
  EXPECT_FALSE(absl::StrContains(result.diagnostics, absl::StrCat(file, ":", seen + 1, ": ")));
  EXPECT_TRUE(absl::StrContains(result.diagnostics,
                                absl::StrCat("stopped: more than 15 rows rejected (--max_errors); "
                                             "rows from line ",
                                             seen + 1, " on were not imported")))
      << result.diagnostics;
  EXPECT_TRUE(absl::StrContains(result.out, absl::StrCat("; stopped before line ", seen + 1)));
}

TEST_F(ImportCommandTest, EventsResumeFromTheCheckpointAfterTheStreamBreaks) {
  const std::string file = WriteInput("resume.jsonl", Events(100));
  ImportOptions options;
  options.batch_size = 10;
  options.window = 4;
  // Three batches acknowledged, two more made durable but never acknowledged.
  service_.FailStreamAfter(3, 2);
  const Result first = Run({"events", file}, options);
  EXPECT_EQ(first.exit_code, kExitUnreachable) << first.diagnostics;
  EXPECT_TRUE(absl::StrContains(first.diagnostics,
                                "import stopped: every row before line 31 is done; rerun the "
                                "same command to resume at line 31"))
      << first.diagnostics;
  EXPECT_EQ(first.out, absl::StrCat(file,
                                    ": 30 rows: 30 accepted (0 duplicates), 0 rejected; stopped "
                                    "before line 31\n"));
  const absl::StatusOr<ImportCheckpoint> checkpoint = ReadCheckpoint(CheckpointPath(file));
  ASSERT_OK(checkpoint);
  EXPECT_EQ(checkpoint->line, 30);
  EXPECT_EQ(checkpoint->offset, static_cast<int64_t>(Events(30).size()));
  EXPECT_EQ(checkpoint->accepted, 30);
  EXPECT_EQ(service_.stored_events(), 50u);

  const Result second = Run({"events", file}, options);
  EXPECT_EQ(second.exit_code, kExitOk) << second.diagnostics;
  EXPECT_TRUE(absl::StartsWith(second.diagnostics, "resuming at line 31: ")) << second.diagnostics;
  // Events 31-50 were durable but unacknowledged: replayed, they are duplicates.
  EXPECT_EQ(second.out, absl::StrCat(file,
                                     ": 100 rows: 100 accepted (20 duplicates), 0 rejected (30 "
                                     "of them in earlier runs)\n"));
  const std::map<std::string, int> sightings = service_.event_sightings();
  ASSERT_EQ(sightings.size(), 100u);
  for (int n = 1; n <= 100; ++n) {
    EXPECT_EQ(sightings.at(absl::StrCat("ev-", n)), n > 30 && n <= 50 ? 2 : 1) << n;
  }
  EXPECT_EQ(service_.stored_events(), 100u);
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, ACheckpointIsIgnoredWhenTheFileChanged) {
  const std::string file = WriteInput("changed.jsonl", Events(60));
  ImportOptions options;
  options.batch_size = 10;
  service_.FailStreamAfter(2, 0);
  ASSERT_EQ(Run({"events", file}, options).exit_code, kExitUnreachable);
  ASSERT_EQ(ReadCheckpoint(CheckpointPath(file))->line, 20);

  // Append a line: a different file now, so the import starts over.
  std::FILE* append = std::fopen(file.c_str(), "ab");
  const std::string extra = EventLine(61);
  std::fwrite(extra.data(), 1, extra.size(), append);
  std::fclose(append);
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_TRUE(absl::StrContains(result.diagnostics,
                                "has changed since it was written; starting at the first row"))
      << result.diagnostics;
  EXPECT_EQ(result.out, absl::StrCat(file, ": 61 rows: 61 accepted (20 duplicates), 0 rejected\n"));
  EXPECT_EQ(service_.event_sightings().at("ev-1"), 2);
}

TEST_F(ImportCommandTest, RestartIgnoresTheCheckpoint) {
  const std::string file = WriteInput("restart.jsonl", Events(30));
  ImportOptions options;
  options.batch_size = 10;
  service_.FailStreamAfter(1, 0);
  ASSERT_EQ(Run({"events", file}, options).exit_code, kExitUnreachable);
  ASSERT_TRUE(HasCheckpoint(file));
  options.restart = true;
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_TRUE(absl::StartsWith(result.diagnostics, "--restart: ignoring ")) << result.diagnostics;
  EXPECT_EQ(result.out, absl::StrCat(file, ": 30 rows: 30 accepted (10 duplicates), 0 rejected\n"));
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, ProgressLinesWorkWhenDiagnosticsAreNotATerminal) {
  service_.set_ack_delay(absl::Milliseconds(30));
  const std::string file = WriteInput("progress.jsonl", Events(100));
  ImportOptions options;
  options.batch_size = 10;
  options.window = 2;
  options.progress_interval = absl::Milliseconds(50);
  const Result result = Run({"events", file}, options);
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_TRUE(absl::StrContains(result.diagnostics, " rows/s, ")) << result.diagnostics;
  EXPECT_FALSE(absl::StrContains(result.diagnostics, "\r"));
  EXPECT_FALSE(absl::StrContains(result.diagnostics, "\x1b["));

  // And with the default: stderr, which is not a terminal under `bazel test`.
  const std::string again = WriteInput("progress2.jsonl", Events(5));
  ImportOptions defaults;
  std::FILE* out = std::tmpfile();
  EXPECT_EQ(RunImportCommand({"events", again}, defaults, connection_, out), kExitOk);
  std::fclose(out);
}

TEST_F(ImportCommandTest, AServerThatMisnumbersAcknowledgementsIsAnError) {
  service_.set_misnumber_acks(true);
  const std::string file = WriteInput("misnumbered.jsonl", Events(10));
  const Result result = Run({"events", file});
  EXPECT_EQ(result.exit_code, kExitServerError);
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, AnEmptyEventFileImportsNothing) {
  const std::string file = WriteInput("empty.jsonl", "\n\n");
  const Result result = Run({"events", file});
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(result.out, absl::StrCat(file, ": 0 rows: 0 accepted (0 duplicates), 0 rejected\n"));
}

// ----- enterprises -----

TEST_F(ImportCommandTest, EnterprisesGoInBatchesOf500WithFreshRequestIds) {
  std::string text = kHeader;
  for (int n = 1; n <= 1203; ++n) absl::StrAppend(&text, EnterpriseRow(n));
  const std::string file = WriteInput("many.csv", text);
  const Result result = Run({"enterprises", file});
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(result.out,
            absl::StrCat(file, ": 1203 rows: 1203 accepted (1203 changed), 0 rejected\n"));
  const std::vector<v1::BatchUpsertEnterprisesRequest> upserts = service_.upserts();
  ASSERT_EQ(upserts.size(), 3u);
  EXPECT_EQ(upserts[0].enterprises_size(), 500);
  EXPECT_EQ(upserts[1].enterprises_size(), 500);
  EXPECT_EQ(upserts[2].enterprises_size(), 203);
  std::set<std::string> ids;
  for (const auto& request : upserts) {
    EXPECT_TRUE(absl::StartsWith(request.request_id(), "regctl-"));
    ids.insert(request.request_id());
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, EnterpriseCsvEdgeCasesAreReportedByLine) {
  const std::string text = absl::StrCat(
      kHeader,                                                                             // 1
      "C0001,\"Acme, \"\"Best\"\" Ltd\",330106,C13,100,2015-03-09,OPERATING,\"Line one\n"  // 2
      "line two\"\n",                                                                      // 3
      "C0002,Bad Date Co,330106,C13,100,2015-02-30,OPERATING,\n",                          // 4
      "C0003,Unknown Status Co,330106,C13,100,2015-03-09,OPEN,\n",                         // 5
      "C0004,Short Row,330106,C13,100,2015-03-09\n",                                       // 6
      "C0005,Stray\"Quote,330106,C13,100,2015-03-09,OPERATING,\n",                         // 7
      "C0006,\"REJECT me\n",                                                               // 8
      "please\",330106,C13,100,2015-03-09,OPERATING,x\n",                                  // 9
      "\r\n",                                                                              // 10
      "C0007,Fine Co,330106,C13,,2015-03-09,suspended,\"Hangzhou, Xihu\"\r\n",             // 11
      "\"C0008,unclosed,330106\n",                                                         // 12
      "more\n");                                                                           // 13
  const std::string file = WriteInput("edge.csv", text);
  const Result result = Run({"enterprises", file});
  EXPECT_EQ(result.exit_code, kExitRowsRejected);
  EXPECT_EQ(result.diagnostics,
            absl::StrCat(
                file, ":4: establishment_date: \"2015-02-30\" is not a date (YYYY-MM-DD)\n", file,
                ":5: status: unknown status \"OPEN\" (OPERATING, SUSPENDED, LIQUIDATING, "
                "REVOKED, DEREGISTERED or MOVED_OUT)\n",
                file, ":6: 8 columns in the header, 6 in this row\n", file,
                ":7: name: a quote inside an unquoted field (quote the whole field and double "
                "the quotes inside it)\n",
                file, ":8: name: rejected by the fake\n", file,
                ":12: credit_code: the quote opened on line 12 is never closed\n"));
  EXPECT_EQ(result.out, absl::StrCat(file, ": 8 rows: 2 accepted (2 changed), 6 rejected\n"));
  const std::map<std::string, v1::Enterprise> stored = service_.enterprises();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored.at("C0001").name(), "Acme, \"Best\" Ltd");
  EXPECT_EQ(stored.at("C0001").address(), "Line one\nline two");
  EXPECT_EQ(stored.at("C0007").address(), "Hangzhou, Xihu");
  EXPECT_EQ(stored.at("C0007").status(), v1::ENTERPRISE_STATUS_SUSPENDED);
  EXPECT_EQ(stored.at("C0007").registered_capital_yuan(), 0);
}

TEST_F(ImportCommandTest, ARepeatedCreditCodeClosesTheBatchSoTheLaterRowWins) {
  const std::string file =
      WriteInput("repeat.csv", absl::StrCat(kHeader, EnterpriseRow(1, "First"), EnterpriseRow(2),
                                            EnterpriseRow(1, "Second"), EnterpriseRow(3)));
  const Result result = Run({"enterprises", file});
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(service_.upserts().size(), 2u);
  EXPECT_EQ(service_.enterprises().at("C10001").name(), "Second");
  EXPECT_EQ(result.out, absl::StrCat(file, ": 4 rows: 4 accepted (4 changed), 0 rejected\n"));
}

TEST_F(ImportCommandTest, EnterprisesResumeAfterTheServerGoesAway) {
  std::string text = kHeader;
  for (int n = 1; n <= 25; ++n) absl::StrAppend(&text, EnterpriseRow(n));
  const std::string file = WriteInput("resume.csv", text);
  ImportOptions options;
  options.batch_size = 10;
  service_.FailUpsertsAfter(2);
  const Result first = Run({"enterprises", file}, options);
  EXPECT_EQ(first.exit_code, kExitUnreachable) << first.diagnostics;
  EXPECT_EQ(ReadCheckpoint(CheckpointPath(file))->line, 21);  // header + 20 rows

  service_.FailUpsertsAfter(-1);
  const Result second = Run({"enterprises", file}, options);
  EXPECT_EQ(second.exit_code, kExitOk) << second.diagnostics;
  EXPECT_TRUE(absl::StartsWith(second.diagnostics, "resuming at line 22: ")) << second.diagnostics;
  EXPECT_EQ(second.out, absl::StrCat(file,
                                     ": 25 rows: 25 accepted (25 changed), 0 rejected (20 "
                                     "of them in earlier runs)\n"));
  EXPECT_EQ(service_.enterprises().size(), 25u);
  EXPECT_EQ(service_.upserts().back().enterprises(0).credit_code(), "C10021");
}

TEST_F(ImportCommandTest, EnterprisesStopAfterMaxErrors) {
  std::string text = kHeader;
  for (int n = 1; n <= 50; ++n) absl::StrAppend(&text, EnterpriseRow(n, "REJECT"));
  const std::string file = WriteInput("rejects.csv", text);
  ImportOptions options;
  options.batch_size = 10;
  options.max_errors = 12;
  const Result result = Run({"enterprises", file}, options);
  EXPECT_EQ(result.exit_code, kExitRowsRejected);
  EXPECT_EQ(service_.upserts().size(), 2u);
  EXPECT_EQ(ReadCheckpoint(CheckpointPath(file))->line, 21);
  EXPECT_TRUE(absl::StrContains(result.diagnostics, "rows from line 22 on were not imported"))
      << result.diagnostics;
}

TEST_F(ImportCommandTest, AnOverlongUnquotedRowIsRejectedAndTheImportGoesOn) {
  const std::string file =
      WriteInput("overlong.csv", absl::StrCat(kHeader, EnterpriseRow(1), "C9,",
                                              std::string(1100000, 'x'), "\n", EnterpriseRow(2)));
  const Result result = Run({"enterprises", file});
  EXPECT_EQ(result.exit_code, kExitRowsRejected);
  EXPECT_TRUE(absl::StrContains(result.diagnostics,
                                absl::StrCat(file, ":3: the record is longer than 1048576 bytes")))
      << result.diagnostics.substr(0, 500);
  EXPECT_EQ(service_.enterprises().size(), 2u);  // the rows on either side
}

TEST_F(ImportCommandTest, AQuoteNeverClosedStopsTheImportAtThatRecord) {
  const std::string file =
      WriteInput("unclosed.csv", absl::StrCat(kHeader, EnterpriseRow(1), EnterpriseRow(2),
                                              EnterpriseRow(3), "C9,\"never closed,",
                                              std::string(1100000, 'x'), "\n", EnterpriseRow(4)));
  const Result result = Run({"enterprises", file});
  EXPECT_EQ(result.exit_code, kExitRowsRejected);
  EXPECT_TRUE(absl::StrContains(
      result.diagnostics,
      absl::StrCat(file,
                   ":5: the record starting on line 5 is longer than 1048576 bytes (is a "
                   "quote never closed?)")))
      << result.diagnostics.substr(0, 500);
  EXPECT_TRUE(
      absl::StrContains(result.diagnostics, "stopped: rows from line 5 on were not imported"))
      << result.diagnostics.substr(0, 500);
  EXPECT_EQ(service_.enterprises().size(), 3u);
  EXPECT_EQ(ReadCheckpoint(CheckpointPath(file))->line, 4);
}

TEST_F(ImportCommandTest, AFileWithABadHeaderIsNotImported) {
  const std::string missing = WriteInput(
      "missing.csv", "credit_code,name,region_code,industry_code,establishment_date,status\n");
  Result result = Run({"enterprises", missing});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_TRUE(absl::StartsWith(
      result.diagnostics,
      absl::StrCat(missing, ":1: header: missing column \"registered_capital_yuan\"")))
      << result.diagnostics;

  const std::string unknown =
      WriteInput("unknown.csv", absl::StrCat("phone,", kHeader, EnterpriseRow(1)));
  result = Run({"enterprises", unknown});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(result.diagnostics, "header: unknown column \"phone\""));

  result = Run({"enterprises", WriteInput("empty.csv", "")});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(result.diagnostics, "header line")) << result.diagnostics;

  result = Run({"enterprises", "/nonexistent/file.csv"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_TRUE(service_.upserts().empty());
}

TEST_F(ImportCommandTest, AByteOrderMarkBeforeTheHeaderIsSkipped) {
  const std::string file =
      WriteInput("bom.csv", absl::StrCat("\xEF\xBB\xBF", kHeader, EnterpriseRow(1)));
  const Result result = Run({"enterprises", file});
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
}

TEST_F(ImportCommandTest, TheDocumentedExamplesImport) {
  // docs/import-formats.md, verbatim.
  const std::string csv = WriteInput(
      "documented.csv",
      "credit_code,name,region_code,industry_code,registered_capital_yuan,establishment_date,"
      "status,address\n"
      "91350100M000100Y43,\"福州示例贸易有限公司 (\"\"Fuzhou Example Trading\"\"), 分公司\","
      "350102,F5191,2000000,2012-06-18,OPERATING,\"福州市鼓楼区五四路 88 号\n"
      "第 12 层\"\n"
      "91110000600037341L,北京示例科技有限公司,110108,I6510,50000000,2003-11-02,operating,"
      "北京市海淀区中关村大街 1 号\n"
      "91330106MA27XK0Q17,杭州示例餐饮管理有限公司,330106,H6210,,2016-04-01,SUSPENDED,\n");
  Result result = Run({"enterprises", csv});
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  const std::map<std::string, v1::Enterprise> stored = service_.enterprises();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored.at("91350100M000100Y43").name(),
            "福州示例贸易有限公司 (\"Fuzhou Example Trading\"), 分公司");
  EXPECT_EQ(stored.at("91350100M000100Y43").address(), "福州市鼓楼区五四路 88 号\n第 12 层");
  EXPECT_EQ(stored.at("91110000600037341L").status(), v1::ENTERPRISE_STATUS_OPERATING);
  EXPECT_EQ(stored.at("91330106MA27XK0Q17").registered_capital_yuan(), 0);

  const std::string jsonl =
      WriteInput("documented.jsonl",
                 "{\"eventId\":\"samr-2024-000123\",\"sourceDepartment\":\"samr\",\"creditCode\":"
                 "\"91350100M000100Y43\",\"occurTime\":\"2024-05-06T09:30:00+08:00\","
                 "\"administrativePenalty\":{\"amountYuan\":\"50000\",\"severity\":"
                 "\"PENALTY_SEVERITY_GENERAL\",\"legalBasis\":\"《食品安全法》第一百二十四条\","
                 "\"decisionNumber\":\"榕市监罚〔2024〕123号\"}}\n"
                 "{\"eventId\":\"12315-2024-998877\",\"sourceDepartment\":\"12315\",\"creditCode\":"
                 "\"91110000600037341L\",\"occurTime\":\"2024-05-07T14:00:00Z\",\"complaint\":"
                 "{\"channel\":\"12315\",\"substantiated\":true}}\n");
  result = Run({"events", jsonl});
  EXPECT_EQ(result.exit_code, kExitOk) << result.diagnostics;
  EXPECT_EQ(service_.stored_events(), 2u);
}

// ----- command line -----

TEST_F(ImportCommandTest, RejectsBadCommandLinesBeforeConnecting) {
  const std::string file = WriteInput("usage.jsonl", Events(1));
  ImportOptions options;
  EXPECT_EQ(Run({}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"orders", file}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"events"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"events", file, "extra"}).exit_code, kExitUsage);
  options.batch_size = 1001;
  EXPECT_EQ(Run({"events", file}, options).exit_code, kExitUsage);
  options.batch_size = 0;
  EXPECT_EQ(Run({"events", file}, options).exit_code, kExitUsage);
  options = ImportOptions();
  options.window = 0;
  EXPECT_EQ(Run({"events", file}, options).exit_code, kExitUsage);
  options = ImportOptions();
  options.max_errors = -1;
  EXPECT_EQ(Run({"events", file}, options).exit_code, kExitUsage);
  options = ImportOptions();
  options.kind = "enterprises";
  EXPECT_EQ(Run({"events", file}, options).exit_code, kExitUsage);
  EXPECT_TRUE(service_.batch_numbers().empty());

  // Kind and file from the options alone work too.
  options = ImportOptions();
  options.kind = "events";
  options.file = file;
  EXPECT_EQ(Run({}, options).exit_code, kExitOk);
}

TEST_F(ImportCommandTest, AnUnreachableServerExitsWith3) {
  const std::string file = WriteInput("unreachable.jsonl", Events(1));
  server_->Shutdown();
  connection_.connect_timeout = absl::Milliseconds(300);
  const Result result = Run({"events", file});
  EXPECT_EQ(result.exit_code, kExitUnreachable);
  EXPECT_FALSE(HasCheckpoint(file));
}

TEST_F(ImportCommandTest, AConnectionThatCannotBeSetUpIsAUsageError) {
  const std::string file = WriteInput("local.jsonl", Events(1));
  connection_.insecure_loopback = true;
  connection_.server = "example.com:50051";  // plaintext only to loopback
  EXPECT_EQ(Run({"events", file}).exit_code, kExitUsage);
  connection_.insecure_loopback = false;
  connection_.tls_dir = "/nonexistent-tls-dir";
  EXPECT_EQ(Run({"events", file}).exit_code, kExitUsage);
  EXPECT_FALSE(HasCheckpoint(file));
}

}  // namespace
}  // namespace regulation::regctl
