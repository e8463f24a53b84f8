#ifndef DISCLOSURE_SITE_SITE_PATHS_H_
#define DISCLOSURE_SITE_SITE_PATHS_H_

// Every path of the public site, relative to its root (docs/disclosure.md, "Site
// layout"). Paths are the same bytes as the URLs that name them: each component built
// from data (credit codes, plan ids) goes through SafePathComponent, so no escaping is
// needed in links, and no component can climb out of its folder.
//
// assets/paths.js repeats SafePathComponent and the page paths; keep them in step.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation::disclosure::site {

inline constexpr char kHomePage[] = "index.html";
inline constexpr char kSearchPage[] = "search.html";
inline constexpr char kPlansPage[] = "plans.html";
inline constexpr char kDownloadsPage[] = "downloads.html";
inline constexpr char kVerifyPage[] = "verify.html";
inline constexpr char kFeedPath[] = "feed.xml";
inline constexpr char kStatePath[] = "site-state.json";
inline constexpr char kCheckpointPath[] = "checkpoint";
inline constexpr char kVerifierKeyPath[] = "verifier.key";
// Where a run stages the log's files before checking them; never served content.
inline constexpr char kStagingDir[] = ".publish-staging";

// Records are grouped a thousand to a folder.
inline constexpr int64_t kRecordsPerFolder = 1000;
// Results downloads: one chunk per this many log indices (old chunks never change).
inline constexpr int64_t kDownloadChunkSize = 4096;

// Bytes [A-Za-z0-9_-] and '.' (not first) as they are; every other byte as "~XX"
// (uppercase hex). Injective; never empty ("~" for an empty string).
std::string SafePathComponent(absl::string_view s);

// "record/<index / 1000>/<index>.html", ".json" (the body the leaf commits to, byte for
// byte) and ".salt" (its salt, 64 lowercase hex digits and a line feed). A withdrawn
// record has no .json or .salt.
std::string RecordPagePath(int64_t index);
std::string RecordBodyPath(int64_t index);
std::string RecordSaltPath(int64_t index);
// "enterprise/<code>.html" and ".json" (the list of its record indices).
std::string EnterprisePagePath(absl::string_view credit_code);
std::string EnterpriseDataPath(absl::string_view credit_code);
// "plan/<plan>.html" and ".json" (the indices of its commitment and draws).
std::string PlanPagePath(absl::string_view plan_id);
std::string PlanDataPath(absl::string_view plan_id);
// "draws/<plan>/<round>.json": the draw bundle, byte for byte.
std::string BundlePath(absl::string_view plan_id, int64_t round);
// Search index shards: `shard` is "ab/cd" (search_index.h, ShardOf).
std::string CodeShardPath(absl::string_view shard);
std::string NameShardPath(absl::string_view shard);
// "downloads/results-<chunk, 6 digits>.json" / ".csv".
std::string DownloadJsonPath(int64_t chunk);
std::string DownloadCsvPath(int64_t chunk);

// "../" once per folder in `path`: the site root as seen from the page at `path`.
std::string RootPrefix(absl::string_view path);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_PATHS_H_
