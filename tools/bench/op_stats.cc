#include "tools/bench/op_stats.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation::bench {

std::string StatusCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

void OpStats::Record(absl::Duration latency, grpc::StatusCode code) {
  absl::MutexLock lock(&mu_);
  latencies_ms_.push_back(absl::ToDoubleMilliseconds(latency));
  if (code == grpc::StatusCode::OK) {
    ++ok_;
  } else {
    ++errors_[StatusCodeName(code)];
  }
}

int64_t OpStats::count() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(latencies_ms_.size());
}

int64_t OpStats::ok() const {
  absl::MutexLock lock(&mu_);
  return ok_;
}

double OpStats::PercentileMs(double q) const {
  absl::MutexLock lock(&mu_);
  if (latencies_ms_.empty()) return 0;
  const size_t k = std::min(latencies_ms_.size() - 1,
                            static_cast<size_t>(std::ceil(q * latencies_ms_.size())) - 1);
  std::nth_element(latencies_ms_.begin(), latencies_ms_.begin() + k, latencies_ms_.end());
  return latencies_ms_[k];
}

std::string OpStats::Json(absl::Duration elapsed) const {
  std::string errors;
  int64_t n = 0, ok = 0;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [code, count] : errors_) {
      absl::StrAppend(&errors, errors.empty() ? "" : ",", "\"", code, "\":", count);
    }
    n = static_cast<int64_t>(latencies_ms_.size());
    ok = ok_;
  }
  return absl::StrFormat(
      R"({"count":%d,"ok":%d,"per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"errors":{%s}})",
      n, ok, static_cast<double>(n) / absl::ToDoubleSeconds(elapsed), PercentileMs(0.5),
      PercentileMs(0.99), PercentileMs(0.999), errors);
}

}  // namespace regulation::bench
