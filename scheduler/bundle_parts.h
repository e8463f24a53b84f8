#ifndef SCHEDULER_BUNDLE_PARTS_H_
#define SCHEDULER_BUNDLE_PARTS_H_

// A large draw bundle published as parts (docs/draw-spec.md §9.4): the canonical bundle's
// bytes cut into parts of `part_bytes` each (the last one shorter), plus a manifest that
// lists every part's size and SHA-256 and the whole bundle's digest. The parts joined are
// the bundle, byte for byte, so the bundle digest (the one the DRAW log record commits
// to) does not change with the cut, and a verifier checks each part and the whole.
//
//   BundleManifest m = ManifestOf(bundle_json, kDefaultBundlePartBytes, "draw-P1-0");
//   WriteFile("draw-P1-0.json", WriteManifestJson(m));            // the manifest
//   for (size_t i = 0; i < m.parts.size(); ++i)                      // and its parts
//     WriteFile(m.parts[i].file, PartOf(bundle_json, m.part_bytes, i));
//   absl::StatusOr<std::string> bundle = ReadBundleFile("draw-P1-0.json");  // joined
//
// The cut is fixed by `part_bytes` alone: anyone holding the bundle recomputes the same
// parts and digests. A bundle of at most `part_bytes` is one part; a plain bundle file
// (no manifest) stays readable everywhere a manifest is.
//
// Thread safety: value types and stateless functions.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler {

inline constexpr char kBundlePartsSpec[] = "regulation.draw-parts.v1";
// 1 MiB: a part fits in one gRPC message and one RocksDB value with room to spare.
inline constexpr int64_t kDefaultBundlePartBytes = int64_t{1} << 20;
// Bounds a manifest accepts.
inline constexpr int64_t kMinBundlePartBytes = 1024;
inline constexpr int64_t kMaxBundlePartBytes = int64_t{64} << 20;
inline constexpr int64_t kMaxBundleParts = 100000;

struct BundlePart {
  // The part's file name, in the manifest's directory: letters, digits, '.', '_' and '-'
  // only, not starting with '.'.
  std::string file;
  int64_t bytes = 0;
  // Lowercase hex SHA-256 of the part's bytes.
  std::string sha256;
};

struct BundleManifest {
  std::string spec = kBundlePartsSpec;
  // Lowercase hex SHA-256 of the whole bundle (the parts joined in order).
  std::string bundle_digest;
  int64_t bundle_bytes = 0;
  // Every part but the last has exactly this many bytes; the last 1..part_bytes.
  int64_t part_bytes = kDefaultBundlePartBytes;
  std::vector<BundlePart> parts;
};

// How many parts a bundle of `bundle_bytes` has (at least 1). REQUIRES: part_bytes > 0.
int64_t PartCount(int64_t bundle_bytes, int64_t part_bytes);
// Part `index` of `bundle`. REQUIRES: index < PartCount(bundle.size(), part_bytes).
absl::string_view PartOf(absl::string_view bundle, int64_t part_bytes, int64_t index);
// "<stem>.<index, 5 digits from 1>.part", e.g. "draw-P1-0.00001.part".
std::string PartFileName(absl::string_view stem, int64_t index);

// The manifest of `bundle` cut into parts of `part_bytes`, named after `stem`.
BundleManifest ManifestOf(absl::string_view bundle, int64_t part_bytes, absl::string_view stem);

// Canonical JSON (draw-spec §9.1 rules): {"spec","bundle_digest","bundle_bytes",
// "part_bytes","parts":[{"file","bytes","sha256"},...]}.
std::string WriteManifestJson(const BundleManifest& manifest);
// DATA_LOSS "manifest: <where>: <what>" for anything WriteManifestJson would not write or
// a manifest whose sizes do not add up (a part size against part_bytes, the sum against
// bundle_bytes, a part count over kMaxBundleParts, a file name not allowed).
absl::StatusOr<BundleManifest> ParseManifestJson(absl::string_view json);
// Whether `text` is meant as a manifest (starts with its spec member), not a bundle.
bool LooksLikeManifest(absl::string_view text);

// Reads the parts in order with `read_part` and joins them, checking each part's size and
// SHA-256 and the whole digest. DATA_LOSS naming the part ("manifest: part 3 (f.00003.part):
// SHA-256 is ..., the manifest says ...") or the whole; `read_part`'s errors as they are.
absl::StatusOr<std::string> JoinBundleParts(
    const BundleManifest& manifest,
    const std::function<absl::StatusOr<std::string>(const BundlePart&)>& read_part);

// The bundle a file holds: the file itself when it is a bundle, or, when it is a
// manifest, its parts read from the manifest's directory and joined (checked as
// JoinBundleParts does); `manifest` (optional) then receives the manifest. Errors as
// ReadWholeFile, ParseManifestJson, JoinBundleParts.
absl::StatusOr<std::string> ReadBundleFile(const std::string& path,
                                           BundleManifest* manifest = nullptr);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_BUNDLE_PARTS_H_
