#include "scheduler/testing/draw_fixtures.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/sha256.h"
#include "scheduler/canonical_time.h"
#include "scheduler/entropy/beacon_certificate.h"
#include "scheduler/population_csv.h"
#include "scheduler/roster_json.h"
#include "scheduler/seed.h"

namespace regulation::scheduler::testing {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::fprintf(stderr, "draw_fixtures: %s\n", value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

// The 32 bytes of SHA-256(text).
std::string Sha256Bytes(absl::string_view text) { return absl::HexStringToBytes(Sha256Hex(text)); }

}  // namespace

std::string WithCheckCharacter(absl::string_view first17) {
  return absl::StrCat(first17, std::string(1, CreditCodeCheckCharacter(first17)));
}

std::string TestCreditCode(int64_t serial, absl::string_view region) {
  return WithCheckCharacter(absl::StrFormat("91%s%08d0", region, serial));
}

FrozenPopulation TestPopulation(int64_t size, const std::vector<std::string>& regions) {
  static constexpr int kClasses[] = {1, 1, 2, 3, 4};
  FrozenPopulation population;
  for (int64_t i = 0; i < size; ++i) {
    const std::string& region = regions[i % regions.size()];
    absl::Status status = population.Add(TestCreditCode(i, region), kClasses[i % 5], region);
    if (!status.ok()) std::abort();
  }
  if (!population.Freeze().ok()) std::abort();
  return population;
}

std::string& TestDataDir() {
  static std::string* dir = new std::string();
  return *dir;
}

void SetTestDataDirForTesting(std::string dir) { TestDataDir() = std::move(dir); }

std::string ReadTestData(absl::string_view name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string path =
      !TestDataDir().empty()
          ? absl::StrCat(TestDataDir(), "/", name)
          : absl::StrCat(srcdir != nullptr ? srcdir : ".", "/regulation/scheduler/testdata/", name);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::fprintf(stderr, "draw_fixtures: cannot open %s\n", path.c_str());
    std::abort();
  }
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

PlanSpec SpecPlan() {
  PlanSpec plan;
  plan.plan_id = "PLAN-2026-HZ-007";
  plan.departments = {"市场监管局", "消防救援"};
  plan.items = {
      {"XF-001", "消防救援", "消防监督"},
      {"SC-002", "市场监管局", ""},
      {"SC-001", "市场监管局", "食品安全"},
  };
  plan.quotas = {ClassQuota::RatioPpm(100000), ClassQuota::RatioPpm(250000), ClassQuota::Count(3),
                 ClassQuota::Count(100)};
  plan.team_size = 3;
  plan.workload_cap = 3;
  plan.due_date = "2026-12-31";
  return plan;
}

FrozenPopulation SpecPopulation() {
  return OrDie(ParsePopulationCsv(ReadTestData("spec_population.csv")));
}

FrozenRoster SpecRoster() { return OrDie(ParseRosterJson(ReadTestData("spec_roster.json"))); }

absl::Time SpecTime(absl::string_view canonical) {
  return OrDie(ParseCanonicalTime("time", canonical));
}

entropy::WitnessKey SpecWitnessKey() {
  const std::string seed = Sha256Bytes("regulation.draw.v2 spec witness key");
  return OrDie(entropy::WitnessKey::FromPrivateBytes(entropy::WitnessAlgorithm::kEd25519, seed));
}

CommittedSource SpecWitnessSource() {
  CommittedSource s;
  s.source_id = "notary-xihu";
  s.kind = SourceKind::kWitness;
  s.department = "西湖公证处";
  s.algorithm = kEd25519;
  s.public_key = SpecWitnessKey().public_key().hex();
  return s;
}

CommittedSource SpecBeaconSource(absl::string_view pulse_time) {
  CommittedSource s;
  s.source_id = "test-beacon";
  s.kind = SourceKind::kBeacon;
  s.department = "";
  s.algorithm = kRsaPkcs1Sha512;
  s.certificate_pem = ReadTestData("spec_beacon_certificate.pem");
  const entropy::BeaconCertificate certificate =
      OrDie(entropy::BeaconCertificate::FromPem(s.certificate_pem));
  s.rsa_modulus = certificate.modulus_hex();
  s.rsa_exponent = certificate.exponent_hex();
  s.pulse_time = std::string(pulse_time);
  return s;
}

CommittedSource SpecLotterySource() {
  CommittedSource s;
  s.source_id = "zj-lottery";
  s.kind = SourceKind::kUnchecked;
  s.department = "浙江省福利彩票发行中心";
  return s;
}

EntropyStatement SignStatement(const entropy::WitnessKey& key, absl::string_view source_id,
                               const DrawInputs& inputs, absl::string_view value,
                               absl::Time signed_at, std::vector<entropy::AttestedValue> attested) {
  entropy::WitnessStatement statement;
  statement.source_id = std::string(source_id);
  statement.plan_id = inputs.plan.plan_id;
  statement.round = inputs.round;
  statement.commitment = inputs.commitment.digest;
  statement.value = std::string(value);
  statement.signed_at = signed_at;
  statement.attested = std::move(attested);
  const entropy::SignedWitnessStatement signed_statement =
      OrDie(entropy::SignWitnessStatement(key, statement));
  EntropyStatement out;
  out.source_id = std::string(source_id);
  out.evidence = EntropyStatement::Evidence::kWitness;
  out.text = signed_statement.text;
  out.signature_hex = signed_statement.signature_hex;
  return out;
}

void SealCommitment(DrawInputs* inputs) {
  inputs->commitment.digest = OrDie(CommitmentDigest(ScopeOf(*inputs), inputs->commitment));
}

void ResealSpecInputs(DrawInputs* inputs) {
  SealCommitment(inputs);
  for (EntropyStatement& statement : inputs->statements) {
    if (statement.evidence != EntropyStatement::Evidence::kWitness) continue;
    const entropy::WitnessStatement old = OrDie(entropy::ParseWitnessStatementText(statement.text));
    statement = SignStatement(SpecWitnessKey(), old.source_id, *inputs, old.value, old.signed_at,
                              old.attested);
  }
}

DrawInputs SpecRound0Inputs() {
  DrawInputs inputs;
  inputs.plan = SpecPlan();
  inputs.plan_digest = OrDie(PlanDigest(inputs.plan));
  inputs.population = SpecPopulation().Digests();
  inputs.roster_digest = OrDie(RosterDigest(SpecRoster()));
  inputs.nonce_hex = "5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd";
  inputs.round = 0;
  RoundCommitment& c = inputs.commitment;
  c.kind = RoundKind::kDraw;
  c.nonce_commitment = "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f";
  c.committed_at = "2026-03-01T02:00:00.000000Z";
  c.min_entropy_delay_seconds = 600;
  c.sources = {SpecWitnessSource(), SpecBeaconSource(kSpecPulseTime), SpecLotterySource()};
  SealCommitment(&inputs);
  const std::string lottery = "07 12 19 23 31 + 05";
  EntropyStatement pulse;
  pulse.source_id = "test-beacon";
  pulse.evidence = EntropyStatement::Evidence::kBeaconPulse;
  pulse.text = ReadTestData("spec_beacon_pulse.json");
  EntropyStatement drawn;
  drawn.source_id = "zj-lottery";
  drawn.evidence = EntropyStatement::Evidence::kUncheckedValue;
  drawn.text = lottery;
  inputs.statements = {
      SignStatement(SpecWitnessKey(), "notary-xihu", inputs,
                    Sha256Hex("regulation.draw.v2 spec witness value, round 0"),
                    SpecTime("2026-03-01T02:11:00.000000Z"), {{"zj-lottery", lottery}}),
      pulse, drawn};
  return inputs;
}

DrawInputs SpecRound1Inputs(const DrawResult& round0) {
  DrawInputs inputs = SpecRound0Inputs();
  inputs.round = 1;
  inputs.nonce_hex = "c3a1f0e2d4b6987a5c3e1f0d2b4a6987a5c3e1f0d2b4a6987a5c3e1f0d2b4a69";
  RoundCommitment& c = inputs.commitment;
  c.kind = RoundKind::kReplace;
  c.nonce_commitment = OrDie(NonceCommitment(inputs.nonce_hex));
  c.committed_at = "2026-03-09T01:00:00.000000Z";
  c.min_entropy_delay_seconds = 600;
  c.sources = {SpecWitnessSource(), SpecLotterySource()};
  ReplacementRound& r = inputs.replacement.emplace();
  r.previous_bundle_digest = round0.bundle_digest;
  // One target each of classes A, B and D cannot be inspected.
  std::map<int, std::string> replaced;
  for (size_t i = 0; i < round0.bundle.targets.size(); ++i) {
    const int risk_class = round0.target_classes[i];
    if (risk_class != 3 && replaced.count(risk_class) == 0) {
      replaced[risk_class] = round0.bundle.targets[i].credit_code;
    }
  }
  for (const auto& [risk_class, code] : replaced) r.named.push_back(code);
  r.counts = {1, 1, 0, 1};
  for (const BundleTarget& target : round0.bundle.targets) r.excluded.push_back(target.credit_code);
  r.excluded.push_back("91330106000179191U");
  r.prior_workload = round0.workload;
  SealCommitment(&inputs);
  const std::string lottery = "round-2 witnessed lottery: 07 19 23 31 42";
  EntropyStatement drawn;
  drawn.source_id = "zj-lottery";
  drawn.evidence = EntropyStatement::Evidence::kUncheckedValue;
  drawn.text = lottery;
  inputs.statements = {
      SignStatement(SpecWitnessKey(), "notary-xihu", inputs,
                    Sha256Hex("regulation.draw.v2 spec witness value, round 1"),
                    SpecTime("2026-03-09T01:20:00.000000Z"), {{"zj-lottery", lottery}}),
      drawn};
  return inputs;
}

}  // namespace regulation::scheduler::testing
