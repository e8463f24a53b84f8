#ifndef TOOLS_CRASH_HARNESS_ENDPOINT_H_
#define TOOLS_CRASH_HARNESS_ENDPOINT_H_

// Where the server under test listens now, and a mutual-TLS channel to it per identity.
// regulatord picks a new port on every restart, so the harness's driver points the
// endpoint at the new address and every later call gets a fresh channel.
//
// CallUntilAnswered is the harness's client that retries: it repeats the very same
// request (same request_id) until the server gives an answer, however many kills
// happen meanwhile.
//
// Thread safety: Endpoint is thread-safe.

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace regulation::crash {

class Endpoint {
 public:
  // Reads ca.crt, tls.crt and tls.key of the identity `name` from `tls_dir`.
  absl::Status AddIdentity(const std::string& name, const std::string& tls_dir);
  void SetAddress(const std::string& address);
  std::string address() const;
  // A channel to the current address as `identity` (which must have been added).
  std::shared_ptr<grpc::Channel> Channel(const std::string& identity);

 private:
  struct Identity {
    std::string ca, cert, key;
  };
  mutable absl::Mutex mutex_;
  std::string address_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, Identity> identities_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_ ABSL_GUARDED_BY(mutex_);
};

// Statuses that mean "no answer yet" (the server is down, restarting, or busy): the
// call may be repeated as it was.
bool IsRetryable(const grpc::Status& status);

// Calls `call(channel, context)` with a fresh context (20 s deadline) until the answer is
// not retryable or `give_up` has passed; returns the last status. Only for reads and for
// writes that carry a request_id.
template <typename Call>
grpc::Status CallUntilAnswered(Endpoint& endpoint, const std::string& identity, Call&& call,
                               absl::Duration give_up = absl::Minutes(3)) {
  const absl::Time end = absl::Now() + give_up;
  for (;;) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    grpc::Status status = call(endpoint.Channel(identity), &context);
    if (!IsRetryable(status) || absl::Now() > end) return status;
    absl::SleepFor(absl::Milliseconds(100));
  }
}

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_ENDPOINT_H_
