#include "tools/bench/big_plan.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/files.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "disclosure/publication_queue.h"
#include "disclosure/signing_key.h"
#include "disclosure/transparency_log.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scheduler/bundle_parts.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"
#include "scheduler/seed.h"
#include "services/common/proto_time.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_desk.h"
#include "services/inspection/entropy_registry.h"
#include "services/inspection/plan_book.h"
#include "services/inspection/roster.h"
#include "storage/rocksdb_store.h"
#include "testing/fake_clock.h"

namespace regulation::bench {
namespace {

using storage::ColumnFamily;

constexpr int kCities = 11;
constexpr int kCountiesPerCity = 9;
constexpr int kCounties = kCities * kCountiesPerCity;
constexpr int kWorkloadCap = 40;
constexpr int kCityInspectorsPerCity = 5;
constexpr char kWitness[] = "notary-zj";
constexpr char kNonce[] = "3c9d1f0a7b5e2d4c6a8f0e1d3b5c7a9e2f4d6b8a0c1e3f5a7b9d1c3e5f7a9b0d";

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Zhejiang-like: 11 cities (3301..3311), 9 counties each.
std::string CountyCode(int county) {
  return absl::StrFormat("33%02d%02d", 1 + county / kCountiesPerCity,
                         2 + county % kCountiesPerCity);
}

// "91" + county + nine-digit serial + check character (GB 32100-2015).
std::string CreditCode(const std::string& county, int64_t serial) {
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8, 24, 10, 30, 28};
  std::string code = absl::StrFormat("91%s%09d", county, serial);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += CreditCodeCharValue(code[i]) * kWeights[i];
  code.push_back(CreditCodeCharFromValue((31 - sum % 31) % 31));
  return code;
}

access::Caller AdminCaller() {
  access::Caller c;
  c.roles = access::RoleSet::All();
  c.subject = "bench-admin";
  return c;
}

access::Caller AgencyCaller() {
  access::Caller c;
  c.roles = {access::Role::kAgency};
  c.subject = "zj-samr";
  c.department = "samr";
  c.region_prefix = "33";
  return c;
}

// Enterprises and their scores, in credit-code order (county by county), as sorted runs.
absl::Status LoadEnterprises(storage::KvStore* store, int64_t enterprises) {
  storage::SortedRun rows;
  storage::SortedRun scores;
  auto flush = [&]() -> absl::Status {
    REG_RETURN_IF_ERROR(store->WriteSortedRun(ColumnFamily::kEnterprises, rows));
    REG_RETURN_IF_ERROR(store->WriteSortedRun(ColumnFamily::kScores, scores));
    rows.Clear();
    scores.Clear();
    return absl::OkStatus();
  };
  for (int county = 0; county < kCounties; ++county) {
    const std::string region = CountyCode(county);
    for (int64_t serial = county; serial < enterprises; serial += kCounties) {
      v1::Enterprise e;
      e.set_credit_code(CreditCode(region, serial));
      e.set_name(absl::StrCat("浙江测试企业", serial, "有限公司"));
      e.set_region_code(region);
      e.set_industry_code("F5211");
      e.set_address(absl::StrCat("浙江省", region, "测试路", serial % 1000, "号"));
      e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
      const uint64_t share = Mix(static_cast<uint64_t>(serial)) % 1000;
      v1::RiskScore score;
      score.set_credit_code(e.credit_code());
      score.set_risk_class(static_cast<v1::RiskClass>(share < 600 ? 1 : share < 900 ? 2
                                                                       : share < 980 ? 3
                                                                                     : 4));
      rows.Add(e.credit_code(), e.SerializeAsString());
      scores.Add(e.credit_code(), score.SerializeAsString());
      if (rows.size() >= 100000) REG_RETURN_IF_ERROR(flush());
    }
  }
  return flush();
}

// County inspectors sized for the seats at the workload cap (with 30% to spare, since the
// classes' draws fall unevenly on counties), plus a few city-level ones per city.
absl::StatusOr<int64_t> LoadRoster(storage::KvStore* store, int64_t enterprises, double ratio) {
  const double seats_per_county = 2.0 * ratio * static_cast<double>(enterprises) / kCounties;
  const int per_county = static_cast<int>(std::ceil(seats_per_county / kWorkloadCap * 1.3)) + 2;
  storage::WriteBatch batch;
  int64_t count = 0;
  auto add = [&](const std::string& id, const std::string& region) {
    v1::Inspector i;
    i.set_inspector_id(id);
    i.set_name("检查员");
    i.set_department("samr");
    i.set_region_code(region);
    i.set_certificate_number(absl::StrCat("ZJ", id));
    *i.mutable_certificate_valid_until() = services::ToProtoDate(absl::CivilDay(2029, 12, 31));
    i.set_work_phone("0571-00000000");
    i.set_status(v1::INSPECTOR_STATUS_ACTIVE);
    batch.Put(ColumnFamily::kInspectors, id, i.SerializeAsString());
    ++count;
  };
  for (int county = 0; county < kCounties; ++county) {
    for (int k = 0; k < per_county; ++k) {
      add(absl::StrFormat("ZJ-%s-%04d", CountyCode(county), k), CountyCode(county));
    }
  }
  for (int city = 0; city < kCities; ++city) {
    const std::string region = absl::StrFormat("33%02d00", city + 1);
    for (int k = 0; k < kCityInspectorsPerCity; ++k) {
      add(absl::StrFormat("ZJ-%s-%04d", region, k), region);
    }
  }
  REG_RETURN_IF_ERROR(store->Write(batch));
  return count;
}

// Streams `desk`'s export of the plan's frozen inputs into the two files.
absl::Status ExportInputs(services::DrawDesk& desk, const std::string& plan_id,
                          const std::string& population_path, const std::string& roster_path) {
  std::ofstream population(population_path, std::ios::binary | std::ios::trunc);
  std::ofstream roster(roster_path, std::ios::binary | std::ios::trunc);
  v1::ExportDrawInputsRequest request;
  request.set_plan_id(plan_id);
  REG_RETURN_IF_ERROR(desk.ExportInputs(AgencyCaller(), request,
                                        [&](const v1::DrawInputsChunk& chunk) {
                                          roster << chunk.roster_json();
                                          population << chunk.population_csv();
                                          return static_cast<bool>(population && roster);
                                        }));
  population.close();
  roster.close();
  if (!population || !roster) return absl::InternalError("cannot write the exported inputs");
  return absl::OkStatus();
}

// Streams the round's bundle part by part into "<dir>/draw-<plan>-0.json" (the manifest)
// and its parts beside it, checking each part as it comes.
absl::StatusOr<std::string> ExportBundle(services::DrawDesk& desk, const v1::Draw& draw,
                                         const std::string& dir) {
  const std::string stem = absl::StrCat("draw-", draw.plan_id(), "-0");
  scheduler::BundleManifest manifest;
  manifest.bundle_digest = draw.bundle_digest();
  v1::GetDrawBundleRequest request;
  request.set_plan_id(draw.plan_id());
  absl::Status written = absl::OkStatus();
  REG_RETURN_IF_ERROR(desk.StreamBundle(AgencyCaller(), request, [&](const v1::DrawBundlePart& p) {
    manifest.part_bytes = p.part_bytes();
    manifest.bundle_bytes += static_cast<int64_t>(p.data().size());
    scheduler::BundlePart& part = manifest.parts.emplace_back();
    part.file = scheduler::PartFileName(stem, p.index());
    part.bytes = static_cast<int64_t>(p.data().size());
    part.sha256 = Sha256Hex(p.data());
    written = WriteFileAtomically(absl::StrCat(dir, "/", part.file), p.data(), {0644, false});
    return written.ok();
  }));
  REG_RETURN_IF_ERROR(written);
  const std::string path = absl::StrCat(dir, "/", stem, ".json");
  REG_RETURN_IF_ERROR(WriteFileAtomically(path, scheduler::WriteManifestJson(manifest)));
  return path;
}

}  // namespace

void ResetPeakRss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}
double PeakRssMb() {
  absl::StatusOr<std::string> status = ReadWholeFile("/proc/self/status");
  if (!status.ok()) return -1;
  const size_t at = status->find("VmHWM:");
  if (at == std::string::npos) return -1;
  int64_t kb = 0;
  const size_t end = status->find(" kB", at);
  std::string digits = status->substr(at + 6, end - at - 6);
  digits.erase(0, digits.find_first_not_of(" \t"));
  return absl::SimpleAtoi(digits, &kb) ? kb / 1024.0 : -1;
}

absl::StatusOr<BigPlanResult> RunBigPlan(const BigPlanOptions& options) {
  BigPlanResult result;
  REG_RETURN_IF_ERROR(MakeDirectories(options.dir));
  storage::RocksDbOptions db_options;
  db_options.path = absl::StrCat(options.dir, "/db");
  REG_ASSIGN_OR_RETURN(std::unique_ptr<storage::KvStore> store,
                       storage::OpenRocksDbStore(db_options));

  // The server's objects, as regulatord wires them, over a fake clock.
  FakeClock clock(absl::FromCivil(absl::CivilSecond(2026, 12, 1, 9, 0, 0), absl::UTCTimeZone()));
  REG_ASSIGN_OR_RETURN(disclosure::SigningKey log_key,
                       disclosure::SigningKey::Generate("regulation.invalid/big-plan"));
  REG_ASSIGN_OR_RETURN(std::unique_ptr<disclosure::TransparencyLog> log,
                       disclosure::TransparencyLog::Open(store.get(), std::move(log_key)));
  std::unique_ptr<disclosure::LogWriter> writer = disclosure::WriterFor(log.get());
  REG_ASSIGN_OR_RETURN(std::unique_ptr<disclosure::PublicationQueue> publications,
                       disclosure::PublicationQueue::Open(store.get(), writer.get()));
  services::Roster roster(store.get(), &clock);
  services::PlanBook plans(store.get(), &roster, &clock);
  services::AssignmentBoard board(store.get());
  services::EntropyRegistry registry(store.get(), publications.get(), &clock);
  services::DrawDesk::Options desk_options;
  desk_options.draw_threads = options.draw_threads;
  services::DrawDesk desk(store.get(), &plans, &board, publications.get(), &registry, &clock,
                          desk_options);

  // 1. The province: enterprises, scores, roster, an item, a witness.
  auto start = std::chrono::steady_clock::now();
  REG_RETURN_IF_ERROR(LoadEnterprises(store.get(), options.enterprises));
  REG_ASSIGN_OR_RETURN(result.inspectors,
                       LoadRoster(store.get(), options.enterprises, options.ratio));
  v1::UpsertInspectionItemRequest item;
  item.mutable_item()->set_item_id("food-1");
  item.mutable_item()->set_department("samr");
  item.mutable_item()->set_title("食品经营许可情况检查");
  item.mutable_item()->set_legal_basis("《食品安全法》第一百一十条");
  item.mutable_item()->set_kind(v1::ITEM_KIND_KEY);
  REG_RETURN_IF_ERROR(roster.UpsertItem(AdminCaller(), item).status());
  const scheduler::entropy::WitnessKey witness = *scheduler::entropy::WitnessKey::FromPrivateBytes(
      scheduler::entropy::WitnessAlgorithm::kEd25519, std::string(32, '\x42'));
  v1::RegisterEntropySourceRequest source;
  source.mutable_source()->set_source_id(kWitness);
  source.mutable_source()->set_kind(v1::ENTROPY_SOURCE_KIND_WITNESS);
  source.mutable_source()->set_display_name("浙江省公证协会（测试）");
  source.mutable_source()->set_department(kWitness);
  source.mutable_source()->set_algorithm(
      std::string(scheduler::entropy::WitnessAlgorithmName(witness.algorithm())));
  source.mutable_source()->set_public_key_hex(witness.public_key().hex());
  REG_RETURN_IF_ERROR(registry.Register(AdminCaller(), source).status());
  result.load_s = Seconds(start);

  // 2. The plan: 5% of every class, teams of two, at most 40 targets an inspector.
  v1::CreatePlanRequest create;
  v1::Plan* p = create.mutable_plan();
  p->set_title("2027年浙江省市场监管双随机抽查（全省）");
  p->add_departments("samr");
  p->add_item_ids("food-1");
  p->mutable_population()->set_region_prefix("33");
  for (int c = 1; c <= 4; ++c) {
    v1::ClassQuota* q = p->add_quotas();
    q->set_risk_class(static_cast<v1::RiskClass>(c));
    q->set_ratio(options.ratio);
  }
  p->set_team_size(2);
  p->set_workload_cap(kWorkloadCap);
  *p->mutable_due_date() = services::ToProtoDate(absl::CivilDay(2027, 12, 31));
  REG_ASSIGN_OR_RETURN(const v1::Plan plan, plans.Create(AgencyCaller(), create));

  ResetPeakRss();
  start = std::chrono::steady_clock::now();
  v1::CommitPlanRequest commit;
  commit.set_plan_id(plan.plan_id());
  commit.add_entropy_sources()->set_source_id(kWitness);
  REG_ASSIGN_OR_RETURN(*commit.mutable_nonce_commitment(), scheduler::NonceCommitment(kNonce));
  REG_ASSIGN_OR_RETURN(const v1::Commitment commitment, desk.Commit(AgencyCaller(), commit));
  result.commit_s = Seconds(start);
  result.commit_peak_mb = PeakRssMb();
  for (const auto& [letter, size] : commitment.class_sizes()) result.population += size;

  // 3. The draw, with the witness's statement made after the minimum delay.
  clock.Advance(desk_options.min_entropy_delay + absl::Seconds(1));
  scheduler::entropy::WitnessStatement s;
  s.source_id = kWitness;
  s.plan_id = plan.plan_id();
  s.round = 0;
  s.commitment = commitment.commitment_digest();
  s.value = Sha256Hex("big-plan witness value");
  s.signed_at = absl::FromUnixSeconds(absl::ToUnixSeconds(clock.Now()));
  REG_ASSIGN_OR_RETURN(const scheduler::entropy::SignedWitnessStatement signed_statement,
                       scheduler::entropy::SignWitnessStatement(witness, s));
  v1::DrawPlanRequest draw_request;
  draw_request.set_plan_id(plan.plan_id());
  draw_request.set_nonce(kNonce);
  v1::EntropyStatement* statement = draw_request.add_statements();
  statement->set_source_id(kWitness);
  statement->mutable_witness()->set_statement(signed_statement.text);
  statement->mutable_witness()->set_signature_hex(signed_statement.signature_hex);
  ResetPeakRss();
  start = std::chrono::steady_clock::now();
  REG_ASSIGN_OR_RETURN(const v1::Draw draw, desk.Draw(AgencyCaller(), draw_request));
  result.draw_s = Seconds(start);
  result.draw_peak_mb = PeakRssMb();
  result.targets = draw.target_count();
  result.unstaffed = draw.unstaffed_count();
  result.bundle_bytes = draw.bundle_parts_size() > 0
                            ? draw.bundle_bytes()
                            : static_cast<int64_t>(draw.bundle_json().size());
  result.bundle_parts = draw.bundle_parts_size();
  result.bundle_digest = draw.bundle_digest();
  {
    std::unique_ptr<storage::Iterator> it = store->NewIterator(
        ColumnFamily::kAssignments, storage::PrefixBounds(absl::StrCat("p/", plan.plan_id(), "/")));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++result.assignments;
    REG_RETURN_IF_ERROR(it->status());
  }

  // 4. The files an auditor verifies: the bundle in parts, the frozen population and roster.
  start = std::chrono::steady_clock::now();
  REG_ASSIGN_OR_RETURN(result.manifest_path, ExportBundle(desk, draw, options.dir));
  result.population_path = absl::StrCat(options.dir, "/population.csv");
  result.roster_path = absl::StrCat(options.dir, "/roster.json");
  REG_RETURN_IF_ERROR(
      ExportInputs(desk, plan.plan_id(), result.population_path, result.roster_path));
  result.export_s = Seconds(start);
  return result;
}

}  // namespace regulation::bench
