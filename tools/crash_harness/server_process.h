#ifndef TOOLS_CRASH_HARNESS_SERVER_PROCESS_H_
#define TOOLS_CRASH_HARNESS_SERVER_PROCESS_H_

// The regulatord under test: started as tools/up starts it (mutual TLS, a revocation
// list, a short minimum entropy delay) on a free port of localhost, killed with SIGKILL,
// and started again on the same data directory.
//
// Thread safety: not thread-safe; one thread (the harness's driver) owns it.

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace regulation::crash {

struct ServerOptions {
  std::string binary;        // regulatord
  std::string data_dir;      // --data_dir
  std::string tls_dir;       // --tls_dir: the server's certificate
  std::string revoked_file;  // --revoked_file
  absl::Duration min_entropy_delay = absl::Seconds(1);
  // Where its stdout and stderr go (appended across restarts).
  std::string log_file;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options) : options_(std::move(options)) {}
  ~ServerProcess();  // kills a running server

  // Starts it and waits (up to a minute) until it reports its port. FAILED_PRECONDITION
  // with the end of its log when it exits instead (a database it refuses to open).
  absl::Status Start();
  // SIGKILL, then waits for it to die.
  void Kill();
  // SIGTERM, then waits; the exit status (0 for a clean stop).
  int Stop();

  bool running() const { return pid_ > 0; }
  // "localhost:PORT" of the running server.
  std::string address() const { return "localhost:" + std::to_string(port_); }

 private:
  ServerOptions options_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_SERVER_PROCESS_H_
