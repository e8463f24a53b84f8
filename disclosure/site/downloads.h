#ifndef DISCLOSURE_SITE_DOWNLOADS_H_
#define DISCLOSURE_SITE_DOWNLOADS_H_

// Bulk downloads of the disclosed results (RESULT and CORRECTION records), in JSON and
// CSV, chunked by log index: chunk k holds the records with index in [4096k, 4096k +
// 4096) (kDownloadChunkSize). The log only grows, so a publish rewrites only the last
// chunk or two, and every earlier chunk is final.
//
//   downloads/results-<k>.json  {"chunk":k,"rows":[{"log_index":..,"kind":..,...},...]}
//   downloads/results-<k>.csv   the same rows; UTF-8 with a byte-order mark (for
//                               spreadsheet programs); a cell that starts with = + - @
//                               is prefixed with ' so that it is never run as a
//                               formula (the JSON has the exact text)
//
// Columns: log_index, kind, publish_time, credit_code, enterprise_name, category,
// category_label, findings, follow_up_measures, inspection_end_date, departments (joined
// with "; "), plan_id, result_id, corrects_index, correction_reason.
//
// Thread safety: not thread-safe.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "disclosure/site/site_record.h"
#include "disclosure/site/site_writer.h"

namespace regulation::disclosure::site {

// The rows one publish adds, applied chunk by chunk.
class DownloadsUpdate {
 public:
  // Ignores records that are not RESULT or CORRECTION, and withdrawn ones.
  void Add(const SiteRecord& record);
  // Removes the row of the record at `index` (its body was withdrawn), whether it was
  // added by this update or published before.
  void Remove(int64_t index);
  // Reads, merges (by log index: a repeated run changes nothing) and rewrites each
  // chunk touched, JSON and CSV; adds the chunks to `chunks`.
  absl::Status Apply(SiteWriter* site, std::set<int64_t>* chunks) const;

 private:
  // chunk -> log index -> row fields, in column order
  std::map<int64_t, std::map<int64_t, std::vector<std::string>>> rows_;
  // chunk -> log indices whose rows go
  std::map<int64_t, std::set<int64_t>> removed_;
};

// The column names, in order.
const std::vector<std::string>& DownloadColumns();

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_DOWNLOADS_H_
