// Fuzz target: the public draw bundle as an auditor's verifier reads it
// (scheduler/draw_bundle.h, verify_draw.h). Checks:
//   - ParseBundleJson accepts only the canonical form: a parsed bundle written again is
//     the input, byte for byte; anything else is DATA_LOSS;
//   - VerifyDraw on any input answers OK or DATA_LOSS (no population or roster is given,
//     so never FAILED_PRECONDITION), and OK only for a bundle that parses;
//   - VerifyOwnTicket, for the bundle's first target and for a code that is not in it,
//     answers OK, DATA_LOSS (the bundle) or INVALID_ARGUMENT, and is consistent with
//     VerifyDraw: when the bundle verifies, a listed target is found listed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "scheduler/draw_bundle.h"
#include "scheduler/verify_draw.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation::scheduler;
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<DrawBundle> bundle = ParseBundleJson(json);
  if (bundle.ok()) {
    FUZZ_CHECK(WriteBundleJson(*bundle) == json) << "a parsed bundle is not written back the same";
  } else {
    FUZZ_CHECK(bundle.status().code() == absl::StatusCode::kDataLoss) << bundle.status();
  }

  VerifySummary summary;
  const absl::Status verified = VerifyDraw(json, std::nullopt, std::nullopt, &summary);
  FUZZ_CHECK(verified.ok() || verified.code() == absl::StatusCode::kDataLoss) << verified;
  if (!bundle.ok()) {
    FUZZ_CHECK(!verified.ok()) << "an unparsable bundle verified";
    return 0;
  }
  if (verified.ok()) {
    FUZZ_CHECK(summary.targets == static_cast<int64_t>(bundle->targets.size()));
    FUZZ_CHECK(summary.round == bundle->round);
  }

  const std::string listed =
      bundle->targets.empty() ? "91330106000654337W" : bundle->targets.front().credit_code;
  for (int risk_class = 0; risk_class <= 4; risk_class += 4) {
    const absl::StatusOr<OwnTicketCheck> own = VerifyOwnTicket(json, listed, risk_class);
    if (!own.ok()) {
      FUZZ_CHECK(own.status().code() == absl::StatusCode::kDataLoss ||
                 own.status().code() == absl::StatusCode::kInvalidArgument)
          << own.status();
      FUZZ_CHECK(!verified.ok() || own.status().code() == absl::StatusCode::kInvalidArgument)
          << "VerifyDraw accepts what VerifyOwnTicket refuses: " << own.status();
      continue;
    }
    FUZZ_CHECK(verified.ok()) << "VerifyOwnTicket accepts what VerifyDraw refuses: " << verified;
    if (!bundle->targets.empty()) FUZZ_CHECK(own->listed) << own->explanation;
  }
  return 0;
}
