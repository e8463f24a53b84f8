#ifndef TESTS_TESTING_RAW_SOCKET_H_
#define TESTS_TESTING_RAW_SOCKET_H_

// Plain TCP for tests that misbehave below gRPC: connections that never finish a TLS
// handshake, and a proxy that can stop forwarding (a peer that vanished without closing).

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace regulation::testing {

// A connected TCP socket to 127.0.0.1:`port`; the fd is closed by the destructor.
class RawConnection {
 public:
  static absl::StatusOr<std::unique_ptr<RawConnection>> Connect(int port);
  ~RawConnection();

  // Sends `bytes` (all of them, or an error).
  absl::Status Send(absl::string_view bytes);

  // Waits up to `timeout` for the peer to close the connection (end of file or reset),
  // discarding whatever it sends meanwhile. True when it closed.
  bool ClosedByPeerWithin(absl::Duration timeout);

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  int fd_;
};

// Forwards connections from its own localhost port to 127.0.0.1:`target_port` until
// Freeze(): then it stops moving bytes either way but keeps every socket open, as a peer
// that lost power would.
class FreezableProxy {
 public:
  static absl::StatusOr<std::unique_ptr<FreezableProxy>> Start(int target_port);
  ~FreezableProxy();

  int port() const { return port_; }
  void Freeze() { frozen_ = true; }

 private:
  FreezableProxy() = default;
  void AcceptLoop();
  void Pump(int from, int to);

  int target_port_ = 0;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> frozen_{false};
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  absl::Mutex mu_;
  std::vector<std::thread> pumps_ ABSL_GUARDED_BY(mu_);
  std::vector<int> fds_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::testing

#endif  // TESTS_TESTING_RAW_SOCKET_H_
