#ifndef DISCLOSURE_SITE_SEARCH_INDEX_H_
#define DISCLOSURE_SITE_SEARCH_INDEX_H_

// The site's search index: static JSON shards that assets/search.js fetches, so that a
// search reads one or a few small files and a publish rewrites only the shards whose
// keys it touched.
//
//   search/code/<s>.json  {"codes":{"<CREDIT CODE>":"<latest name>",...}}
//   search/name/<s>.json  {"terms":{"<term>":[["<code>","<name>"],...] | "common",...}}
//
// <s> is "ab/cd" for SHA-256 of the key (the upper-cased code, or the term) starting
// with the hex digits abcd: 65,536 shards each, so that shards stay small (about 1 KB of
// codes and a few KB of names per shard for a million enterprises) and an update of k
// enterprises rewrites about k code shards and a few times k name shards, not the
// whole index. Names are searched by substring: a name's terms are the
// overlapping pairs of characters (bigrams) of its normalized form (full-width ASCII
// folded, ASCII lower-cased, white space removed; a one-character name is its own
// term). A query's bigrams select candidate enterprises; the browser keeps those whose
// name contains the query. A term shared by more than kMaxPostingsPerTerm names ("有限",
// "公司") is marked "common" and its list dropped: it would make its shard large and
// selects nothing; queries rely on their other bigrams.
//
// assets/search.js repeats NormalizeForSearch, SearchTerms and ShardOf; keep them in
// step.
//
// Thread safety: functions are pure; an update is not thread-safe.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "disclosure/site/site_writer.h"

namespace regulation::disclosure::site {

inline constexpr size_t kMaxPostingsPerTerm = 1000;

std::string NormalizeForSearch(absl::string_view text);
// The distinct terms of a normalized name, in order of first appearance.
std::vector<std::string> SearchTerms(absl::string_view normalized);
// Upper-cased ASCII, surrounding white space removed.
std::string NormalizeCode(absl::string_view code);
// "ab/cd": the first four hex digits of SHA-256(key), as a folder and a file name.
std::string ShardOf(absl::string_view key);

// The index entries one publish adds, applied shard by shard.
class SearchIndexUpdate {
 public:
  // An enterprise's code and name, in log order (a later name wins for the code).
  void Add(const std::string& credit_code, const std::string& name);
  bool empty() const { return pending_ == 0; }
  // Codes and postings held, a measure of the memory the update takes.
  size_t pending() const { return pending_; }
  // Reads, merges and rewrites each shard touched, then forgets what it applied. Adding what a shard already holds
  // changes nothing, so a repeated run is harmless. INVALID_ARGUMENT for a shard that is
  // not index JSON; the writer's errors.
  absl::Status Apply(SiteWriter* site);
  // Takes `name` of `credit_code` out of the index, now, after applying what is pending:
  // the last record that named it was withdrawn (empty `name`: no name goes, a
  // remaining record still has it). `name_now` is the code's name in the records that
  // remain (empty: none remain, and the code goes too).
  absl::Status Withdraw(SiteWriter* site, const std::string& credit_code, const std::string& name,
                        const std::string& name_now);

 private:
  // shard -> code -> name
  std::map<std::string, std::map<std::string, std::string>> codes_;
  // A term's pending postings: (code, name) in order, and the same as "code\nname"
  // for fast lookups. Capped just past kMaxPostingsPerTerm: such a term is common.
  struct Postings {
    std::vector<std::pair<std::string, std::string>> list;
    absl::flat_hash_set<std::string> seen;
  };
  // shard -> term -> postings
  std::map<std::string, std::map<std::string, Postings>> names_;
  size_t pending_ = 0;
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SEARCH_INDEX_H_
