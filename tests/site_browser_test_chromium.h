#ifndef TESTS_SITE_BROWSER_TEST_CHROMIUM_H_
#define TESTS_SITE_BROWSER_TEST_CHROMIUM_H_

// Headless Chromium for the browser test: loads a page, lets its scripts run (fetches
// and WebCrypto included) under a virtual-time budget, and returns the DOM as HTML
// (`--dump-dom`).
//
// Thread safety: functions may run on any thread; each call starts its own browser.

#include <string>

#include "absl/status/statusor.h"

namespace regulation::testing {

// The browser binary: $CHROMIUM, else the first of chromium, chromium-browser,
// google-chrome in /usr/bin. NOT_FOUND (saying how to install it) when there is none.
absl::StatusOr<std::string> FindChromium();

// The DOM of `url` after its scripts ran. `work_dir` holds the browser's profile and
// logs (a fresh profile per call, unless `profile_dir` names one to reuse: what the page
// stored in localStorage is then there for the next call). DEADLINE_EXCEEDED when the browser hangs (it is
// killed, with everything it started); INTERNAL when it fails.
absl::StatusOr<std::string> DumpDom(const std::string& chromium, const std::string& url,
                                    const std::string& work_dir,
                                    const std::string& profile_dir = "");

struct BrowserOptions {
  // A profile to reuse; empty: a fresh one.
  std::string profile_dir;
  // The window's size (headless Chromium's is at least 500 pixels wide); 0: its default.
  int width = 0;
  int height = 0;
  // When not empty, a PNG of the window after the scripts ran is written here.
  std::string screenshot_path;
  // Virtual time the page's scripts may use, in milliseconds.
  int virtual_time_budget_ms = 15000;
};

// DumpDom with `options`.
absl::StatusOr<std::string> DumpDomWith(const std::string& chromium, const std::string& url,
                                        const std::string& work_dir, const BrowserOptions& options);

}  // namespace regulation::testing

#endif  // TESTS_SITE_BROWSER_TEST_CHROMIUM_H_
