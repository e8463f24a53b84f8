#ifndef DISCLOSURE_SITE_SITE_STATE_H_
#define DISCLOSURE_SITE_SITE_STATE_H_

// What the publisher remembers between runs, in the site itself (site-state.json): the
// tree size its pages and indexes were built for, counts, the latest results (home page
// and feed), the plans, and the download chunks. The published `checkpoint` is the
// commit point: a run starts from the checkpoint's size, and everything it adds is
// keyed by log index, so a run interrupted after writing this file (and before the
// checkpoint) is simply repeated by the next.
//
// Thread safety: value type and pure functions.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "disclosure/site/site_record.h"

namespace regulation::disclosure::site {

// The home page and the feed show this many of the latest results.
inline constexpr size_t kLatestResults = 50;

struct LatestResult {
  int64_t index = 0;
  std::string kind;
  std::string publish_time;
  std::string credit_code;
  std::string enterprise_name;
  std::string category;
  std::string category_label;
  std::string inspection_end_date;
  std::string findings;
  // The CORRECTION record that replaced this one, or -1: the home page marks it and
  // links the current record.
  int64_t superseded_by = -1;
  // The WITHDRAWAL record that withdrew its body, or -1. A withdrawn entry keeps only
  // what its leaf says (index, kind, publish time, the credit code): the fields above
  // that came from the body are cleared.
  int64_t withdrawn_by = -1;
};

struct PlanSummary {
  std::string plan_id;
  std::string title;
  std::string commit_time;
  // Draw rounds published (the highest round + 1).
  int64_t rounds = 0;
  std::string last_draw_time;
};

struct SiteState {
  // Records whose pages and indexes are built (counts cover exactly these).
  int64_t tree_size = 0;
  std::string origin;
  // By kind ("RESULT", ...), and "enterprises".
  std::map<std::string, int64_t> counts;
  // Newest first, at most kLatestResults.
  std::vector<LatestResult> latest;
  std::map<std::string, PlanSummary> plans;
  std::set<int64_t> download_chunks;
  // Withdrawn records: the withdrawn index -> the WITHDRAWAL record's index.
  std::map<int64_t, int64_t> withdrawn;
};

// The state file's format; a site of another format is refused.
inline constexpr int64_t kSiteStateFormat = 2;
// What the pages hold. A site whose state names an older version has its pages rebuilt
// from record 0 (as if its state were lost): version 2 gives drawn enterprises a page,
// marks superseded and withdrawn results on the home page, and shows local times and
// department names.
inline constexpr int64_t kSitePagesVersion = 2;

// An empty state for a missing file or pages older than kSitePagesVersion; INVALID_ARGUMENT when it is not a state file;
// FAILED_PRECONDITION for a site of another format (format 1: published from a log whose
// leaves were the records' JSON, which must be re-created).
absl::StatusOr<SiteState> ParseSiteState(const std::string* json);
std::string SerializeSiteState(const SiteState& state);

// Adds a record to the state: counts (only for index >= state.tree_size, so a repeated
// run does not count twice), the latest results, the plans; for a CORRECTION, the
// record it supersedes; for a WITHDRAWAL, the withdrawn record (its latest-results entry
// keeps only its leaf's fields and is marked withdrawn).
void AddToState(const SiteRecord& record, SiteState* state);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_STATE_H_
