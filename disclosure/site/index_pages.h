#ifndef DISCLOSURE_SITE_INDEX_PAGES_H_
#define DISCLOSURE_SITE_INDEX_PAGES_H_

// The site's index pages, rendered from the state and the checkpoint:
//   index.html      the latest results, the plans, counts, the search box;
//   search.html     search by credit code or name (assets/search.js does the work);
//   plans.html      every plan;
//   downloads.html  the results downloads, JSON and CSV, and the log files;
//   verify.html     the trust model: the log's verifier key, the checkpoint, and how to
//                   verify in the browser and offline.
// And feed.xml, an Atom feed of the latest results.
//
// Thread safety: pure functions.

#include <string>

#include "disclosure/log_reader.h"
#include "disclosure/site/site_state.h"

namespace regulation::disclosure::site {

std::string RenderHomePage(const SiteState& state, const SignedCheckpoint& checkpoint);
std::string RenderSearchPage();
std::string RenderPlansPage(const SiteState& state);
std::string RenderDownloadsPage(const SiteState& state);
std::string RenderVerifyPage(const SignedCheckpoint& checkpoint, const std::string& verifier_key);

// `site_url` (e.g. "https://example.gov.cn/disclosure/"), when not empty, makes the
// feed's links absolute; otherwise they are relative to the feed.
std::string RenderAtomFeed(const SiteState& state, const std::string& site_url);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_INDEX_PAGES_H_
