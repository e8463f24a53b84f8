#include "services/access/certificate_identity.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "pki/certificates.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::access {
namespace {

using ::regulation::pki::CertificateRequest;
using ::regulation::pki::CertificateSerialHex;
using ::regulation::pki::CertificateVerifier;
using ::regulation::pki::CreateCertificateAuthority;
using ::regulation::pki::IssueCertificate;
using ::regulation::pki::KeyAndCertificate;
using ::regulation::testing::StatusIs;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), absl::UTCTimeZone());

class CertificateIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    revoked_path_ = temp_.Path("identity_revoked.txt");
    std::remove(revoked_path_.c_str());
    absl::StatusOr<KeyAndCertificate> ca =
        CreateCertificateAuthority("test CA", kStart, kStart + absl::Hours(24 * 3650));
    ASSERT_OK(ca);
    ca_ = *ca;
    absl::StatusOr<std::unique_ptr<CertificateVerifier>> verifier =
        CertificateVerifier::Create(ca_.cert_pem);
    ASSERT_OK(verifier);
    verifier_ = *std::move(verifier);
    revocations_ = std::make_unique<RevocationList>(revoked_path_, &clock_);
    resolver_ =
        std::make_unique<CertificateIdentityResolver>(verifier_.get(), revocations_.get(), &clock_);
  }
  void TearDown() override { std::remove(revoked_path_.c_str()); }

  std::string Issue(const CertificateRequest& request) {
    absl::StatusOr<KeyAndCertificate> issued = IssueCertificate(ca_, request);
    EXPECT_OK(issued);
    return issued.ok() ? issued->cert_pem : "";
  }

  static CertificateRequest Agency() {
    CertificateRequest r;
    r.common_name = "hz-samr";
    r.role = Role::kAgency;
    r.department = "samr";
    r.region_prefix = "3301";
    r.not_before = kStart;
    r.not_after = kStart + absl::Hours(24 * 365);
    return r;
  }

  FakeClock clock_{kStart + absl::Hours(1)};
  ::regulation::testing::TempDir temp_;  // removed after each test
  std::string revoked_path_;
  KeyAndCertificate ca_;
  std::unique_ptr<CertificateVerifier> verifier_;
  std::unique_ptr<RevocationList> revocations_;
  std::unique_ptr<CertificateIdentityResolver> resolver_;
};

TEST_F(CertificateIdentityTest, NoCertificateIsTheAnonymousPublic) {
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate("");
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "public");
  EXPECT_EQ(caller->subject, "anonymous");
  EXPECT_TRUE(caller->anonymous);
  EXPECT_EQ(caller->department, "");
}

TEST_F(CertificateIdentityTest, ValidCertificateIsItsCaller) {
  const std::string cert = Issue(Agency());
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate(cert);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "agency");
  EXPECT_EQ(caller->subject, "CN=hz-samr serial=" + *CertificateSerialHex(cert));
  EXPECT_EQ(caller->department, "samr");
  EXPECT_EQ(caller->region_prefix, "3301");
}

TEST_F(CertificateIdentityTest, ExpiredCertificateIsRejectedAtTheClocksTime) {
  const std::string cert = Issue(Agency());
  ASSERT_OK(resolver_->ResolvePeerCertificate(cert));
  clock_.Advance(absl::Hours(24 * 366));
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate(cert);
  EXPECT_THAT(caller, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(caller.status().message(), "certificate expired");
}

TEST_F(CertificateIdentityTest, RevokedCertificateIsRejected) {
  const std::string cert = Issue(Agency());
  const std::string other = Issue(Agency());
  ASSERT_OK(resolver_->ResolvePeerCertificate(cert));
  {
    std::ofstream out(revoked_path_);
    out << "# revoked\n" << *CertificateSerialHex(cert) << "\n";
  }
  clock_.Advance(absl::Seconds(2));
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate(cert);
  EXPECT_THAT(caller, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(caller.status().message(), "certificate revoked");
  EXPECT_OK(resolver_->ResolvePeerCertificate(other));
}

TEST_F(CertificateIdentityTest, ForeignOrMalformedCertificateIsRejected) {
  absl::StatusOr<KeyAndCertificate> other_ca =
      CreateCertificateAuthority("test CA", kStart, kStart + absl::Hours(24 * 3650));
  ASSERT_OK(other_ca);
  absl::StatusOr<KeyAndCertificate> foreign = IssueCertificate(*other_ca, Agency());
  ASSERT_OK(foreign);
  EXPECT_EQ(resolver_->ResolvePeerCertificate(foreign->cert_pem).status().message(),
            "certificate not issued by this system's CA");
  EXPECT_THAT(resolver_->ResolvePeerCertificate("garbage"),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace regulation::access
