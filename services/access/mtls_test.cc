// Mutual TLS end to end: a gRPC server that asks for (but does not itself verify)
// client certificates, and CertificateIdentityResolver deciding who the caller is.
// The WhoAmI test service (testdata/whoami.proto) answers with the resolved caller.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/server_context.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "pki/certificates.h"
#include "services/access/certificate_identity.h"
#include "services/access/revocation_list.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "whoami.grpc.pb.h"

namespace regulation::access {
namespace {

using ::regulation::pki::CertificateRequest;
using ::regulation::pki::CertificateSerialHex;
using ::regulation::pki::CertificateVerifier;
using ::regulation::pki::CreateCertificateAuthority;
using ::regulation::pki::IssueCertificate;
using ::regulation::pki::KeyAndCertificate;
using ::regulation::testing::StatusIs;
using testdata::Identity;
using testdata::WhoAmI;
using testdata::WhoAmIRequest;

class WhoAmIService final : public WhoAmI::Service {
 public:
  explicit WhoAmIService(const IdentityResolver* resolver) : resolver_(resolver) {}

  grpc::Status Get(grpc::ServerContext* context, const WhoAmIRequest* request,
                   Identity* response) override {
    absl::StatusOr<Caller> caller = resolver_->Resolve(*context);
    if (!caller.ok()) {
      return grpc::Status(static_cast<grpc::StatusCode>(caller.status().code()),
                          std::string(caller.status().message()));
    }
    for (Role role : kAllRoles) {
      if (caller->roles.Contains(role)) response->add_roles(std::string(RoleName(role)));
    }
    response->set_subject(caller->subject);
    response->set_department(caller->department);
    response->set_region_prefix(caller->region_prefix);
    response->set_inspector_id(caller->inspector_id);
    return grpc::Status::OK;
  }

 private:
  const IdentityResolver* const resolver_;
};

class MtlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Time now = clock_.Now();
    absl::StatusOr<KeyAndCertificate> ca =
        CreateCertificateAuthority("mtls test CA", now - absl::Hours(3), now + absl::Hours(240));
    ASSERT_OK(ca);
    ca_ = *ca;

    CertificateRequest server;
    server.common_name = "localhost";
    server.dns_names = {"localhost"};
    server.ip_addresses = {"127.0.0.1", "::1"};
    server.not_before = now - absl::Hours(1);
    server.not_after = now + absl::Hours(24);
    absl::StatusOr<KeyAndCertificate> server_pair = IssueCertificate(ca_, server);
    ASSERT_OK(server_pair);

    revoked_path_ = temp_.Path("mtls_revoked.txt");
    std::remove(revoked_path_.c_str());
    absl::StatusOr<std::unique_ptr<CertificateVerifier>> verifier =
        CertificateVerifier::Create(ca_.cert_pem);
    ASSERT_OK(verifier);
    verifier_ = *std::move(verifier);
    revocations_ = std::make_unique<RevocationList>(revoked_path_, &clock_);
    resolver_ =
        std::make_unique<CertificateIdentityResolver>(verifier_.get(), revocations_.get(), &clock_);
    service_ = std::make_unique<WhoAmIService>(resolver_.get());

    // The settings regulatord uses: ask for a client certificate, let the resolver judge.
    grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
    options.pem_root_certs = ca_.cert_pem;
    options.pem_key_cert_pairs.push_back({server_pair->key_pem, server_pair->cert_pem});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("localhost:0", grpc::SslServerCredentials(options), &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    std::remove(revoked_path_.c_str());
  }

  KeyAndCertificate IssueClient(CertificateRequest request) {
    absl::StatusOr<KeyAndCertificate> issued = IssueCertificate(ca_, request);
    EXPECT_OK(issued);
    return issued.ok() ? *issued : KeyAndCertificate{};
  }

  CertificateRequest Agency() {
    CertificateRequest r;
    r.common_name = "hz-samr";
    r.role = Role::kAgency;
    r.department = "samr";
    r.region_prefix = "3301";
    r.not_before = clock_.Now() - absl::Hours(1);
    r.not_after = clock_.Now() + absl::Hours(24);
    return r;
  }

  // Calls WhoAmI.Get over TLS, presenting `client` when it is not empty.
  grpc::Status Call(const KeyAndCertificate& client, Identity* identity) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ca_.cert_pem;
    options.pem_private_key = client.key_pem;
    options.pem_cert_chain = client.cert_pem;
    grpc::ChannelArguments args;
    // A fresh connection per call: each call presents its own certificate.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        absl::StrCat("localhost:", port_), grpc::SslCredentials(options), args);
    std::unique_ptr<WhoAmI::Stub> stub = WhoAmI::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return stub->Get(&context, WhoAmIRequest(), identity);
  }

  FakeClock clock_{absl::Now()};
  ::regulation::testing::TempDir temp_;  // removed after each test
  std::string revoked_path_;
  KeyAndCertificate ca_;
  std::unique_ptr<CertificateVerifier> verifier_;
  std::unique_ptr<RevocationList> revocations_;
  std::unique_ptr<CertificateIdentityResolver> resolver_;
  std::unique_ptr<WhoAmIService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(MtlsTest, AgencyCertificateIdentifiesTheCaller) {
  const KeyAndCertificate agency = IssueClient(Agency());
  Identity identity;
  grpc::Status status = Call(agency, &identity);
  ASSERT_OK(status) << status.error_code() << ": " << status.error_message();
  ASSERT_EQ(identity.roles_size(), 1);
  EXPECT_EQ(identity.roles(0), "agency");
  EXPECT_EQ(identity.department(), "samr");
  EXPECT_EQ(identity.region_prefix(), "3301");
  EXPECT_EQ(identity.subject(), "CN=hz-samr serial=" + *CertificateSerialHex(agency.cert_pem));
}

TEST_F(MtlsTest, InspectorCertificateIdentifiesTheCaller) {
  CertificateRequest request = Agency();
  request.common_name = "inspector-7";
  request.role = Role::kInspector;
  request.region_prefix = "";
  request.inspector_id = "ZJ-0007";
  Identity identity;
  grpc::Status status = Call(IssueClient(request), &identity);
  ASSERT_OK(status) << status.error_code() << ": " << status.error_message();
  ASSERT_EQ(identity.roles_size(), 1);
  EXPECT_EQ(identity.roles(0), "inspector");
  EXPECT_EQ(identity.inspector_id(), "ZJ-0007");
}

TEST_F(MtlsTest, NoCertificateIsTheAnonymousPublic) {
  Identity identity;
  grpc::Status status = Call(KeyAndCertificate{}, &identity);
  ASSERT_OK(status) << status.error_code() << ": " << status.error_message();
  ASSERT_EQ(identity.roles_size(), 1);
  EXPECT_EQ(identity.roles(0), "public");
  EXPECT_EQ(identity.subject(), "anonymous");
}

TEST_F(MtlsTest, ExpiredCertificateIsUnauthenticated) {
  CertificateRequest request = Agency();
  request.not_before = clock_.Now() - absl::Hours(2);
  request.not_after = clock_.Now() - absl::Hours(1);
  Identity identity;
  grpc::Status status = Call(IssueClient(request), &identity);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(status.error_message(), "certificate expired");
}

TEST_F(MtlsTest, CertificateOfAnotherCaIsUnauthenticated) {
  absl::StatusOr<KeyAndCertificate> other_ca = CreateCertificateAuthority(
      "mtls test CA", clock_.Now() - absl::Hours(3), clock_.Now() + absl::Hours(240));
  ASSERT_OK(other_ca);
  absl::StatusOr<KeyAndCertificate> foreign = IssueCertificate(*other_ca, Agency());
  ASSERT_OK(foreign);
  Identity identity;
  grpc::Status status = Call(*foreign, &identity);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(status.error_message(), "certificate not issued by this system's CA");
}

TEST_F(MtlsTest, RevokedCertificateIsUnauthenticatedOnceTheListIsReloaded) {
  const KeyAndCertificate agency = IssueClient(Agency());
  Identity identity;
  ASSERT_OK(Call(agency, &identity));
  {
    std::ofstream out(revoked_path_);
    out << "# revoked by the test\n" << *CertificateSerialHex(agency.cert_pem) << "\n";
  }
  // The list is checked at most once per second of the clock.
  EXPECT_OK(Call(agency, &identity));
  clock_.Advance(absl::Seconds(2));
  grpc::Status status = Call(agency, &identity);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(status.error_message(), "certificate revoked");
  // Others are unaffected.
  EXPECT_OK(Call(IssueClient(Agency()), &identity));
}

}  // namespace
}  // namespace regulation::access
