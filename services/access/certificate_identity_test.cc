#include "services/access/certificate_identity.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "testing/fake_clock.h"

namespace regulation::access {
namespace {

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), absl::UTCTimeZone());

class CertificateIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("TEST_TMPDIR");
    revoked_path_ = std::string(dir != nullptr ? dir : "/tmp") + "/identity_revoked.txt";
    std::remove(revoked_path_.c_str());
    absl::StatusOr<KeyAndCertificate> ca =
        CreateCertificateAuthority("test CA", kStart, kStart + absl::Hours(24 * 3650));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = *ca;
    absl::StatusOr<std::unique_ptr<CertificateVerifier>> verifier =
        CertificateVerifier::Create(ca_.cert_pem);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
    revocations_ = std::make_unique<RevocationList>(revoked_path_, &clock_);
    resolver_ =
        std::make_unique<CertificateIdentityResolver>(verifier_.get(), revocations_.get(), &clock_);
  }
  void TearDown() override { std::remove(revoked_path_.c_str()); }

  std::string Issue(const CertificateRequest& request) {
    absl::StatusOr<KeyAndCertificate> issued = IssueCertificate(ca_, request);
    EXPECT_TRUE(issued.ok()) << issued.status();
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
  std::string revoked_path_;
  KeyAndCertificate ca_;
  std::unique_ptr<CertificateVerifier> verifier_;
  std::unique_ptr<RevocationList> revocations_;
  std::unique_ptr<CertificateIdentityResolver> resolver_;
};

TEST_F(CertificateIdentityTest, NoCertificateIsTheAnonymousPublic) {
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate("");
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->roles.ToString(), "public");
  EXPECT_EQ(caller->subject, "anonymous");
  EXPECT_TRUE(caller->anonymous);
  EXPECT_EQ(caller->department, "");
}

TEST_F(CertificateIdentityTest, ValidCertificateIsItsCaller) {
  const std::string cert = Issue(Agency());
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate(cert);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->roles.ToString(), "agency");
  EXPECT_EQ(caller->subject, "CN=hz-samr serial=" + *CertificateSerialHex(cert));
  EXPECT_EQ(caller->department, "samr");
  EXPECT_EQ(caller->region_prefix, "3301");
}

TEST_F(CertificateIdentityTest, ExpiredCertificateIsRejectedAtTheClocksTime) {
  const std::string cert = Issue(Agency());
  ASSERT_TRUE(resolver_->ResolvePeerCertificate(cert).ok());
  clock_.Advance(absl::Hours(24 * 366));
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate(cert);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(caller.status().message(), "certificate expired");
}

TEST_F(CertificateIdentityTest, RevokedCertificateIsRejected) {
  const std::string cert = Issue(Agency());
  const std::string other = Issue(Agency());
  ASSERT_TRUE(resolver_->ResolvePeerCertificate(cert).ok());
  {
    std::ofstream out(revoked_path_);
    out << "# revoked\n" << *CertificateSerialHex(cert) << "\n";
  }
  clock_.Advance(absl::Seconds(2));
  absl::StatusOr<Caller> caller = resolver_->ResolvePeerCertificate(cert);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(caller.status().message(), "certificate revoked");
  EXPECT_TRUE(resolver_->ResolvePeerCertificate(other).ok());
}

TEST_F(CertificateIdentityTest, ForeignOrMalformedCertificateIsRejected) {
  absl::StatusOr<KeyAndCertificate> other_ca =
      CreateCertificateAuthority("test CA", kStart, kStart + absl::Hours(24 * 3650));
  ASSERT_TRUE(other_ca.ok());
  absl::StatusOr<KeyAndCertificate> foreign = IssueCertificate(*other_ca, Agency());
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(resolver_->ResolvePeerCertificate(foreign->cert_pem).status().message(),
            "certificate not issued by this system's CA");
  EXPECT_EQ(resolver_->ResolvePeerCertificate("garbage").status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace regulation::access
