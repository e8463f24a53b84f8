// The crash harness (tools/crash): runs regulatord under a seeded workload, kills it with
// SIGKILL at seeded random moments, starts it again, and after every restart checks what
// it promised before the kill (checks.h). Prints, per kill, what was running and what
// each check found, then one summary line; exits 0 when every check passed.
//
//   crash --regulatord=PATH --regctl=PATH --demo_dir=tools/demo [--kills=100] [--seed=N]
//
// The same --seed gives the same workload and the same kill delays (what a kill
// interrupts still depends on timing).

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/crash_harness/checks.h"
#include "tools/crash_harness/endpoint.h"
#include "tools/crash_harness/fixture.h"
#include "tools/crash_harness/offline_checks.h"
#include "tools/crash_harness/server_process.h"
#include "tools/crash_harness/workload.h"

ABSL_FLAG(int, kills, 100, "how many times to SIGKILL the server");
ABSL_FLAG(uint64_t, seed, 0, "the seed of the workload and the kill moments (0: from the clock)");
ABSL_FLAG(std::string, regulatord, "", "the regulatord binary");
ABSL_FLAG(std::string, regctl, "", "the regctl binary");
ABSL_FLAG(std::string, demo_dir, "tools/demo", "the demo roster and items (tools/demo)");
ABSL_FLAG(std::string, work_dir, "", "where the PKI, data and site go (default: a new temp dir)");
ABSL_FLAG(int, enterprises, 300, "enterprises in the generated directory");
ABSL_FLAG(int, min_delay_ms, 300, "shortest run between a restart and the next kill");
ABSL_FLAG(int, max_delay_ms, 2500, "longest run between a restart and the next kill");

namespace regulation::crash {
namespace {

int Die(const std::string& message) {
  std::fprintf(stderr, "crash: %s\n", message.c_str());
  return 2;
}

// Prints each check's line; returns how many failed.
int Report(const std::vector<CheckResult>& results) {
  int failed = 0;
  for (const CheckResult& r : results) {
    std::printf("  %-12s %s  %s\n", r.name.c_str(), r.ok ? "ok  " : "FAIL", r.detail.c_str());
    if (!r.ok) ++failed;
  }
  std::fflush(stdout);
  return failed;
}

std::vector<CheckResult> WithWorkloadFailures(Workload& workload, std::vector<CheckResult> checks) {
  std::vector<std::string> failures = workload.TakeFailures();
  CheckResult result{"workload", failures.empty(),
                     failures.empty() ? "every write answered" : failures.front()};
  if (failures.size() > 1) absl::StrAppend(&result.detail, " (and ", failures.size() - 1, " more)");
  checks.insert(checks.begin(), result);
  return checks;
}

int Main() {
  const absl::Time started = absl::Now();
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixMicros(started)) % 1000000007;
  const int kills = absl::GetFlag(FLAGS_kills);
  std::string work_dir = absl::GetFlag(FLAGS_work_dir);
  if (work_dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/crash.XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) return Die("cannot make a work directory");
    work_dir = pattern;
  }
  std::printf("crash: seed %llu (repeat with --seed=%llu), %d kills, work dir %s\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed), kills,
              work_dir.c_str());
  std::fflush(stdout);

  Endpoint endpoint;
  FixtureOptions fixture_options{absl::GetFlag(FLAGS_regctl), work_dir,
                                 absl::GetFlag(FLAGS_demo_dir), absl::GetFlag(FLAGS_enterprises),
                                 seed};
  absl::StatusOr<Fixture> fixture = MakePki(fixture_options, &endpoint);
  if (!fixture.ok()) return Die(fixture.status().ToString());
  const absl::Duration min_entropy_delay = absl::Seconds(1);
  ServerProcess server(ServerOptions{absl::GetFlag(FLAGS_regulatord), work_dir + "/data",
                                     fixture->pki_dir + "/server",
                                     fixture->pki_dir + "/ca/revoked.txt", min_entropy_delay,
                                     work_dir + "/regulatord.log"});
  if (absl::Status s = server.Start(); !s.ok()) return Die(s.ToString());
  endpoint.SetAddress(server.address());
  if (absl::Status s = LoadWorld(fixture_options, endpoint, &*fixture); !s.ok()) {
    return Die(s.ToString());
  }

  WorkloadOptions workload_options;
  workload_options.seed = seed;
  workload_options.regctl = absl::GetFlag(FLAGS_regctl);
  workload_options.pki_dir = fixture->pki_dir;
  workload_options.witness_key = fixture->witness_key;
  workload_options.witness_id = fixture->witness_id;
  workload_options.work_dir = work_dir;
  workload_options.site_dir = work_dir + "/site";
  workload_options.min_entropy_delay = min_entropy_delay;
  workload_options.enterprises = fixture->enterprises;
  workload_options.item_ids = fixture->item_ids;
  Workload workload(workload_options, &endpoint);
  Checks checks(CheckOptions{absl::GetFlag(FLAGS_regctl), fixture->pki_dir, work_dir + "/site",
                             work_dir + "/verify-log-state"},
                &endpoint, seed);

  std::mt19937_64 kill_random(seed ^ 0x6b696c6cULL);
  std::uniform_int_distribution<int> delay_ms(absl::GetFlag(FLAGS_min_delay_ms),
                                              absl::GetFlag(FLAGS_max_delay_ms));
  int checks_run = 0, checks_failed = 0, restarts = 0;
  std::map<std::string, int> kills_during;  // by the interrupted step's first word
  workload.Start();
  for (int k = 1; k <= kills; ++k) {
    const int delay = delay_ms(kill_random);
    absl::SleepFor(absl::Milliseconds(delay));
    const std::string activity = workload.Activity();
    server.Kill();
    ++kills_during[activity.substr(0, activity.find_first_of(" :"))];
    const absl::Time killed = absl::Now();
    if (absl::Status s = server.Start(); !s.ok()) {
      std::printf("kill %d/%d after %.2f s, during %s: regulatord does not start again: %s\n", k,
                  kills, delay / 1000.0, activity.c_str(), s.ToString().c_str());
      ++checks_failed;
      break;
    }
    ++restarts;
    endpoint.SetAddress(server.address());
    workload.Pause();  // the interrupted step completes against the new server
    std::printf("kill %d/%d after %.2f s, during %s; serving again in %.1f s\n", k, kills,
                delay / 1000.0, activity.c_str(), absl::ToDoubleSeconds(absl::Now() - killed));
    const std::vector<CheckResult> results =
        WithWorkloadFailures(workload, checks.Run(workload.ledger(), false));
    checks_run += static_cast<int>(results.size());
    checks_failed += Report(results);
    workload.Resume();
  }
  workload.Stop();
  std::printf("final: the workload stopped; every approved result must now be published\n");
  std::vector<CheckResult> results = WithWorkloadFailures(workload, checks.Run(workload.ledger(), true));
  const int status = server.Stop();
  results.push_back(CheckResult{"shutdown", status == 0,
                                absl::StrCat("SIGTERM: regulatord exited with ", status)});
  results.push_back(CheckFeatureRowsOffline(work_dir + "/data/rocksdb"));
  checks_run += static_cast<int>(results.size());
  checks_failed += Report(results);

  std::string during;
  for (const auto& [step, n] : kills_during) {
    absl::StrAppend(&during, during.empty() ? "" : ", ", step, " ", n);
  }
  std::printf("kills during: %s\n", during.c_str());
  const Ledger& ledger = workload.ledger();
  std::printf(
      "SUMMARY crash: seed %llu, %d kills, %d restarts, %d checks, %d failed; %zu events "
      "acknowledged, %lld stored; %zu plans; %zu results approved, %lld "
      "published; %lld checkpoint consistency proofs; %lld retried writes answered alike; "
      "%d workload steps; %.0f s\n",
      static_cast<unsigned long long>(seed), kills, restarts, checks_run, checks_failed,
      ledger.events_acknowledged.size(), static_cast<long long>(checks.events_stored()),
      ledger.plans.size(),
      ledger.approved.size(), static_cast<long long>(checks.results_published()),
      static_cast<long long>(checks.checkpoints_checked()),
      static_cast<long long>(checks.retries_compared()), workload.steps(),
      absl::ToDoubleSeconds(absl::Now() - started));
  std::printf("%s\n", checks_failed == 0 ? "PASS" : "FAIL");
  return checks_failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace regulation::crash

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_regulatord).empty() || absl::GetFlag(FLAGS_regctl).empty()) {
    std::fprintf(stderr, "crash: --regulatord and --regctl are required (tools/crash sets them)\n");
    return 2;
  }
  return regulation::crash::Main();
}
