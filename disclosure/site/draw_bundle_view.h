#ifndef DISCLOSURE_SITE_DRAW_BUNDLE_VIEW_H_
#define DISCLOSURE_SITE_DRAW_BUNDLE_VIEW_H_

// A draw bundle (docs/draw-spec.md §9: the canonical JSON whose SHA-256 the DRAW record
// names) as HTML: per-class population, selections and cutoff tickets; the targets in
// team order with their tickets and teams; and, for a replacement round, what it
// replaced. The bundle is read as generic JSON: the site shows it, the draw verifier
// (regctl) checks it.
//
// Thread safety: pure function.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace regulation::disclosure::site {

// The HTML of the bundle; a notice instead when it is not JSON.
std::string RenderDrawBundle(absl::string_view bundle_json, absl::string_view root);

// The credit codes of the bundle's targets, in its order; none when it is not JSON.
std::vector<std::string> DrawTargetCodes(absl::string_view bundle_json);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_DRAW_BUNDLE_VIEW_H_
