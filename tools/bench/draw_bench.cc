// Draw benchmark (docs/draw-spec.md §13): in one run, on one machine, for each size,
//   draw:   RunDraw end to end — seed, a stratified selection over enterprises generated
//           on the fly and streamed once (four classes, realistic shares, about 5%
//           sampled), teams from a roster of 2,000 inspectors, the canonical bundle and
//           its digest;
//   ticket: the bare cost of the same tickets (hash and sort key, no selection or
//           ordering), on the same threads: every enterprise's ticket, with the same
//           batching of the same generated stream, plus every team ticket the draw
//           computes (each target's candidate inspectors under its team seed, §8). Both
//           parts and the ratio to the enterprise tickets alone are printed too;
//   select: SelectTargets alone, to split draw_s into selection and teams + bundle.
// Each figure is the median of --repeat runs. The last line is one JSON object for the
// largest size:
//   {"enterprises": ..., "draw_s": ..., "ticket_s": ..., "ratio": ..., "draw_cpu_s": ...,
//    "ticket_cpu_s": ..., "cpu_ratio": ..., "phases_s": {"select": ..., "roster_wait": ...,
//    "teams": ..., "bundle": ...}, "load_average": ..., "peak_rss_mb": ...}
// CPU seconds (user + system, every thread) are printed beside wall times: on a shared
// machine the wall time varies with the load, which is printed too.
//
//   bazel run --config=opt //tools/bench:draw
//   bazel run --config=opt //tools/bench:draw -- --sizes=1000000 --repeat=1

#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/credit_code.h"
#include "common/sha256.h"
#include "scheduler/draw.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/round_commitment.h"
#include "scheduler/seed.h"
#include "scheduler/target_selection.h"
#include "scheduler/team_assignment.h"
#include "scheduler/ticket.h"
#include "tools/bench/bench_support.h"

ABSL_FLAG(std::string, sizes, "1000000,10000000", "population sizes, comma-separated");
ABSL_FLAG(int, inspectors, 2000, "roster size");
ABSL_FLAG(int, threads, 2, "threads for tickets (draw and bare alike)");
ABSL_FLAG(int, repeat, 3, "runs per figure; the median is reported");
ABSL_FLAG(bool, draw_only, false,
          "run and time only the draw, not the bare tickets or the phases alone (to profile "
          "the draw with perf)");

namespace regulation::bench {
namespace {

using scheduler::ClassQuota;
using scheduler::DrawInputs;
using scheduler::DrawOptions;
using scheduler::DrawResult;
using scheduler::FrozenRoster;
using scheduler::InspectorRecord;
using scheduler::InspectorStatus;
using scheduler::PopulationSource;

constexpr int kCities = 11;
constexpr int kCountiesPerCity = 9;

// Zhejiang-like regions: 11 cities (3301..3311), 9 counties each.
std::string CountyCode(int county) {
  return absl::StrFormat("33%02d%02d", 1 + county / kCountiesPerCity,
                         2 + county % kCountiesPerCity);
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Enterprise `serial`: a county, a class (A 60%, B 30%, C 8%, D 2%) and a credit code
// "91" + county + nine-digit serial + check character.
class Generator {
 public:
  Generator() {
    static constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                         29, 25, 13, 8,  24, 10, 30, 28};
    for (int c = 0; c < kCities * kCountiesPerCity; ++c) {
      regions_[c] = CountyCode(c);
      const std::string prefix = "91" + regions_[c];
      int sum = 0;
      for (int i = 0; i < 8; ++i) sum += CreditCodeCharValue(prefix[i]) * kWeights[i];
      prefix_sums_[c] = sum;
    }
    for (int i = 0; i < 9; ++i) weights_[i] = kWeights[8 + i];
  }

  // Writes the code into `code` (18 bytes); returns the class (1-4) and the county.
  int Make(int64_t serial, char* code, int* county) const {
    const uint64_t z = Mix(static_cast<uint64_t>(serial));
    *county = static_cast<int>(z % (kCities * kCountiesPerCity));
    const uint64_t share = (z >> 32) % 1000;
    const int risk_class = share < 600 ? 1 : share < 900 ? 2 : share < 980 ? 3 : 4;
    code[0] = '9';
    code[1] = '1';
    std::copy(regions_[*county].begin(), regions_[*county].end(), code + 2);
    int sum = prefix_sums_[*county];
    int64_t s = serial;
    for (int i = 8; i >= 0; --i) {
      const int digit = static_cast<int>(s % 10);
      s /= 10;
      code[8 + i] = static_cast<char>('0' + digit);
      sum += digit * weights_[i];
    }
    code[17] = CreditCodeCharFromValue((31 - sum % 31) % 31);
    return risk_class;
  }

  const std::string& region(int county) const { return regions_[county]; }

 private:
  std::array<std::string, kCities * kCountiesPerCity> regions_;
  std::array<int, kCities * kCountiesPerCity> prefix_sums_{};
  std::array<int, 9> weights_{};
};

class GeneratedPopulation : public PopulationSource {
 public:
  explicit GeneratedPopulation(int64_t size) : size_(size) {}

  absl::Status ForEach(const Visitor& visit) override {
    char code[18];
    int county = 0;
    for (int64_t i = 0; i < size_; ++i) {
      const int risk_class = generator_.Make(i, code, &county);
      absl::Status status =
          visit(absl::string_view(code, 18), risk_class, generator_.region(county));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  std::array<int64_t, 4> ClassSizes() const {
    std::array<int64_t, 4> sizes{};
    char code[18];
    int county = 0;
    for (int64_t i = 0; i < size_; ++i) ++sizes[generator_.Make(i, code, &county) - 1];
    return sizes;
  }

 private:
  const int64_t size_;
  const Generator generator_;
};

// The bare ticket cost: the same stream, batched and shared between threads exactly as
// SelectTargets does, computing each ticket's hash and sort key and nothing else.
class BareTickets {
 public:
  BareTickets(absl::string_view seed, int threads)
      : hasher_(seed), threads_(std::max(threads, 1)) {}

  uint64_t Run(PopulationSource& source) {
    std::vector<std::thread> workers;
    std::vector<uint64_t> sums(threads_, 0);
    for (int i = 1; i < threads_; ++i) workers.emplace_back([this, i, &sums] { Worker(&sums[i]); });
    std::vector<Row> batch;
    batch.reserve(kBatchRows);
    source
        .ForEach([&](absl::string_view code, int, absl::string_view) {
          Row& row = batch.emplace_back();
          std::copy(code.begin(), code.end(), row.code);
          if (batch.size() == kBatchRows) {
            Dispatch(std::move(batch), &sums[0]);
            batch = std::vector<Row>();
            batch.reserve(kBatchRows);
          }
          return absl::OkStatus();
        })
        .IgnoreError();
    if (!batch.empty()) Dispatch(std::move(batch), &sums[0]);
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    while (true) {
      std::vector<Row> next;
      {
        absl::MutexLock lock(&mu_);
        if (queue_.empty()) break;
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      Process(next, &sums[0]);
    }
    for (std::thread& t : workers) t.join();
    uint64_t total = 0;
    for (uint64_t s : sums) total += s;
    return total;
  }

 private:
  static constexpr size_t kBatchRows = 4096;
  struct Row {
    char code[18];
  };

  void Dispatch(std::vector<Row> batch, uint64_t* sum) {
    if (threads_ > 1) {
      absl::MutexLock lock(&mu_);
      if (queue_.size() < 4) {
        queue_.push_back(std::move(batch));
        return;
      }
    }
    Process(batch, sum);
  }

  void Worker(uint64_t* sum) {
    while (true) {
      std::vector<Row> batch;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](BareTickets* b)
                 ABSL_EXCLUSIVE_LOCKS_REQUIRED(b->mu_) { return !b->queue_.empty() || b->done_; },
            this));
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      Process(batch, sum);
    }
  }

  void Process(const std::vector<Row>& batch, uint64_t* sum) const {
    for (const Row& row : batch) *sum += hasher_.Compute(absl::string_view(row.code, 18)).key;
  }

  const scheduler::TicketHasher hasher_;
  const int threads_;
  absl::Mutex mu_;
  std::deque<std::vector<Row>> queue_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

// The bare cost of the team tickets a draw computes: for each target, the ticket of every
// inspector the team rules leave as a candidate (docs/draw-spec.md §8: active, certificate
// valid through the due date, qualified, in jurisdiction, no conflict, not on the last
// team), under the target's own team seed. The candidate lists are built in the
// constructor, untimed; Run only hashes, on the same threads as the draw.
class BareTeamTickets {
 public:
  BareTeamTickets(const std::vector<scheduler::BundleTarget>& targets, const FrozenRoster& roster,
                  const scheduler::PlanSpec& plan) {
    absl::flat_hash_map<std::string, std::vector<const std::string*>> by_prefix;
    for (const InspectorRecord& r : roster.inspectors) {
      if (r.status != InspectorStatus::kActive || r.certificate_valid_until < plan.due_date)
        continue;
      bool qualified = true;
      for (const scheduler::PlanItem& item : plan.items) {
        if (item.required_qualification.empty()) continue;
        qualified = qualified && std::find(r.qualifications.begin(), r.qualifications.end(),
                                           item.required_qualification) != r.qualifications.end();
      }
      if (qualified)
        by_prefix[scheduler::JurisdictionPrefix(r.region_code)].push_back(&r.inspector_id);
    }
    absl::flat_hash_set<std::string> excluded;  // "code/inspector"
    for (const scheduler::ConflictRecord& c : roster.conflicts) {
      excluded.insert(absl::StrCat(c.credit_code, "/", c.inspector_id));
    }
    for (const scheduler::LastInspectionRecord& l : roster.last_inspections) {
      excluded.insert(absl::StrCat(l.credit_code, "/", l.inspector_id));
    }
    for (const scheduler::BundleTarget& t : targets) {
      Target& target = targets_.emplace_back();
      target.team_seed_suffix = absl::StrCat(":team:", t.credit_code);
      for (size_t len = 2; len <= t.region_code.size(); len += 2) {
        auto it = by_prefix.find(t.region_code.substr(0, len));
        if (it == by_prefix.end()) continue;
        for (const std::string* id : it->second) {
          if (!excluded.contains(absl::StrCat(t.credit_code, "/", *id))) target.ids.push_back(id);
        }
      }
      tickets_ += static_cast<int64_t>(target.ids.size());
    }
  }

  int64_t tickets() const { return tickets_; }

  // Hashes every candidate's ticket under `seed`'s team seeds, split over `threads`.
  uint64_t Run(absl::string_view seed, int threads) const {
    threads = std::max(threads, 1);
    std::vector<uint64_t> sums(threads, 0);
    std::vector<std::thread> workers;
    for (int p = 1; p < threads; ++p) {
      workers.emplace_back([&, p] { sums[p] = Part(seed, p, threads); });
    }
    sums[0] = Part(seed, 0, threads);
    for (std::thread& w : workers) w.join();
    uint64_t total = 0;
    for (uint64_t s : sums) total += s;
    return total;
  }

 private:
  struct Target {
    // The team seed is "<seed>:team:<code>"; the seed is Run's.
    std::string team_seed_suffix;
    std::vector<const std::string*> ids;
  };

  uint64_t Part(absl::string_view seed, int part, int parts) const {
    const size_t begin = targets_.size() * part / parts;
    const size_t end = targets_.size() * (part + 1) / parts;
    uint64_t sum = 0;
    std::string team_seed;
    for (size_t t = begin; t < end; ++t) {
      const Target& target = targets_[t];
      if (target.ids.size() < 2) continue;  // the draw hashes only to order two or more
      team_seed.assign(seed.data(), seed.size());
      team_seed.append(target.team_seed_suffix);
      const scheduler::TicketHasher hasher(team_seed);
      for (const std::string* id : target.ids) sum += hasher.Compute(*id).key;
    }
    return sum;
  }

  std::vector<Target> targets_;
  int64_t tickets_ = 0;
};

// 2,000 inspectors of one department: 92% at county level, 8% at city level; 80% hold the
// food-safety qualification the plan needs; 92% active; 95% with a valid certificate.
// Declared conflicts: one per 2,000 enterprises; last inspections: two inspectors for each
// of 5% of the enterprises (last year's draw). Frozen in canonical order, as at commit.
FrozenRoster MakeRoster(int inspectors, int64_t population) {
  FrozenRoster roster;
  SplitMix64 rng(20260301);
  for (int i = 0; i < inspectors; ++i) {
    InspectorRecord r;
    r.inspector_id = absl::StrFormat("ZJ-%05d", i);
    r.department = "市场监管局";
    const int county = static_cast<int>(rng.Below(kCities * kCountiesPerCity));
    r.region_code = rng.Below(100) < 92
                        ? CountyCode(county)
                        : absl::StrFormat("33%02d00", 1 + county / kCountiesPerCity);
    r.certificate_valid_until = rng.Below(100) < 95 ? "2027-12-31" : "2026-06-30";
    if (rng.Below(100) < 80) r.qualifications.push_back("食品安全");
    r.qualifications.push_back("特种设备");
    const uint64_t status = rng.Below(100);
    r.status = status < 92
                   ? InspectorStatus::kActive
                   : (status < 97 ? InspectorStatus::kUnavailable : InspectorStatus::kRetired);
    roster.inspectors.push_back(std::move(r));
  }
  // Declared conflicts and last inspections over random enterprises.
  const Generator generator;
  char code[18];
  int county = 0;
  for (int64_t k = 0; k < population / 2000; ++k) {
    generator.Make(static_cast<int64_t>(rng.Below(population)), code, &county);
    roster.conflicts.push_back(
        {absl::StrFormat("ZJ-%05d", rng.Below(inspectors)), std::string(code, 18)});
  }
  for (int64_t k = 0; k < population / 10; ++k) {
    generator.Make(static_cast<int64_t>(rng.Below(population)), code, &county);
    roster.last_inspections.push_back(
        {std::string(code, 18), absl::StrFormat("ZJ-%05d", rng.Below(inspectors))});
  }
  return scheduler::CanonicalRoster(std::move(roster));
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of this process so far (all threads).
double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

// VmHWM of this process in MiB (getrusage's ru_maxrss when /proc is unavailable).
double PeakRssMb() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status != nullptr) {
    char line[256];
    while (std::fgets(line, sizeof(line), status) != nullptr) {
      long kib = 0;
      if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) {
        std::fclose(status);
        return kib / 1024.0;
      }
    }
    std::fclose(status);
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // KiB on Linux
}

// Resets VmHWM to the current resident size (Linux: "5" to /proc/self/clear_refs), so
// that the peak read after a draw is that draw's, not the phase timings' that follow.
void ResetPeakRss() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return;
  std::fputs("5", f);
  std::fclose(f);
}

struct Figures {
  int64_t enterprises = 0;
  // Peak resident memory of the process up to the end of the first draw of this size
  // (inputs, generator and roster included; the phase timings after it excluded).
  double peak_rss_mb = 0;
  double draw_s = 0;
  // Every ticket the draw computes: the enterprises' and the team candidates'.
  double ticket_s = 0;
  double target_ticket_s = 0;
  double team_ticket_s = 0;
  int64_t team_tickets = 0;
  // Phases of the draw, each timed alone on the same inputs.
  double select_s = 0;
  double teams_s = 0;
  double roster_s = 0;
  double bundle_s = 0;
  // CPU seconds (user + system, all threads) of the draw and of the bare tickets.
  double draw_cpu_s = 0;
  double ticket_cpu_s = 0;
  // The draw's own phases (DrawPhaseSeconds), medians.
  double in_select_s = 0;
  double in_roster_wait_s = 0;
  double in_teams_s = 0;
  double in_bundle_s = 0;
  double load_average = 0;
};

Figures RunSize(int64_t size, int inspectors, int threads, int repeat) {
  GeneratedPopulation population(size);
  const FrozenRoster roster = MakeRoster(inspectors, size);

  DrawInputs inputs;
  inputs.plan.plan_id = "BENCH-2026-ZJ";
  inputs.plan.departments = {"市场监管局"};
  inputs.plan.items = {{"SC-001", "市场监管局", "食品安全"}, {"SC-002", "市场监管局", ""}};
  // Shares A 60% B 30% C 8% D 2% sampled at 3%, 5%, 12%, 35%: about 5% overall.
  inputs.plan.quotas = {ClassQuota::RatioPpm(30000), ClassQuota::RatioPpm(50000),
                        ClassQuota::RatioPpm(120000), ClassQuota::RatioPpm(350000)};
  inputs.plan.team_size = 2;
  inputs.plan.workload_cap = 1000;
  inputs.plan.due_date = "2026-12-31";
  inputs.plan_digest = *scheduler::PlanDigest(inputs.plan);
  // Commit-time work, not timed: the class sizes are counted; the population digests
  // (a sorted pass at commit time) are stand-ins, which RunDraw takes as given.
  inputs.population.class_sizes = population.ClassSizes();
  inputs.population.overall = Sha256Hex(absl::StrCat("bench population ", size));
  for (int c = 0; c < 4; ++c) {
    inputs.population.classes[c] = Sha256Hex(absl::StrCat("bench class ", c, " ", size));
  }
  inputs.roster_digest = *scheduler::RosterDigest(roster);
  inputs.nonce_hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  // One witness (an Ed25519 key from a fixed seed) and its statement, as a real round has:
  // checking it is part of the draw's cost.
  const scheduler::entropy::WitnessKey witness = *scheduler::entropy::WitnessKey::FromPrivateBytes(
      scheduler::entropy::WitnessAlgorithm::kEd25519, std::string(32, '\x2a'));
  scheduler::RoundCommitment& c = inputs.commitment;
  c.nonce_commitment = *scheduler::NonceCommitment(inputs.nonce_hex);
  c.committed_at = "2026-12-01T02:00:00.000000Z";
  c.min_entropy_delay_seconds = 600;
  scheduler::CommittedSource& source = c.sources.emplace_back();
  source.source_id = "bench-notary";
  source.department = "公证处";
  source.algorithm = scheduler::kEd25519;
  source.public_key = witness.public_key().hex();
  c.digest = *scheduler::CommitmentDigest(scheduler::ScopeOf(inputs), c);
  scheduler::entropy::WitnessStatement statement;
  statement.source_id = source.source_id;
  statement.plan_id = inputs.plan.plan_id;
  statement.commitment = c.digest;
  statement.value = "d2f1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f";
  statement.signed_at = absl::FromUnixSeconds(1796094000);  // 2026-12-01T03:00:00Z
  const scheduler::entropy::SignedWitnessStatement signed_statement =
      *scheduler::entropy::SignWitnessStatement(witness, statement);
  inputs.statements.push_back({source.source_id, scheduler::EntropyStatement::Evidence::kWitness,
                               signed_statement.text, signed_statement.signature_hex});

  DrawOptions options;
  options.threads = threads;
  std::vector<double> draw_s, ticket_s, target_ticket_s, team_ticket_s, select_s, teams_s, roster_s,
      bundle_s, draw_cpu_s, ticket_cpu_s, in_select_s, in_roster_wait_s, in_teams_s, in_bundle_s;
  const double load_before = LoadAverage();
  DrawResult last;
  std::string seed;
  double peak_rss_mb = 0;
  double bundle_mb = 0;
  int64_t team_tickets = 0;
  for (int r = 0; r < repeat; ++r) {
    last = DrawResult();
    if (r == 0) ResetPeakRss();
    scheduler::DrawPhaseSeconds phases;
    options.phase_seconds = &phases;
    double cpu_start = CpuSeconds();
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<DrawResult> result = scheduler::RunDraw(inputs, population, roster, options);
    draw_s.push_back(Seconds(start));
    draw_cpu_s.push_back(CpuSeconds() - cpu_start);
    in_select_s.push_back(phases.select);
    in_roster_wait_s.push_back(phases.roster_wait);
    in_teams_s.push_back(phases.teams);
    in_bundle_s.push_back(phases.bundle);
    if (r == 0) peak_rss_mb = PeakRssMb();
    if (!result.ok()) {
      std::fprintf(stderr, "draw failed: %s\n", result.status().ToString().c_str());
      std::exit(1);
    }
    seed = result->bundle.seed;
    last = *std::move(result);
    // Keep the bundle's size and digest, not its bytes: the phase timings below would
    // otherwise hold a second copy.
    bundle_mb = last.bundle_json.size() / 1048576.0;
    std::string().swap(last.bundle_json);
    if (absl::GetFlag(FLAGS_draw_only)) {
      absl::PrintF("enterprises=%d draw_s=%.3f draw_cpu_s=%.3f (select_s=%.3f teams_s=%.3f "
                   "bundle_s=%.3f) bundle_mb=%.1f\n",
                   size, draw_s.back(), draw_cpu_s.back(), phases.select, phases.teams,
                   phases.bundle, bundle_mb);
      continue;
    }

    BareTickets bare(seed, threads);
    cpu_start = CpuSeconds();
    start = std::chrono::steady_clock::now();
    const uint64_t checksum = bare.Run(population);
    target_ticket_s.push_back(Seconds(start));
    double ticket_cpu = CpuSeconds() - cpu_start;
    const BareTeamTickets bare_team(last.bundle.targets, roster, inputs.plan);
    team_tickets = bare_team.tickets();
    cpu_start = CpuSeconds();
    start = std::chrono::steady_clock::now();
    const uint64_t team_checksum = bare_team.Run(seed, threads);
    team_ticket_s.push_back(Seconds(start));
    ticket_cpu_s.push_back(ticket_cpu + CpuSeconds() - cpu_start);
    ticket_s.push_back(target_ticket_s.back() + team_ticket_s.back());
    if (checksum == 42 || team_checksum == 42) std::printf("(checksum)\n");

    std::array<int64_t, 4> counts;
    for (int c = 0; c < 4; ++c) counts[c] = last.bundle.classes[c].selected;
    scheduler::SelectionOptions selection_options;
    selection_options.threads = threads;
    start = std::chrono::steady_clock::now();
    absl::StatusOr<scheduler::TargetSelection> selection =
        scheduler::SelectTargets(population, seed, counts, {}, selection_options);
    select_s.push_back(Seconds(start));
    if (!selection.ok()) std::exit(1);

    std::vector<scheduler::TeamTarget> team_targets;
    for (const scheduler::BundleTarget& t : last.bundle.targets) {
      team_targets.push_back({t.credit_code, t.region_code});
    }
    scheduler::WorkloadCounts workload;
    scheduler::TeamOptions team_options;
    team_options.threads = threads;
    start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<scheduler::TeamResult>> teams =
        scheduler::AssignTeams(seed, team_targets, roster, inputs.plan, &workload, team_options);
    teams_s.push_back(Seconds(start));
    if (!teams.ok()) std::exit(1);

    start = std::chrono::steady_clock::now();
    if (!scheduler::RosterDigest(roster).ok()) std::exit(1);
    roster_s.push_back(Seconds(start));

    start = std::chrono::steady_clock::now();
    const std::string json = scheduler::WriteBundleJson(last.bundle);
    const std::string digest = Sha256Hex(json);
    bundle_s.push_back(Seconds(start));
    if (digest != last.bundle_digest) std::exit(1);
  }
  if (absl::GetFlag(FLAGS_draw_only)) return Figures();
  int64_t staffed = 0;
  for (const scheduler::TeamResult& team : last.bundle.teams) {
    staffed += team.status == scheduler::StaffingStatus::kStaffed;
  }
  Figures f;
  f.enterprises = size;
  f.draw_s = Median(draw_s);
  f.ticket_s = Median(ticket_s);
  f.target_ticket_s = Median(target_ticket_s);
  f.team_ticket_s = Median(team_ticket_s);
  f.team_tickets = team_tickets;
  f.peak_rss_mb = peak_rss_mb;
  f.select_s = Median(select_s);
  f.teams_s = Median(teams_s);
  f.roster_s = Median(roster_s);
  f.bundle_s = Median(bundle_s);
  f.draw_cpu_s = Median(draw_cpu_s);
  f.ticket_cpu_s = Median(ticket_cpu_s);
  f.in_select_s = Median(in_select_s);
  f.in_roster_wait_s = Median(in_roster_wait_s);
  f.in_teams_s = Median(in_teams_s);
  f.in_bundle_s = Median(in_bundle_s);
  f.load_average = (load_before + LoadAverage()) / 2;
  absl::PrintF(
      "enterprises=%d targets=%d staffed=%d unstaffed=%d inspectors=%d last_inspections=%d "
      "bundle_mb=%.1f threads=%d draw_s=%.3f ticket_s=%.3f (enterprise tickets %.3f s, "
      "%d team tickets %.3f s) ratio=%.2f ratio_to_enterprise_tickets=%.2f "
      "(in the draw: select_s=%.3f roster_wait_s=%.3f teams_s=%.3f bundle_s=%.3f) "
      "(alone: select_s=%.3f teams_s=%.3f roster_digest_s=%.3f bundle_s=%.3f) "
      "cpu: draw_cpu_s=%.3f ticket_cpu_s=%.3f cpu_ratio=%.2f load_average=%.2f "
      "peak_rss_mb=%.0f\n",
      size, last.bundle.targets.size(), staffed,
      static_cast<int64_t>(last.bundle.targets.size()) - staffed, roster.inspectors.size(),
      roster.last_inspections.size(), bundle_mb, threads, f.draw_s, f.ticket_s, f.target_ticket_s,
      f.team_tickets, f.team_ticket_s, f.draw_s / f.ticket_s, f.draw_s / f.target_ticket_s,
      f.in_select_s, f.in_roster_wait_s, f.in_teams_s, f.in_bundle_s, f.select_s, f.teams_s,
      f.roster_s, f.bundle_s, f.draw_cpu_s, f.ticket_cpu_s, f.draw_cpu_s / f.ticket_cpu_s,
      f.load_average, f.peak_rss_mb);
  std::fflush(stdout);
  return f;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<int64_t> sizes;
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_sizes), ',')) {
    int64_t size = 0;
    if (!absl::SimpleAtoi(part, &size) || size < 1000 || size > 1000000000) {
      std::fprintf(stderr, "--sizes: bad size \"%s\"\n", std::string(part).c_str());
      return 2;
    }
    sizes.push_back(size);
  }
  const int repeat = std::max(1, absl::GetFlag(FLAGS_repeat));
  regulation::bench::Figures last;
  for (int64_t size : sizes) {
    last = regulation::bench::RunSize(size, absl::GetFlag(FLAGS_inspectors),
                                      absl::GetFlag(FLAGS_threads), repeat);
  }
  if (absl::GetFlag(FLAGS_draw_only)) return 0;
  absl::PrintF(
      "{\"enterprises\": %d, \"draw_s\": %.3f, \"ticket_s\": %.3f, \"ratio\": %.2f, "
      "\"draw_cpu_s\": %.3f, \"ticket_cpu_s\": %.3f, \"cpu_ratio\": %.2f, "
      "\"phases_s\": {\"select\": %.3f, \"roster_wait\": %.3f, \"teams\": %.3f, "
      "\"bundle\": %.3f}, \"load_average\": %.2f, \"peak_rss_mb\": %.0f}\n",
      last.enterprises, last.draw_s, last.ticket_s, last.draw_s / last.ticket_s, last.draw_cpu_s,
      last.ticket_cpu_s, last.draw_cpu_s / last.ticket_cpu_s, last.in_select_s,
      last.in_roster_wait_s, last.in_teams_s, last.in_bundle_s, last.load_average,
      last.peak_rss_mb);
  return 0;
}
