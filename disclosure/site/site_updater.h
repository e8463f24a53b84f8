#ifndef DISCLOSURE_SITE_SITE_UPDATER_H_
#define DISCLOSURE_SITE_SITE_UPDATER_H_

// Turns checked records into pages, in the order that keeps every link valid for a
// reader: for each batch of records, first their own files (leaf bytes, draw bundle,
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
// Thread safety: not thread-safe; one per run.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "disclosure/log_reader.h"
#include "disclosure/site/search_index.h"
#include "disclosure/site/site_record.h"
#include "disclosure/site/site_state.h"
#include "disclosure/site/site_writer.h"

namespace regulation::disclosure::site {

class SiteUpdater {
 public:
  // `site` and `state` must outlive the updater.
  SiteUpdater(SiteWriter* site, SiteState* state) : site_(site), state_(state) {}

  // Writes the site's scripts and style sheet (when they changed): before any page
  // that loads them.
  absl::Status WriteAssets();

  // Publishes a batch of consecutive records, in log order. `bundles` holds the
  // (checked) draw bundle of each DRAW record, by index.
  absl::Status AddBatch(const std::vector<SiteRecord>& records,
                        const std::map<int64_t, std::string>& bundles);

  // Writes the index pages, the feed, verifier.key and the state for
  // `checkpoint` (each only if it changed). Not the checkpoint itself.
  absl::Status Finish(const SignedCheckpoint& checkpoint, const std::string& verifier_key,
                      const std::string& site_url);

 private:
  // A record of this batch, else the site's.
  absl::StatusOr<SiteRecord> Record(int64_t index) const;
  // Adds `indices` to a data file {"key":..,"records":[..]}; returns all its indices
  // and whether the file is new.
  absl::StatusOr<std::vector<int64_t>> MergeIndices(const std::string& path, const std::string& key,
                                                    const std::vector<int64_t>& indices,
                                                    bool* created);
  absl::Status UpdateEnterprise(const std::string& code, const std::vector<int64_t>& indices);
  absl::Status UpdatePlan(const std::string& plan_id, const std::vector<int64_t>& indices);
  absl::Status UpdateCorrectedRecord(int64_t original);

  SiteWriter* const site_;
  SiteState* const state_;
  // The batch being added, by index.
  std::map<int64_t, const SiteRecord*> batch_;
  // Search entries are gathered over batches and applied when many are pending (and
  // at the end): a batch of 20,000 new enterprises would otherwise rewrite most shards.
  SearchIndexUpdate search_;
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_UPDATER_H_
