#ifndef TOOLS_REGCTL_HTTP_GET_H_
#define TOOLS_REGCTL_HTTP_GET_H_

// One plain HTTP GET (libcurl), for `regctl status` reading regulatord's metrics
// endpoint.
//
// Thread safety: safe to call from several threads.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace regulation::regctl {

// The body of `url` when it answers 200. INVALID_ARGUMENT for a URL that is not
// http://; UNAVAILABLE when nothing answers (or not within `timeout`); FAILED_PRECONDITION
// naming the HTTP status otherwise.
absl::StatusOr<std::string> HttpGet(const std::string& url, absl::Duration timeout);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_HTTP_GET_H_
