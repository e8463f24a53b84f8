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

}  // namespace regulation::testing

#endif  // TESTS_SITE_BROWSER_TEST_CHROMIUM_H_
