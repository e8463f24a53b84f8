#include "tools/regctl/pki_command.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pki/certificates.h"
#include "pki/tls_files.h"
#include "services/access/caller_certificate.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/regctl/connection.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), absl::UTCTimeZone());

std::string Contents(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class PkiCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.ca_dir = root_ + "/ca";
    options_.clock = &clock_;
  }

  // Runs `regctl pki <args>` and keeps what it printed.
  int Run(std::vector<std::string> args, const PkiOptions& options) {
    char* buffer = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    const int code = RunPkiCommand(args, options, out);
    std::fclose(out);
    output_.assign(buffer, size);
    std::free(buffer);
    return code;
  }

  int Init() { return Run({"init"}, options_); }

  PkiOptions Agency(const std::string& out) {
    PkiOptions o = options_;
    o.out = out;
    o.role = "agency";
    o.name = "hz-samr";
    o.department = "samr";
    o.region = "3301";
    return o;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  const std::string root_ = temp_.path();
  FakeClock clock_{kStart};
  PkiOptions options_;
  std::string output_;
};

TEST_F(PkiCommandTest, InitCreatesTheCaOnce) {
  ASSERT_EQ(Init(), kExitOk);
  EXPECT_THAT(output_, HasSubstr("created CA \"regulation CA\""));
  absl::StatusOr<pki::KeyAndCertificate> ca = pki::ReadCaDir(options_.ca_dir);
  ASSERT_OK(ca);
  absl::StatusOr<pki::CertificateInfo> info = pki::DescribeCertificate(ca->cert_pem);
  ASSERT_OK(info);
  EXPECT_TRUE(info->is_ca);
  EXPECT_EQ(info->not_after, kStart + absl::Hours(24 * 3650));
  EXPECT_EQ(info->not_before, kStart - absl::Minutes(5));

  EXPECT_EQ(Init(), kExitServerError);
  absl::StatusOr<pki::KeyAndCertificate> again = pki::ReadCaDir(options_.ca_dir);
  ASSERT_OK(again);
  EXPECT_EQ(again->key_pem, ca->key_pem);
}

TEST_F(PkiCommandTest, IssuesAnAgencyCertificate) {
  ASSERT_EQ(Init(), kExitOk);
  ASSERT_EQ(Run({"issue"}, Agency(root_ + "/agency")), kExitOk) << output_;
  EXPECT_THAT(output_, HasSubstr("issued agency certificate CN=hz-samr serial="));
  absl::StatusOr<pki::TlsFiles> files = pki::ReadTlsDir(root_ + "/agency");
  ASSERT_OK(files);
  absl::StatusOr<access::Caller> caller = access::CallerFromCertificate(files->cert_pem);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "agency");
  EXPECT_EQ(caller->region_prefix, "3301");
  absl::StatusOr<std::unique_ptr<pki::CertificateVerifier>> verifier =
      pki::CertificateVerifier::Create(files->ca_cert_pem);
  ASSERT_OK(verifier);
  EXPECT_OK((*verifier)->Verify(files->cert_pem, kStart));

  PkiOptions show;
  show.cert = root_ + "/agency/tls.crt";
  show.clock = &clock_;
  ASSERT_EQ(Run({"show"}, show), kExitOk);
  EXPECT_THAT(output_, HasSubstr("subject:      CN=hz-samr\n"));
  EXPECT_THAT(output_, HasSubstr("role:         agency\n"));
  EXPECT_THAT(output_, HasSubstr("department:   samr\n"));
  EXPECT_THAT(output_, HasSubstr("region:       3301\n"));
  EXPECT_THAT(output_, HasSubstr("inspector id: -\n"));
  EXPECT_THAT(output_, HasSubstr("(valid)"));
}

TEST_F(PkiCommandTest, IssuesAnEnterpriseCertificateBoundToItsCreditCode) {
  ASSERT_EQ(Init(), kExitOk);
  PkiOptions o = options_;
  o.out = root_ + "/acme";
  o.role = "enterprise";
  o.name = "acme";
  o.credit_code = "91350100M000100Y43";
  ASSERT_EQ(Run({"issue"}, o), kExitOk) << output_;
  absl::StatusOr<pki::TlsFiles> files = pki::ReadTlsDir(o.out);
  ASSERT_OK(files);
  absl::StatusOr<access::Caller> caller = access::CallerFromCertificate(files->cert_pem);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->credit_code, "91350100M000100Y43");

  // A mistyped code would bind the certificate to no one: refused, naming the flag.
  o.out = root_ + "/typo";
  o.credit_code = "91350100M000100Y44";
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  o.credit_code = "";
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/typo/tls.key"));
}

TEST_F(PkiCommandTest, IssuesAServerCertificate) {
  ASSERT_EQ(Init(), kExitOk);
  PkiOptions o = options_;
  o.out = root_ + "/server";
  o.server_cert = true;
  o.dns = "localhost, regulatord.local";
  o.ip = "127.0.0.1,::1";
  ASSERT_EQ(Run({"issue"}, o), kExitOk) << output_;
  EXPECT_THAT(output_, HasSubstr("issued server certificate CN=localhost"));
  absl::StatusOr<pki::TlsFiles> files = pki::ReadTlsDir(o.out);
  ASSERT_OK(files);
  absl::StatusOr<pki::CertificateInfo> info = pki::DescribeCertificate(files->cert_pem);
  ASSERT_OK(info);
  EXPECT_TRUE(info->server_auth);
  EXPECT_EQ(info->not_after, kStart + absl::Hours(24 * 825));
  EXPECT_THAT(info->dns_names, ::testing::ElementsAre("localhost", "regulatord.local"));
}

TEST_F(PkiCommandTest, UsageErrorsNameTheFlag) {
  ASSERT_EQ(Init(), kExitOk);
  PkiOptions o = Agency(root_ + "/bad");
  o.region = "";
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  o = Agency(root_ + "/bad");
  o.role = "king";
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  o = Agency(root_ + "/bad");
  o.out = "";
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  o = Agency(root_ + "/bad");
  o.days = -1;
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  o = Agency(root_ + "/bad");
  o.days = 4000;  // beyond the CA
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  o = options_;
  o.out = root_ + "/bad";
  o.server_cert = true;
  EXPECT_EQ(Run({"issue"}, o), kExitUsage);
  EXPECT_EQ(Run({"frobnicate"}, options_), kExitUsage);
  EXPECT_EQ(Run({}, options_), kExitUsage);
  EXPECT_EQ(Run({"init", "extra"}, options_), kExitUsage);
  EXPECT_EQ(Run({"show"}, PkiOptions()), kExitUsage);
}

TEST_F(PkiCommandTest, IssueWithoutACaFails) {
  EXPECT_EQ(Run({"issue"}, Agency(root_ + "/agency")), kExitServerError);
}

TEST_F(PkiCommandTest, RevokeAppendsTheSerialOnce) {
  ASSERT_EQ(Init(), kExitOk);
  ASSERT_EQ(Run({"issue"}, Agency(root_ + "/agency")), kExitOk);
  absl::StatusOr<pki::TlsFiles> files = pki::ReadTlsDir(root_ + "/agency");
  ASSERT_OK(files);
  const std::string serial = *pki::CertificateSerialHex(files->cert_pem);

  PkiOptions o = options_;
  o.cert = root_ + "/agency/tls.crt";
  ASSERT_EQ(Run({"revoke"}, o), kExitOk);
  EXPECT_THAT(output_, HasSubstr(serial + " revoked (CN=hz-samr)"));
  ASSERT_EQ(Run({"revoke"}, o), kExitOk);
  EXPECT_THAT(output_, HasSubstr(serial + " already revoked"));

  const std::string list = Contents(options_.ca_dir + "/revoked.txt");
  EXPECT_EQ(list.find(serial), list.rfind(serial)) << list;
  EXPECT_THAT(list, HasSubstr("\n" + serial + "\n"));
  EXPECT_THAT(list, HasSubstr("# CN=hz-samr revoked 2026-01-01T00:00:00Z\n"));
}

TEST_F(PkiCommandTest, ShowsServerAndCaCertificates) {
  ASSERT_EQ(Init(), kExitOk);
  PkiOptions o;
  o.clock = &clock_;
  o.cert = options_.ca_dir + "/ca.crt";
  ASSERT_EQ(Run({"show"}, o), kExitOk);
  EXPECT_THAT(output_, HasSubstr("kind:         certificate authority\n"));
  EXPECT_THAT(output_, ::testing::Not(HasSubstr("role:")));
  clock_.Advance(absl::Hours(24 * 3651));
  ASSERT_EQ(Run({"show"}, o), kExitOk);
  EXPECT_THAT(output_, HasSubstr("(EXPIRED)"));
  o.cert = root_ + "/missing.crt";
  EXPECT_EQ(Run({"show"}, o), kExitServerError);
}

}  // namespace
}  // namespace regulation::regctl
