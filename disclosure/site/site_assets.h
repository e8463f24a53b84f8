#ifndef DISCLOSURE_SITE_SITE_ASSETS_H_
#define DISCLOSURE_SITE_SITE_ASSETS_H_

// The site's static assets (disclosure/site/assets/: style sheet, scripts, vendored
// libraries and their licences), compiled into the program by :site_assets_cc
// (embed_assets.cc), so that a publisher needs no file beside its binary.
//
// Thread safety: immutable data.

#include <cstddef>

#include "absl/types/span.h"

namespace regulation::disclosure::site {

struct SiteAsset {
  // Path in the site, e.g. "assets/verify.js".
  const char* path;
  const char* data;
  size_t size;
};

absl::Span<const SiteAsset> SiteAssets();

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_ASSETS_H_
