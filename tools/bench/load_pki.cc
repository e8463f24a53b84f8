#include "tools/bench/load_pki.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "pki/tls_files.h"

namespace regulation::bench {
namespace {

pki::CertificateRequest ValidForADay(pki::CertificateRequest request) {
  request.not_before = absl::Now() - absl::Minutes(5);
  request.not_after = absl::Now() + absl::Hours(24);
  return request;
}

}  // namespace

absl::StatusOr<BenchPki> BenchPki::Create(const std::string& dir) {
  BenchPki pki;
  const absl::Time now = absl::Now();
  REG_ASSIGN_OR_RETURN(pki.ca_, pki::CreateCertificateAuthority(
                                    "bench CA", now - absl::Hours(1), now + absl::Hours(48)));
  pki::CertificateRequest host;
  host.common_name = "localhost";
  host.dns_names = {"localhost"};
  host.ip_addresses = {"127.0.0.1"};
  REG_ASSIGN_OR_RETURN(pki::KeyAndCertificate server,
                       pki::IssueCertificate(pki.ca_, ValidForADay(host)));
  pki.server_tls_dir_ = dir + "/server";
  REG_RETURN_IF_ERROR(
      pki::WriteTlsDir(pki.server_tls_dir_, pki.ca_.cert_pem, server));
  return pki;
}

absl::StatusOr<pki::KeyAndCertificate> BenchPki::Issue(pki::CertificateRequest request) const {
  return pki::IssueCertificate(ca_, ValidForADay(std::move(request)));
}

std::shared_ptr<grpc::Channel> BenchPki::Channel(const std::string& target,
                                                 const pki::KeyAndCertificate& client,
                                                 int connection) const {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_.cert_pem;
  ssl.pem_private_key = client.key_pem;
  ssl.pem_cert_chain = client.cert_pem;
  grpc::ChannelArguments args;
  args.SetInt("regulation.bench.connection", connection);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(ssl), args);
}

pki::CertificateRequest AgencyRequest(const std::string& name, const std::string& region) {
  pki::CertificateRequest request;
  request.common_name = name;
  request.role = access::Role::kAgency;
  request.region_prefix = region;
  request.department = "samr";
  return request;
}

pki::CertificateRequest InspectorRequest(const std::string& name, const std::string& id) {
  pki::CertificateRequest request;
  request.common_name = name;
  request.role = access::Role::kInspector;
  request.inspector_id = id;
  request.department = "samr";
  return request;
}

pki::CertificateRequest AdminRequest(const std::string& name) {
  pki::CertificateRequest request;
  request.common_name = name;
  request.role = access::Role::kAdmin;
  return request;
}

}  // namespace regulation::bench
