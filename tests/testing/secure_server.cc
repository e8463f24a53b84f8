#include "tests/testing/secure_server.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "pki/tls_files.h"
#include "services/access/certificate_identity.h"
#include "services/access/revocation_list.h"
#include "services/server/tls_credentials.h"
#include "storage/rocksdb_store.h"
#include "testing/temp_dir.h"

namespace regulation::testing {
namespace {

pki::CertificateRequest ValidForADay(pki::CertificateRequest request) {
  request.not_before = absl::Now() - absl::Minutes(5);
  request.not_after = absl::Now() + absl::Hours(24);
  return request;
}

}  // namespace

pki::CertificateRequest AgencyCertificate(std::string region_prefix, std::string department) {
  pki::CertificateRequest request;
  request.common_name = absl::StrCat("agency-", region_prefix);
  request.role = access::Role::kAgency;
  request.region_prefix = std::move(region_prefix);
  request.department = std::move(department);
  return ValidForADay(std::move(request));
}

pki::CertificateRequest EnterpriseCertificate(std::string credit_code) {
  pki::CertificateRequest request;
  request.common_name = absl::StrCat("enterprise-", credit_code);
  request.role = access::Role::kEnterprise;
  request.credit_code = std::move(credit_code);
  return ValidForADay(std::move(request));
}

pki::CertificateRequest InspectorCertificate(std::string inspector_id, std::string department) {
  pki::CertificateRequest request;
  request.common_name = absl::StrCat("inspector-", inspector_id);
  request.role = access::Role::kInspector;
  request.inspector_id = std::move(inspector_id);
  request.department = std::move(department);
  return ValidForADay(std::move(request));
}

pki::CertificateRequest RoleCertificate(access::Role role) {
  pki::CertificateRequest request;
  request.common_name = absl::StrCat("test-", access::RoleName(role));
  request.role = role;
  return ValidForADay(std::move(request));
}

struct SecureTestServer::Security {
  std::unique_ptr<pki::CertificateVerifier> verifier;
  std::unique_ptr<access::RevocationList> revocations;
  std::unique_ptr<access::CertificateIdentityResolver> identity;
};

absl::StatusOr<std::unique_ptr<SecureTestServer>> SecureTestServer::Start(
    std::function<void(services::ServerOptions*)> customize) {
  std::unique_ptr<SecureTestServer> server(new SecureTestServer());
  server->customize_ = std::move(customize);
  server->data_dir_ = NewTempDir();
  const absl::Time now = absl::Now();
  REG_ASSIGN_OR_RETURN(server->ca_, pki::CreateCertificateAuthority(
                                        "test CA", now - absl::Hours(1), now + absl::Hours(48)));
  pki::CertificateRequest host;
  host.common_name = "localhost";
  host.dns_names = {"localhost"};
  host.ip_addresses = {"127.0.0.1"};
  REG_ASSIGN_OR_RETURN(server->server_cert_,
                       pki::IssueCertificate(server->ca_, ValidForADay(host)));
  REG_RETURN_IF_ERROR(server->Launch());
  return server;
}

absl::Status SecureTestServer::Launch() {
  security_ = std::make_unique<Security>();
  REG_ASSIGN_OR_RETURN(security_->verifier, pki::CertificateVerifier::Create(ca_.cert_pem));
  security_->revocations = std::make_unique<access::RevocationList>(revoked_file(), RealClock());
  security_->identity = std::make_unique<access::CertificateIdentityResolver>(
      security_->verifier.get(), security_->revocations.get(), RealClock());

  storage::RocksDbOptions db;
  db.path = data_dir_ + "/rocksdb";
  REG_ASSIGN_OR_RETURN(std::unique_ptr<storage::KvStore> store, storage::OpenRocksDbStore(db));
  services::ServerOptions options;
  options.listen_address = "localhost:0";
  options.credentials = services::MutualTlsServerCredentials(
      pki::TlsFiles{ca_.cert_pem, server_cert_.cert_pem, server_cert_.key_pem});
  options.identity = security_->identity.get();
  if (customize_) customize_(&options);
  REG_ASSIGN_OR_RETURN(server_, services::RegulationServer::Start(std::move(store), options));
  target_ = absl::StrCat("localhost:", server_->port());
  return absl::OkStatus();
}

SecureTestServer::~SecureTestServer() { Stop(); }

int SecureTestServer::port() const { return server_ == nullptr ? 0 : server_->port(); }

void SecureTestServer::Stop() {
  server_.reset();
  security_.reset();
}

std::shared_ptr<grpc::Channel> SecureTestServer::ChannelWithCertificate(
    const pki::KeyAndCertificate& client) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_.cert_pem;
  ssl.pem_private_key = client.key_pem;
  ssl.pem_cert_chain = client.cert_pem;
  // A new channel argument set keeps gRPC from sharing one connection (and so one
  // client certificate) between channels.
  grpc::ChannelArguments args;
  static std::atomic<int> next_channel{0};
  args.SetInt("regulation.test.channel", next_channel++);
  return grpc::CreateCustomChannel(target_, grpc::SslCredentials(ssl), args);
}

std::shared_ptr<grpc::Channel> SecureTestServer::ChannelAs(
    const pki::CertificateRequest& request) {
  absl::StatusOr<pki::KeyAndCertificate> client = pki::IssueCertificate(ca_, request);
  if (!client.ok()) std::abort();
  return ChannelWithCertificate(*client);
}

std::shared_ptr<grpc::Channel> SecureTestServer::AnonymousChannel() {
  return ChannelWithCertificate(pki::KeyAndCertificate{});
}

}  // namespace regulation::testing
