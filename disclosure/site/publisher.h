#ifndef DISCLOSURE_SITE_PUBLISHER_H_
#define DISCLOSURE_SITE_PUBLISHER_H_

// Publish: writes or updates the public static site of the disclosure log in a
// directory (docs/disclosure.md). Plain files for any web server: HTML pages in Chinese
// and English, search shards, JSON and CSV downloads, an Atom feed, the draw bundles,
// and the log itself as C2SP tlog-tiles with its signed checkpoint, which the record
// pages verify in the browser.
//
// A run is incremental and atomic:
//   1. The site's `checkpoint` says what is published (size s). The source's checkpoint
//      must be signed by the log's key (PublishOptions::verifier_key, else the site's
//      verifier.key, else the source's key on first use) and consistent with the site's
//      (no rollback, no fork): otherwise nothing is written.
//   2. The log's files since s are staged, checked against the new checkpoint (size n),
//      and renamed into place: O((n - s) / 256 + log n) tiles.
//   3. Records s..n-1 are fetched in log order. Each leaf must equal its entry in the
//      log's bundle and each body hash, with its salt, to the digest its leaf names; a
//      record without its body must be named by a WITHDRAWAL record later in the log;
//      each draw's bundle must hash to the digest its record names. Then their pages,
//      and the pages, shards and downloads that link to them (only those); a WITHDRAWAL
//      record takes the body it withdraws out of every file (site_updater.h).
//   4. The index pages, feed and state; then `checkpoint`, last and fsync'ed (after a
//      syncfs of everything before it).
// Every file is written under a temporary name and renamed, so a reader never sees a
// half-written file, and never a link (or a checkpoint) to a file not yet written. A
// run that fails leaves the previous checkpoint in place; the next run repairs.
//
// Status codes: FAILED_PRECONDITION (rollback, fork, another log, a pinned key that is
// not the site's, a site of another format, a withdrawal not in the log yet); UNAUTHENTICATED (a checkpoint not signed by the key); DATA_LOSS
// (tiles, records or bundles that do not match the checkpoint or each other);
// INVALID_ARGUMENT (a malformed key, stream or site file); the source's errors; file
// errors (PERMISSION_DENIED, INTERNAL).
//
// Thread safety: Publish may run on any thread. One publisher per directory at a time: a
// second, in this process or another, is refused with FAILED_PRECONDITION while the first
// holds the directory's lock (DIR/.publish.lock, flock), so that a slower run can never
// put an older checkpoint over a newer one, nor delete another run's staged files.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "disclosure/site/site_source.h"

namespace regulation::disclosure::site {

struct PublishProgress {
  int64_t records_done = 0;
  int64_t records_total = 0;
  int64_t files_written = 0;
};

struct PublishOptions {
  // The log's verifier key ("<name>+<key id>+<base64 key>"), obtained out of band.
  // Default empty: the key in the site's verifier.key; for a new site, the source's
  // key, trusted on first use (PublishReport::trusted_on_first_use).
  std::string verifier_key;
  // The site's absolute URL, for the feed's links. Default empty: relative links.
  std::string site_url;
  // Records held in memory at once. Default 20,000.
  int64_t batch_records = 20000;
  // fsync everything before publishing the checkpoint. Default true; false only for
  // tests.
  bool sync = true;
  // Called after each batch of records. Default: none.
  std::function<void(const PublishProgress&)> progress;
};

struct PublishReport {
  // The tree size the site published before, and now.
  int64_t previous_size = 0;
  int64_t tree_size = 0;
  // Records whose pages were written: those after the previous size (all of them when
  // the site's pages were missing).
  int64_t records = 0;
  // Files written (created or replaced), and their paths in order.
  int64_t files_written = 0;
  std::vector<std::string> written;
  // The key the checkpoint was verified with, and whether it was trusted on first use.
  std::string verifier_key;
  bool trusted_on_first_use = false;
};

absl::StatusOr<PublishReport> Publish(SiteSource& source, const std::string& dir,
                                      const PublishOptions& options = {});

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_PUBLISHER_H_
