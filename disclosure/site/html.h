#ifndef DISCLOSURE_SITE_HTML_H_
#define DISCLOSURE_SITE_HTML_H_

// HTML for the public site: escaping, bilingual labels and the frame every page shares.
//
// Everything that comes from a record (enterprise names, findings, plan titles) is
// untrusted text: it reaches a page only through HtmlEscape, which also turns invalid
// UTF-8 into U+FFFD so that every page is valid UTF-8. Pages carry a Content Security
// Policy that allows scripts from the site's own files only, so even a missed escape
// could not run inline script.
//
// Thread safety: pure functions.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/escaping.h"  // HtmlEscape, which every page uses

namespace regulation::disclosure::site {

// HtmlEscape (common/escaping.h) escapes & < > " ' (so the result is safe in text and
// in quoted attribute values) and a carriage return (which HTML parsing would otherwise
// turn into a line feed).

// A label in both languages, "检查结果 Result", escaped.
std::string Label(absl::string_view zh, absl::string_view en);

// <a href="href">text</a>; `href` is a site path (already URL-safe), `text` raw.
std::string Link(absl::string_view href, absl::string_view text);

struct Page {
  // The page's own path in the site (RootPrefix(path) finds the assets).
  std::string path;
  std::string title_zh;
  std::string title_en;
  // ES modules to load, relative to the site root (e.g. "assets/verify.js").
  std::vector<std::string> scripts;
  // Escaped HTML of <main>.
  std::string body;
};

// The complete document: doctype, head (charset, CSP, stylesheet, feed link), the
// navigation bar in both languages, the body, and a footer.
std::string RenderPage(const Page& page);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_HTML_H_
