// Fuzz target: a DRAW record's bundle as a site publishes it, as `regctl verify-log`
// checks it (disclosure/site/published_bundle.h). The input is what a hostile site serves:
// the file at the bundle's path (before the first NUL byte) and, for every part a
// manifest names, the bytes after it. The record names what the manifest says when it
// parses (so that a matching site is reachable), else the digest of the whole file.
// Checks:
//   - ParseManifestJson accepts only the canonical form (written back byte for byte);
//   - CheckPublishedBundle answers OK or DATA_LOSS, never another code;
//   - OK only when ReadPublishedBundle gives bytes hashing to the record's bundle_digest;
//   - a record naming one part digest too many is never satisfied by a manifest.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"
#include "disclosure/site/published_bundle.h"
#include "scheduler/bundle_parts.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string file(input.substr(0, nul));
  const std::string part(nul == absl::string_view::npos ? "" : input.substr(nul + 1));

  v1::PublicDraw draw;
  draw.set_plan_id("P20261206-0001");
  const absl::StatusOr<scheduler::BundleManifest> manifest = scheduler::ParseManifestJson(file);
  if (manifest.ok()) {
    FUZZ_CHECK(scheduler::WriteManifestJson(*manifest) == file)
        << "a parsed manifest is not written back the same";
    draw.set_bundle_digest(manifest->bundle_digest);
    draw.set_bundle_part_bytes(manifest->part_bytes);
    for (const scheduler::BundlePart& p : manifest->parts) draw.add_bundle_part_digests(p.sha256);
  } else {
    FUZZ_CHECK(manifest.status().code() == absl::StatusCode::kDataLoss) << manifest.status();
    draw.set_bundle_digest(Sha256Hex(file));
  }
  const std::string bundle_path = "draws/P20261206-0001/0.json";
  const disclosure::site::SiteFileReader read =
      [&](const std::string& path) -> absl::StatusOr<std::string> {
    if (path == bundle_path) return file;
    if (path.rfind("draws/P20261206-0001/", 0) == 0) return part;
    return absl::NotFoundError(path);
  };

  const absl::Status checked = disclosure::site::CheckPublishedBundle(draw, read);
  FUZZ_CHECK(checked.ok() || checked.code() == absl::StatusCode::kDataLoss) << checked;
  if (checked.ok()) {
    const absl::StatusOr<std::string> bundle = disclosure::site::ReadPublishedBundle(draw, read);
    FUZZ_CHECK(bundle.ok()) << bundle.status();
    FUZZ_CHECK(Sha256Hex(*bundle) == draw.bundle_digest()) << "accepted another bundle";
  }
  if (manifest.ok()) {
    draw.add_bundle_part_digests(Sha256Hex(part));
    FUZZ_CHECK(!disclosure::site::CheckPublishedBundle(draw, read).ok())
        << "a manifest passed for a record naming more parts than it lists";
  }
  return 0;
}
