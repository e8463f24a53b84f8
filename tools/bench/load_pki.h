#ifndef TOOLS_BENCH_LOAD_PKI_H_
#define TOOLS_BENCH_LOAD_PKI_H_

// A throwaway PKI for one benchmark run, as `regctl pki` makes one for tools/up: a CA, the
// server's certificate written as the TLS directory regulatord reads (--tls_dir), and
// client identities issued on demand.
//
// Thread safety: Issue and the channel functions may be called from any thread.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "pki/certificates.h"

namespace regulation::bench {

class BenchPki {
 public:
  // A CA and a server certificate for localhost / 127.0.0.1, under `dir`.
  static absl::StatusOr<BenchPki> Create(const std::string& dir);

  // The directory with ca.crt, tls.crt and tls.key.
  const std::string& server_tls_dir() const { return server_tls_dir_; }

  // A client certificate for `request` (valid for a day from now).
  absl::StatusOr<pki::KeyAndCertificate> Issue(pki::CertificateRequest request) const;

  // A channel to `target` presenting `client`; channels with different `connection` numbers
  // never share a TCP connection.
  std::shared_ptr<grpc::Channel> Channel(const std::string& target,
                                         const pki::KeyAndCertificate& client,
                                         int connection) const;

 private:
  pki::KeyAndCertificate ca_;
  std::string server_tls_dir_;
};

// Certificate requests for the roles the load uses.
pki::CertificateRequest AgencyRequest(const std::string& name, const std::string& region);
pki::CertificateRequest InspectorRequest(const std::string& name, const std::string& id);
pki::CertificateRequest AdminRequest(const std::string& name);

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_LOAD_PKI_H_
