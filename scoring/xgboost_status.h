#ifndef SCORING_XGBOOST_STATUS_H_
#define SCORING_XGBOOST_STATUS_H_

// The one place where XGBoost's C API errors become absl::Status.
//
// Every XGB* call returns 0 on success and -1 on failure, leaving a message that
// XGBGetLastError() returns. That message is thread-local in XGBoost, so it must be
// read on the failing thread before any other XGBoost call: wrap each call directly,
//
//   REG_RETURN_IF_ERROR(XgbCheck(XGBoosterUpdateOneIter(h, i, d), "boosting round"));
//
// Thread safety: safe from any thread (it only reads the calling thread's last error).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::scoring {

// OK when `rc` is 0. Otherwise a status with `code` (INTERNAL unless the caller knows the
// input is at fault, e.g. INVALID_ARGUMENT for unreadable model bytes) whose message is
// "`what`: <XGBoost's message>", keeping only the first line of XGBoost's message (no
// timestamp, no stack trace).
absl::Status XgbCheck(int rc, absl::string_view what,
                      absl::StatusCode code = absl::StatusCode::kInternal);

// The first line of an XGBoost error message without its "[hh:mm:ss] " prefix; exposed
// for tests.
std::string CleanXgbMessage(absl::string_view message);

}  // namespace regulation::scoring

#endif  // SCORING_XGBOOST_STATUS_H_
