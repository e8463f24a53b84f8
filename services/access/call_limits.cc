#include "services/access/call_limits.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"

namespace regulation::access {
namespace {

// Buckets of callers idle long enough to be full again are dropped once the map holds
// this many, so that a stream of new identities cannot grow it without bound.
constexpr size_t kMaxIdleBuckets = 10000;

}  // namespace

CallLimiter::StreamSlot& CallLimiter::StreamSlot::operator=(StreamSlot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = std::exchange(other.limiter_, nullptr);
    identity_ = std::move(other.identity_);
  }
  return *this;
}

void CallLimiter::StreamSlot::Release() {
  if (limiter_ == nullptr) return;
  std::exchange(limiter_, nullptr)->ReleaseStream(identity_);
}

CallLimiter::CallLimiter(const CallLimitOptions& options, Clock* clock)
    : options_(options), clock_(clock) {}

absl::StatusOr<CallLimiter::StreamSlot> CallLimiter::AcquireStream(absl::string_view identity) {
  absl::MutexLock lock(&mu_);
  int& open = open_streams_[identity];
  if (options_.max_streams_per_identity > 0 && open >= options_.max_streams_per_identity) {
    if (open == 0) open_streams_.erase(std::string(identity));
    return absl::ResourceExhaustedError(absl::StrFormat(
        "too many open streams: this identity already has %d streaming calls open, the limit "
        "per identity (--max_streams_per_identity=%d); close one, or wait for one to end",
        open, options_.max_streams_per_identity));
  }
  ++open;
  return StreamSlot(this, std::string(identity));
}

void CallLimiter::ReleaseStream(const std::string& identity) {
  absl::MutexLock lock(&mu_);
  auto it = open_streams_.find(identity);
  if (it == open_streams_.end()) return;
  if (--it->second <= 0) open_streams_.erase(it);
}

int CallLimiter::OpenStreams(absl::string_view identity) const {
  absl::MutexLock lock(&mu_);
  auto it = open_streams_.find(identity);
  return it == open_streams_.end() ? 0 : it->second;
}

absl::Status CallLimiter::AdmitWrite(absl::string_view identity) {
  const double rate = options_.writes_per_second_per_identity;
  if (rate <= 0) return absl::OkStatus();
  const double burst = std::max(1, options_.write_burst_per_identity);
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  if (buckets_.size() >= kMaxIdleBuckets) {
    absl::erase_if(buckets_, [&](const auto& entry) {
      return entry.second.tokens + absl::ToDoubleSeconds(now - entry.second.refilled) * rate >=
             burst;
    });
  }
  auto [it, added] = buckets_.try_emplace(identity, Bucket{burst, now});
  Bucket& bucket = it->second;
  if (!added && now > bucket.refilled) {
    bucket.tokens =
        std::min(burst, bucket.tokens + absl::ToDoubleSeconds(now - bucket.refilled) * rate);
    bucket.refilled = now;
  }
  if (bucket.tokens < 1) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "rate limit: at most %g state-changing calls per second per identity, in bursts of up "
        "to %d (--write_rate_per_identity, --write_burst_per_identity); retry in %.2f s",
        rate, static_cast<int>(burst), (1 - bucket.tokens) / rate));
  }
  bucket.tokens -= 1;
  return absl::OkStatus();
}

}  // namespace regulation::access
