#ifndef DISCLOSURE_SITE_SITE_UPDATER_H_
#define DISCLOSURE_SITE_SITE_UPDATER_H_

// Turns checked records into pages, in the order that keeps every link valid for a
// reader: for each batch of records, first their own files (body, salt, draw bundle,
// record page), then the pages and indexes that link to them (enterprise and plan
// pages, pages of the records they correct, search shards, downloads); at the end the
// index pages, the feed and the state. The publisher writes the checkpoint after all
// of it.
//
// Only what a record touches is rewritten: its enterprise's page, its plan's page, the
// page of the record it corrects, the search shards of its code and name, the last
// download chunk. Each of these is merged by log index, so repeating a batch (after
// an interrupted run) changes nothing.
//
// A WITHDRAWAL record removes the withdrawn body from every file that held any of it:
// the record's body and salt files are deleted and its page says it was withdrawn; its
// enterprise's page, its download row, the latest results (home page, feed) and, when no
// remaining record has it, its name in the search shards are rewritten without it. The
// search shards go first and the body files last, so a run interrupted half-way is
// completed by the next, which repeats the WITHDRAWAL record.
//
// Thread safety: not thread-safe; one per run.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "disclosure/log_reader.h"
#include "disclosure/site/downloads.h"
#include "disclosure/site/entropy_view.h"
#include "disclosure/site/search_index.h"
#include "disclosure/site/site_record.h"
#include "disclosure/site/site_state.h"
#include "disclosure/site/site_writer.h"

namespace regulation::disclosure::site {

class SiteUpdater {
 public:
  // `site` and `state` must outlive the updater. `tree_size`: the size of the log whose
  // tiles the site holds (withdrawn records are read from its entry bundles).
  SiteUpdater(SiteWriter* site, SiteState* state, uint64_t tree_size)
      : site_(site), state_(state), tree_size_(tree_size) {}

  // Writes the site's scripts and style sheet (when they changed): before any page
  // that loads them.
  absl::Status WriteAssets();

  // Publishes a batch of consecutive records, in log order. `bundles` holds the
  // (checked) draw bundle of each DRAW record, by index. A WITHDRAWAL record must name
  // an earlier record (the publisher checks it).
  absl::Status AddBatch(const std::vector<SiteRecord>& records,
                        const std::map<int64_t, std::string>& bundles);

  // Writes the index pages, the feed, verifier.key and the state for
  // `checkpoint` (each only if it changed). Not the checkpoint itself.
  absl::Status Finish(const SignedCheckpoint& checkpoint, const std::string& verifier_key,
                      const std::string& site_url);

 private:
  // A record of this batch, else the site's (withdrawn ones as withdrawn).
  absl::StatusOr<SiteRecord> Record(int64_t index) const;
  // The record's own files: body, salt, draw bundle and page (for a withdrawn record: its
  // page, and no body or salt).
  absl::Status WriteOwnFiles(const SiteRecord& record, const std::map<int64_t, std::string>& bundles);
  // Rewrites the page of the record at `index`, with its correction banners and, when it
  // was withdrawn, what its WITHDRAWAL record says.
  // Adds `source_id`'s registration (from its ENTROPY_SOURCE records on the site) to
  // `sources`; nothing when the site has none.
  absl::Status AddRegisteredSource(const std::string& source_id, SourceRegistry* sources);
  // A draw's bundle file at BundlePath, or for a bundle the record publishes in parts,
  // the manifest there and its parts beside it; and read back, parts joined and checked.
  absl::Status WriteBundle(const v1::PublicDraw& draw, const std::string& bundle);
  absl::StatusOr<std::string> ReadBundle(const v1::PublicDraw& draw) const;
  absl::Status RewriteRecordPage(int64_t index);
  // Takes the withdrawn body of `prior` (as the site had it) out of the search index
  // and downloads, deletes its files and rewrites its page (see the class comment).
  absl::Status RemoveWithdrawnBody(const SiteRecord& prior, DownloadsUpdate* downloads);
  // Adds `indices` to a data file {"key":..,"records":[..]}; returns all its indices
  // and whether the file is new.
  absl::StatusOr<std::vector<int64_t>> MergeIndices(const std::string& path, const std::string& key,
                                                    const std::vector<int64_t>& indices,
                                                    bool* created);
  absl::Status UpdateEnterprise(const std::string& code, const std::vector<int64_t>& indices);
  absl::Status UpdatePlan(const std::string& plan_id, const std::vector<int64_t>& indices);

  SiteWriter* const site_;
  SiteState* const state_;
  const uint64_t tree_size_;
  // The batch being added, by index.
  std::map<int64_t, const SiteRecord*> batch_;
  // Records of the batch withdrawn by a later record of the same batch.
  std::map<int64_t, SiteRecord> withdrawn_in_batch_;
  // Search entries are gathered over batches and applied when many are pending (and
  // at the end): a batch of 20,000 new enterprises would otherwise rewrite most shards.
  SearchIndexUpdate search_;
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_UPDATER_H_
