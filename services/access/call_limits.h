#ifndef SERVICES_ACCESS_CALL_LIMITS_H_
#define SERVICES_ACCESS_CALL_LIMITS_H_

// Per-identity limits that keep one caller from taking the server from everyone else:
//   - open streams: a caller holds at most `max_streams_per_identity` streaming calls
//     (WatchAssignments, IngestEvents, ExportDrawInputs, ExportLogFiles, ScoreAll,
//     TrainModel, health Watch, reflection, ...) at once;
//   - state-changing calls: a token bucket per caller, refilled at
//     `writes_per_second_per_identity` up to `write_burst_per_identity`.
// The access interceptor asks the limiter once per call, after the caller is admitted; a
// caller over a limit gets RESOURCE_EXHAUSTED naming the limit and its regulatord flag.
//
// An identity is the caller's certificate subject ("CN=... serial=..."); callers without a
// certificate (the anonymous public) are told apart by their network address.
//
// Thread safety: safe for concurrent use. Ownership: `clock` must outlive the limiter.

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace regulation::access {

struct CallLimitOptions {
  // Streaming calls one identity may have open at once; 0 means no limit. Default 16.
  int max_streams_per_identity = 16;
  // Sustained state-changing calls per second per identity; 0 means no limit. Default 50.
  double writes_per_second_per_identity = 50;
  // State-changing calls one identity may make at once after being idle. Default 100.
  int write_burst_per_identity = 100;
};

class CallLimiter {
 public:
  CallLimiter(const CallLimitOptions& options, Clock* clock);
  CallLimiter(const CallLimiter&) = delete;
  CallLimiter& operator=(const CallLimiter&) = delete;

  // One open stream of `identity`; moving it transfers the slot, destroying it frees it.
  class StreamSlot {
   public:
    StreamSlot() = default;
    StreamSlot(StreamSlot&& other) noexcept { *this = std::move(other); }
    StreamSlot& operator=(StreamSlot&& other) noexcept;
    ~StreamSlot() { Release(); }
    void Release();

   private:
    friend class CallLimiter;
    StreamSlot(CallLimiter* limiter, std::string identity)
        : limiter_(limiter), identity_(std::move(identity)) {}
    CallLimiter* limiter_ = nullptr;
    std::string identity_;
  };

  // A slot for one more stream of `identity`, or RESOURCE_EXHAUSTED when it already holds
  // max_streams_per_identity. REQUIRES: every slot is destroyed before the limiter.
  absl::StatusOr<StreamSlot> AcquireStream(absl::string_view identity);

  // Takes one token from `identity`'s bucket, or RESOURCE_EXHAUSTED (saying when to retry)
  // when it is empty.
  absl::Status AdmitWrite(absl::string_view identity);

  // Streams `identity` holds now (for tests and figures).
  int OpenStreams(absl::string_view identity) const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
  };
  void ReleaseStream(const std::string& identity);

  const CallLimitOptions options_;
  Clock* const clock_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> open_streams_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_CALL_LIMITS_H_
