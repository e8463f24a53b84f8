#ifndef TOOLS_BENCH_ECHO_SERVER_H_
#define TOOLS_BENCH_ECHO_SERVER_H_

// The bare gRPC server the load generator measures regulatord against: the unary Echo
// service (echo.proto) over the same mutual TLS, on the same loopback, with nothing behind
// the call. The load binary runs it as a child process (`load --echo_server`), as it runs
// regulatord, so that both are measured alike.

#include <string>

namespace regulation::bench {

// Serves Echo over mutual TLS with the certificate in `tls_dir` on a free localhost port,
// prints "echo server (port N)" on stderr, and serves until SIGTERM or SIGINT. Returns the
// process exit code.
int RunEchoServer(const std::string& tls_dir);

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_ECHO_SERVER_H_
