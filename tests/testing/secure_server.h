#ifndef TESTS_TESTING_SECURE_SERVER_H_
#define TESTS_TESTING_SECURE_SERVER_H_

// A regulation server as production runs it: mutual TLS with a test CA, identities
// from client certificates, RocksDB in a temporary directory, the audit trail on.
// Tests get channels as any identity they describe.

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pki/certificates.h"
#include "services/access/role.h"
#include "services/server/regulation_server.h"

namespace regulation::testing {

// Certificate requests for each role, valid for a day from now.
pki::CertificateRequest AgencyCertificate(std::string region_prefix,
                                             std::string department = "samr");
pki::CertificateRequest InspectorCertificate(std::string inspector_id,
                                                std::string department = "samr");
pki::CertificateRequest RoleCertificate(access::Role role);  // auditor, public, admin
pki::CertificateRequest EnterpriseCertificate(std::string credit_code);

class SecureTestServer {
 public:
  // Starts on a free localhost port over a new data directory. `customize` (if given) may
  // change the server's options (limits, for instance) before it starts.
  static absl::StatusOr<std::unique_ptr<SecureTestServer>> Start(
      std::function<void(services::ServerOptions*)> customize = nullptr);
  ~SecureTestServer();

  // A channel presenting a new certificate this CA issues for `request`.
  std::shared_ptr<grpc::Channel> ChannelAs(const pki::CertificateRequest& request);
  // A channel presenting `client` (from any CA, valid or not).
  std::shared_ptr<grpc::Channel> ChannelWithCertificate(const pki::KeyAndCertificate& client);
  // A TLS channel without a client certificate.
  std::shared_ptr<grpc::Channel> AnonymousChannel();

  const pki::KeyAndCertificate& ca() const { return ca_; }
  const std::string& data_dir() const { return data_dir_; }
  // The file of revoked serials the server reads.
  std::string revoked_file() const { return data_dir_ + "/revoked.txt"; }

  // Stops the server and closes the database (Start() a new one to continue).
  void Stop();

  // "localhost:<port>".
  const std::string& target() const { return target_; }
  int port() const;

 private:
  SecureTestServer() = default;
  absl::Status Launch();

  std::string data_dir_;
  pki::KeyAndCertificate ca_;
  pki::KeyAndCertificate server_cert_;
  struct Security;
  std::unique_ptr<Security> security_;
  std::unique_ptr<services::RegulationServer> server_;
  std::string target_;
  std::function<void(services::ServerOptions*)> customize_;
};

}  // namespace regulation::testing

#endif  // TESTS_TESTING_SECURE_SERVER_H_
