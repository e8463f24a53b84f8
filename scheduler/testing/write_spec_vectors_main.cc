// Writes the test vectors of docs/draw-spec.md §12 into --out (scheduler/testdata): each
// round's statements (what the Python reference reads) and bundle (what it must
// reproduce byte for byte), the source registry as published, and a negative vector: round
// 1 drawn again with round 0's nonce (v1's example did that), which only the chain check
// refuses. The witness statements are Ed25519 signatures by a key from a
// fixed seed at fixed times, so they come out the same on every run. The beacon's
// certificate and pulse are read from --out; --new_beacon makes a new test beacon first
// (a new RSA key: every vector that depends on the pulse changes). The policy vectors of
// §12.3 (policy_vectors.h) are written too.

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "scheduler/draw.h"
#include "scheduler/entropy/test_beacon.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/json.h"
#include "scheduler/round_commitment.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/testing/policy_vectors.h"

ABSL_FLAG(std::string, out, "", "the directory to write into (scheduler/testdata)");
ABSL_FLAG(bool, new_beacon, false, "create a new test beacon certificate and pulse first");

namespace regulation::scheduler::testing {
namespace {

bool Write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = absl::StrCat(dir, "/", name);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || std::fwrite(text.data(), 1, text.size(), file) != text.size() ||
      std::fclose(file) != 0) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return false;
  }
  std::printf("wrote %s (%zu bytes)\n", path.c_str(), text.size());
  return true;
}

// The spec's sources as the registry publishes them (RegisteredEntropySource, JSON with
// the .proto's field names), registered on 2026-01-05.
std::string Registry() {
  std::string out = "[";
  const CommittedSource sources[] = {SpecWitnessSource(), SpecBeaconSource(""),
                                     SpecLotterySource()};
  const char* kinds[] = {"ENTROPY_SOURCE_KIND_WITNESS", "ENTROPY_SOURCE_KIND_BEACON",
                         "ENTROPY_SOURCE_KIND_UNCHECKED"};
  const char* names[] = {"杭州市西湖公证处", "test beacon (regulation.draw.v2 vectors)",
                         "浙江福利彩票 televised draw"};
  for (int i = 0; i < 3; ++i) {
    const CommittedSource& s = sources[i];
    if (i > 0) out += ",";
    out += "\n {";
    auto member = [&](const char* key, const std::string& value, bool last = false) {
      absl::StrAppend(&out, "\"", key, "\": ");
      AppendJsonString(&out, value);
      if (!last) out += ", ";
    };
    member("source_id", s.source_id);
    member("kind", kinds[i]);
    member("display_name", names[i]);
    if (!s.department.empty()) member("department", s.department);
    if (!s.algorithm.empty()) member("algorithm", s.algorithm);
    if (!s.public_key.empty()) member("public_key_hex", s.public_key);
    if (!s.certificate_pem.empty()) {
      member("certificate_pem", s.certificate_pem);
      member("rsa_modulus_hex", s.rsa_modulus);
      member("rsa_exponent_hex", s.rsa_exponent);
      out += "\"period_seconds\": 60, ";
    }
    if (s.kind == SourceKind::kUnchecked) member("description", "televised lottery, 20:00");
    member("register_time", "2026-01-05T00:00:00Z", /*last=*/true);
    out += "}";
  }
  return out + "\n]\n";
}

absl::StatusOr<DrawResult> Run(const DrawInputs& inputs) {
  const FrozenPopulation population = SpecPopulation();
  FrozenPopulationSource source(&population);
  return RunDraw(inputs, source, SpecRoster());
}

int Main(const std::string& out, bool new_beacon) {
  if (out.empty()) {
    std::fprintf(stderr, "usage: write_spec_vectors --out=DIR [--new_beacon]\n");
    return 2;
  }
  if (new_beacon) {
    absl::StatusOr<entropy::TestBeacon> beacon = entropy::TestBeacon::Create();
    if (!beacon.ok()) {
      std::fprintf(stderr, "%s\n", beacon.status().ToString().c_str());
      return 1;
    }
    absl::StatusOr<std::string> pulse = beacon->EmitPulse(SpecTime(kSpecPulseTime));
    if (!pulse.ok()) {
      std::fprintf(stderr, "%s\n", pulse.status().ToString().c_str());
      return 1;
    }
    if (!Write(out, "spec_beacon_certificate.pem", beacon->certificate_pem()) ||
        !Write(out, "spec_beacon_pulse.json", *pulse)) {
      return 1;
    }
  }
  SetTestDataDirForTesting(out);
  const DrawInputs inputs0 = SpecRound0Inputs();
  absl::StatusOr<DrawResult> round0 = Run(inputs0);
  if (!round0.ok()) {
    std::fprintf(stderr, "round 0: %s\n", round0.status().ToString().c_str());
    return 1;
  }
  const DrawInputs inputs1 = SpecRound1Inputs(*round0);
  absl::StatusOr<DrawResult> round1 = Run(inputs1);
  if (!round1.ok()) {
    std::fprintf(stderr, "round 1: %s\n", round1.status().ToString().c_str());
    return 1;
  }
  // Round 1 again, with round 0's nonce: consistent alone, refused by the chain check.
  DrawInputs reused = inputs1;
  reused.nonce_hex = inputs0.nonce_hex;
  reused.commitment.nonce_commitment = inputs0.commitment.nonce_commitment;
  ResealSpecInputs(&reused);
  absl::StatusOr<DrawResult> flawed = Run(reused);
  if (!flawed.ok()) {
    std::fprintf(stderr, "round 1, reused nonce: %s\n", flawed.status().ToString().c_str());
    return 1;
  }
  std::string statements0, statements1;
  AppendStatementsJson(&statements0, inputs0.statements);
  AppendStatementsJson(&statements1, inputs1.statements);
  const bool ok = Write(out, "spec_statements_round0.json", statements0 + "\n") &&
                  Write(out, "spec_statements_round1.json", statements1 + "\n") &&
                  Write(out, "spec_bundle_round0.json", round0->bundle_json) &&
                  Write(out, "spec_bundle_round1.json", round1->bundle_json) &&
                  Write(out, "spec_bundle_round1_reused_nonce.json", flawed->bundle_json) &&
                  Write(out, "spec_registry.json", Registry());
  // The policy vectors (§12.3).
  absl::StatusOr<std::vector<VectorFile>> policy = PolicyVectors();
  if (!policy.ok()) {
    std::fprintf(stderr, "policy vectors: %s\n", policy.status().ToString().c_str());
    return 1;
  }
  bool policy_ok = true;
  for (const VectorFile& file : *policy) policy_ok = Write(out, file.name, file.text) && policy_ok;
  std::printf("round 0: commitment %s, seed %s, bundle %s\n", inputs0.commitment.digest.c_str(),
              round0->bundle.seed.c_str(), round0->bundle_digest.c_str());
  std::printf("round 1: commitment %s, seed %s, bundle %s\n", inputs1.commitment.digest.c_str(),
              round1->bundle.seed.c_str(), round1->bundle_digest.c_str());
  return ok && policy_ok ? 0 : 1;
}

}  // namespace
}  // namespace regulation::scheduler::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::scheduler::testing::Main(absl::GetFlag(FLAGS_out),
                                              absl::GetFlag(FLAGS_new_beacon));
}
