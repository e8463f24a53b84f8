#include "tests/testing/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace regulation::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

absl::StatusOr<int> ConnectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in address = Loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("connect: ", std::strerror(error)));
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RawConnection>> RawConnection::Connect(int port) {
  absl::StatusOr<int> fd = ConnectTo(port);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<RawConnection>(new RawConnection(*fd));
}

RawConnection::~RawConnection() { ::close(fd_); }

absl::Status RawConnection::Send(absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) return absl::UnavailableError(absl::StrCat("send: ", std::strerror(errno)));
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return absl::OkStatus();
}

bool RawConnection::ClosedByPeerWithin(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  char buffer[4096];
  while (absl::Now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const int ready =
        ::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now())) + 1);
    if (ready <= 0) continue;
    const ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (got == 0) return true;                        // orderly close
    if (got < 0 && errno != EINTR && errno != EAGAIN) return true;  // reset
  }
  return false;
}

absl::StatusOr<std::unique_ptr<FreezableProxy>> FreezableProxy::Start(int target_port) {
  std::unique_ptr<FreezableProxy> proxy(new FreezableProxy());
  proxy->target_port_ = target_port;
  proxy->listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  if (proxy->listen_fd_ < 0 ||
      ::bind(proxy->listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(proxy->listen_fd_, 16) != 0) {
    return absl::UnavailableError(absl::StrCat("proxy listen: ", std::strerror(errno)));
  }
  socklen_t length = sizeof(address);
  ::getsockname(proxy->listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  proxy->port_ = ntohs(address.sin_port);
  proxy->acceptor_ = std::thread([p = proxy.get()] { p->AcceptLoop(); });
  return proxy;
}

FreezableProxy::~FreezableProxy() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  absl::MutexLock lock(&mu_);
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  for (std::thread& pump : pumps_) pump.join();
  for (int fd : fds_) ::close(fd);
}

void FreezableProxy::AcceptLoop() {
  while (!stopping_) {
    const int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    absl::StatusOr<int> upstream = ConnectTo(target_port_);
    if (!upstream.ok()) {
      ::close(client);
      continue;
    }
    absl::MutexLock lock(&mu_);
    fds_.push_back(client);
    fds_.push_back(*upstream);
    pumps_.emplace_back([this, client, up = *upstream] { Pump(client, up); });
    pumps_.emplace_back([this, client, up = *upstream] { Pump(up, client); });
  }
}

void FreezableProxy::Pump(int from, int to) {
  char buffer[16384];
  while (!stopping_) {
    if (frozen_) {  // hold everything: read nothing, write nothing, close nothing
      ::usleep(20000);
      continue;
    }
    pollfd p{from, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    if (frozen_) continue;
    const ssize_t got = ::recv(from, buffer, sizeof(buffer), 0);
    if (got <= 0) return;
    for (ssize_t sent = 0; sent < got;) {
      const ssize_t n = ::send(to, buffer + sent, static_cast<size_t>(got - sent), MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += n;
    }
  }
}

}  // namespace regulation::testing
