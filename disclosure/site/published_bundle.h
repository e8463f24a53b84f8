#ifndef DISCLOSURE_SITE_PUBLISHED_BUNDLE_H_
#define DISCLOSURE_SITE_PUBLISHED_BUNDLE_H_

// A DRAW record's bundle as the site publishes it (site_paths.h, BundlePath): at
// draws/<plan>/<round>.json either the bundle itself or, for a bundle the record names in
// parts, a manifest with its parts beside it (docs/draw-spec.md §9.4).
//
// ReadPublishedBundle is the site's own reading (the plan page lists a round's targets);
// CheckPublishedBundle is what `regctl verify-log` holds every published DRAW record to,
// as the plan page's verification panel does in the browser (assets/plan.js): each part
// against the SHA-256 the record names for it, and the whole against its bundle_digest.
// Without it a site could serve a bundle other than the one its log committed to while
// every leaf and body still verified.
//
// Thread safety: stateless functions; `read` is called on the caller's thread.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure::site {

// Reads a file of the site by its path relative to the site's root; NOT_FOUND when the
// site has no such file.
using SiteFileReader = std::function<absl::StatusOr<std::string>(const std::string& path)>;

// The bundle of `draw` as published: the file, or its manifest's parts joined (each part's
// size and SHA-256 checked against the manifest). Errors: `read`'s; DATA_LOSS for a
// malformed manifest or a part that does not match it.
absl::StatusOr<std::string> ReadPublishedBundle(const v1::PublicDraw& draw,
                                                const SiteFileReader& read);

// OK when the published bundle of `draw` is the one the record commits to: published in
// parts only as the record names them (the same number of parts, each with the SHA-256
// the record names), and the whole hashing to draw.bundle_digest. DATA_LOSS naming the
// file and what differs, including a bundle that is not published; `read`'s other errors.
absl::Status CheckPublishedBundle(const v1::PublicDraw& draw, const SiteFileReader& read);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_PUBLISHED_BUNDLE_H_
