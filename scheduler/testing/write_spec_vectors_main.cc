// Writes the test vectors of docs/draw-spec.md §12 into --out (scheduler/testdata): each
// round's statements (what the Python reference reads) and bundle (what it must
// reproduce byte for byte). The witness statements are Ed25519 signatures by a key from a
// fixed seed at fixed times, so they come out the same on every run. The beacon's
// certificate and pulse are read from --out; --new_beacon makes a new test beacon first
// (a new RSA key: every vector that depends on the pulse changes).

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "scheduler/draw.h"
#include "scheduler/entropy/test_beacon.h"
#include "scheduler/entropy_statement.h"
#include "scheduler/testing/draw_fixtures.h"

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
  std::string statements0, statements1;
  AppendStatementsJson(&statements0, inputs0.statements);
  AppendStatementsJson(&statements1, inputs1.statements);
  const bool ok = Write(out, "spec_statements_round0.json", statements0 + "\n") &&
                  Write(out, "spec_statements_round1.json", statements1 + "\n") &&
                  Write(out, "spec_bundle_round0.json", round0->bundle_json) &&
                  Write(out, "spec_bundle_round1.json", round1->bundle_json);
  std::printf("round 0: commitment %s, seed %s, bundle %s\n", inputs0.commitment.digest.c_str(),
              round0->bundle.seed.c_str(), round0->bundle_digest.c_str());
  std::printf("round 1: commitment %s, seed %s, bundle %s\n", inputs1.commitment.digest.c_str(),
              round1->bundle.seed.c_str(), round1->bundle_digest.c_str());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace regulation::scheduler::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::scheduler::testing::Main(absl::GetFlag(FLAGS_out),
                                              absl::GetFlag(FLAGS_new_beacon));
}
