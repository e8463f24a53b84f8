// Fuzz target: the roster file of `regctl verify-draw --roster` (scheduler/roster_json.h).
// Checks: ParseRosterJson answers a roster that ValidateRoster accepts, or
// INVALID_ARGUMENT "roster file: ..."; the canonical file of a parsed roster parses back
// to a roster with the same canonical file and the same digest.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "scheduler/roster.h"
#include "scheduler/roster_json.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation::scheduler;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<FrozenRoster> roster = ParseRosterJson(text);
  if (!roster.ok()) {
    FUZZ_CHECK(roster.status().code() == absl::StatusCode::kInvalidArgument) << roster.status();
    FUZZ_CHECK(absl::StartsWith(roster.status().message(), "roster file: ")) << roster.status();
    return 0;
  }
  const absl::Status valid = ValidateRoster(*roster);
  FUZZ_CHECK(valid.ok()) << valid;
  const std::string canonical = WriteRosterJson(*roster);
  const absl::StatusOr<FrozenRoster> again = ParseRosterJson(canonical);
  FUZZ_CHECK(again.ok()) << again.status() << "\n" << canonical;
  FUZZ_CHECK(WriteRosterJson(*again) == canonical) << "the canonical file is not stable";
  const absl::StatusOr<std::string> digest = RosterDigest(*roster);
  const absl::StatusOr<std::string> digest_again = RosterDigest(*again);
  FUZZ_CHECK(digest.ok() && digest_again.ok());
  FUZZ_CHECK(*digest == *digest_again) << "the canonical file changes the digest";
  return 0;
}
