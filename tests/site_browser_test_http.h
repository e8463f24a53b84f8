#ifndef TESTS_SITE_BROWSER_TEST_HTTP_H_
#define TESTS_SITE_BROWSER_TEST_HTTP_H_

// A tiny static-file HTTP/1.0 server for the browser test: the published site needs a
// web server (fetch() does not work from file://), and any will do. GET only; the query
// string is ignored; Content-Type by extension (module scripts need a JavaScript type);
// one thread per connection; "Connection: close".
//
// Thread safety: Start and Stop from one thread; serving runs on its own threads.

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace regulation::testing {

class StaticHttpServer {
 public:
  // Serves files under `root`.
  explicit StaticHttpServer(std::string root) : root_(std::move(root)) {}
  ~StaticHttpServer() { Stop(); }

  // Listens on 127.0.0.1 on a free port. False (with `error`) when it cannot.
  bool Start(std::string* error);
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>/"
  std::string url() const;
  // Requests answered so far, as "<status> <path>" lines.
  std::vector<std::string> log() const;

 private:
  void AcceptLoop();
  void Serve(int fd);

  const std::string root_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<std::string> log_;
};

}  // namespace regulation::testing

#endif  // TESTS_SITE_BROWSER_TEST_HTTP_H_
