#include "pki/certificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pki/forged_certificate.h"
#include "services/access/caller_certificate.h"
#include "testing/status_matchers.h"

namespace regulation::pki {
namespace {

using ::regulation::access::Caller;
using ::regulation::access::CallerFromCertificate;
using ::regulation::access::RoleName;
using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), absl::UTCTimeZone());

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr Parse(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), pem.size()), &BIO_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// The text of an extension as `openssl x509 -text` prints it.
std::string ExtensionText(X509* cert, int nid, bool* critical = nullptr) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  if (index < 0) return "";
  X509_EXTENSION* ext = X509_get_ext(cert, index);
  if (critical != nullptr) *critical = X509_EXTENSION_get_critical(ext) == 1;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  X509V3_EXT_print(bio.get(), ext, 0, 0);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, len);
}

class CertificatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<KeyAndCertificate> ca =
        CreateCertificateAuthority("test CA", kStart, kStart + absl::Hours(24 * 3650));
    ASSERT_OK(ca);
    ca_ = *ca;
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

  static CertificateRequest Inspector() {
    CertificateRequest r;
    r.common_name = "王 检查员";
    r.role = Role::kInspector;
    r.department = "samr";
    r.inspector_id = "ZJ-0042";
    r.not_before = kStart;
    r.not_after = kStart + absl::Hours(24 * 365);
    return r;
  }

  static CertificateRequest Enterprise() {
    CertificateRequest r;
    r.common_name = "杭州某某贸易有限公司";
    r.role = Role::kEnterprise;
    r.credit_code = "91350100M000100Y43";
    r.not_before = kStart;
    r.not_after = kStart + absl::Hours(24 * 365);
    return r;
  }

  static CertificateRequest Server() {
    CertificateRequest r;
    r.common_name = "localhost";
    r.dns_names = {"localhost", "regulatord.example"};
    r.ip_addresses = {"127.0.0.1", "::1"};
    r.not_before = kStart;
    r.not_after = kStart + absl::Hours(24 * 825);
    return r;
  }

  KeyAndCertificate Issue(const CertificateRequest& request) {
    absl::StatusOr<KeyAndCertificate> issued = IssueCertificate(ca_, request);
    EXPECT_OK(issued);
    return issued.ok() ? *issued : KeyAndCertificate{};
  }

  KeyAndCertificate ca_;
};

TEST_F(CertificatesTest, CertificateAuthorityIsAV3P256CaCertificate) {
  X509Ptr cert = Parse(ca_.cert_pem);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
  char group[64] = {0};
  size_t group_len = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len), 1);
  EXPECT_EQ(std::string(group), "prime256v1");
  bool critical = false;
  EXPECT_EQ(ExtensionText(cert.get(), NID_basic_constraints, &critical), "CA:TRUE");
  EXPECT_TRUE(critical);
  EXPECT_THAT(ExtensionText(cert.get(), NID_key_usage), HasSubstr("Certificate Sign"));
  EXPECT_FALSE(ExtensionText(cert.get(), NID_subject_key_identifier).empty());
  EXPECT_FALSE(ExtensionText(cert.get(), NID_authority_key_identifier).empty());
  EXPECT_THAT(ca_.key_pem, HasSubstr("BEGIN PRIVATE KEY"));

  absl::StatusOr<CertificateInfo> info = DescribeCertificate(ca_.cert_pem);
  ASSERT_OK(info);
  EXPECT_TRUE(info->is_ca);
  EXPECT_EQ(info->common_name, "test CA");
  EXPECT_EQ(info->issuer_common_name, "test CA");
  EXPECT_EQ(info->not_before, kStart);
  EXPECT_EQ(info->not_after, kStart + absl::Hours(24 * 3650));
}

TEST_F(CertificatesTest, CertificateAuthorityValidatesArguments) {
  EXPECT_THAT(CreateCertificateAuthority("", kStart, kStart + absl::Hours(1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CreateCertificateAuthority("ca", kStart, kStart).status().message(),
              HasSubstr("not_after"));
  EXPECT_EQ(CreateCertificateAuthority(std::string(65, 'x'), kStart, kStart + absl::Hours(1))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CertificatesTest, AgencyCertificateCarriesItsIdentity) {
  const KeyAndCertificate agency = Issue(Agency());
  X509Ptr cert = Parse(agency.cert_pem);
  ASSERT_NE(cert, nullptr);
  bool critical = false;
  EXPECT_EQ(ExtensionText(cert.get(), NID_basic_constraints, &critical), "CA:FALSE");
  EXPECT_TRUE(critical);
  EXPECT_EQ(ExtensionText(cert.get(), NID_ext_key_usage), "TLS Web Client Authentication");
  EXPECT_EQ(ExtensionText(cert.get(), NID_key_usage), "Digital Signature");
  EXPECT_FALSE(ExtensionText(cert.get(), NID_authority_key_identifier).empty());
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);

  absl::StatusOr<CertificateInfo> info = DescribeCertificate(agency.cert_pem);
  ASSERT_OK(info);
  EXPECT_THAT(info->uris,
              ElementsAre("urn:regulation:role:agency", "urn:regulation:department:samr",
                          "urn:regulation:region:3301"));
  EXPECT_TRUE(info->client_auth);
  EXPECT_FALSE(info->server_auth);
  EXPECT_FALSE(info->is_ca);
  EXPECT_EQ(info->issuer_common_name, "test CA");

  absl::StatusOr<std::string> serial = CertificateSerialHex(agency.cert_pem);
  ASSERT_OK(serial);
  EXPECT_THAT(*serial, MatchesRegex("[89a-f][0-9a-f]{31}"));
  absl::StatusOr<Caller> caller = CallerFromCertificate(agency.cert_pem);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "agency");
  EXPECT_EQ(caller->subject, "CN=hz-samr serial=" + *serial);
  EXPECT_EQ(caller->department, "samr");
  EXPECT_EQ(caller->region_prefix, "3301");
  EXPECT_EQ(caller->inspector_id, "");
}

TEST_F(CertificatesTest, InspectorCertificateCarriesItsIdentity) {
  const KeyAndCertificate inspector = Issue(Inspector());
  absl::StatusOr<Caller> caller = CallerFromCertificate(inspector.cert_pem);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "inspector");
  EXPECT_TRUE(absl::StartsWith(caller->subject, "CN=王 检查员 serial=")) << caller->subject;
  EXPECT_EQ(caller->department, "samr");
  EXPECT_EQ(caller->inspector_id, "ZJ-0042");
  EXPECT_EQ(caller->region_prefix, "");
}

TEST_F(CertificatesTest, EnterpriseCertificateIsBoundToItsCreditCode) {
  const KeyAndCertificate enterprise = Issue(Enterprise());
  absl::StatusOr<Caller> caller = CallerFromCertificate(enterprise.cert_pem);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "enterprise");
  EXPECT_EQ(caller->credit_code, "91350100M000100Y43");
  EXPECT_EQ(caller->department, "");
  EXPECT_EQ(caller->region_prefix, "");
}

TEST_F(CertificatesTest, OtherRolesNeedOnlyAName) {
  for (Role role : {Role::kAuditor, Role::kPublic, Role::kAdmin}) {
    CertificateRequest r;
    r.common_name = "someone";
    r.role = role;
    r.not_before = kStart;
    r.not_after = kStart + absl::Hours(1);
    absl::StatusOr<Caller> caller = CallerFromCertificate(Issue(r).cert_pem);
    ASSERT_OK(caller);
    EXPECT_EQ(caller->roles.ToString(), RoleName(role));
    EXPECT_EQ(caller->department, "");
  }
}

TEST_F(CertificatesTest, ServerCertificateHasNamesAndNoRole) {
  const KeyAndCertificate server = Issue(Server());
  absl::StatusOr<CertificateInfo> info = DescribeCertificate(server.cert_pem);
  ASSERT_OK(info);
  EXPECT_TRUE(info->server_auth);
  EXPECT_FALSE(info->client_auth);
  EXPECT_TRUE(info->uris.empty());
  EXPECT_THAT(info->dns_names, ElementsAre("localhost", "regulatord.example"));
  EXPECT_THAT(info->ip_addresses, ElementsAre("127.0.0.1", "::1"));
  absl::StatusOr<Caller> caller = CallerFromCertificate(server.cert_pem);
  EXPECT_THAT(caller, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(caller.status().message(), "certificate carries no role");
}

TEST_F(CertificatesTest, SerialsAreRandom) {
  std::set<std::string> serials;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<std::string> serial = CertificateSerialHex(Issue(Agency()).cert_pem);
    ASSERT_OK(serial);
    serials.insert(*serial);
  }
  EXPECT_EQ(serials.size(), 20u);
}

// Each case: how to spoil a valid request, and the field the error must name.
struct InvalidCase {
  std::string field;
  std::function<void(CertificateRequest&)> spoil;
  std::function<CertificateRequest()> base;
};

TEST_F(CertificatesTest, InvalidRequestsNameTheField) {
  const std::vector<InvalidCase> cases = {
      {"common_name", [](CertificateRequest& r) { r.common_name = ""; }, Agency},
      {"common_name", [](CertificateRequest& r) { r.common_name = "a\nb"; }, Agency},
      {"not_after", [](CertificateRequest& r) { r.not_after = r.not_before; }, Agency},
      {"department", [](CertificateRequest& r) { r.department = ""; }, Agency},
      {"department", [](CertificateRequest& r) { r.department = "sa mr"; }, Agency},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = ""; }, Agency},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = "3"; }, Agency},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = "3301011"; }, Agency},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = "99"; }, Agency},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = "33a1"; }, Agency},
      {"inspector_id", [](CertificateRequest& r) { r.inspector_id = "x"; }, Agency},
      {"dns_names", [](CertificateRequest& r) { r.dns_names = {"localhost"}; }, Agency},
      {"ip_addresses", [](CertificateRequest& r) { r.ip_addresses = {"::1"}; }, Agency},
      {"department", [](CertificateRequest& r) { r.department = ""; }, Inspector},
      {"inspector_id", [](CertificateRequest& r) { r.inspector_id = ""; }, Inspector},
      {"inspector_id", [](CertificateRequest& r) { r.inspector_id = "a/b"; }, Inspector},
      {"inspector_id", [](CertificateRequest& r) { r.inspector_id = std::string(65, 'a'); },
       Inspector},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = "33"; }, Inspector},
      {"credit_code", [](CertificateRequest& r) { r.credit_code = "91350100M000100Y43"; },
       Inspector},
      {"credit_code", [](CertificateRequest& r) { r.credit_code = ""; }, Enterprise},
      // The check character is verified: a typo binds the certificate to no one.
      {"credit_code", [](CertificateRequest& r) { r.credit_code = "91350100M000100Y44"; },
       Enterprise},
      {"credit_code", [](CertificateRequest& r) { r.credit_code = "91350100M000100Y4"; },
       Enterprise},
      {"department", [](CertificateRequest& r) { r.department = "samr"; }, Enterprise},
      {"region_prefix", [](CertificateRequest& r) { r.region_prefix = "33"; }, Enterprise},
      {"credit_code", [](CertificateRequest& r) { r.credit_code = "91350100M000100Y43"; }, Server},
      {"dns_names",
       [](CertificateRequest& r) {
         r.dns_names.clear();
         r.ip_addresses.clear();
       },
       Server},
      {"dns_names", [](CertificateRequest& r) { r.dns_names = {"a,URI:x"}; }, Server},
      {"ip_addresses", [](CertificateRequest& r) { r.ip_addresses = {"1.2.3"}; }, Server},
      {"department", [](CertificateRequest& r) { r.department = "samr"; }, Server},
      {"not_after", [](CertificateRequest& r) { r.not_after = kStart + absl::Hours(24 * 4000); },
       Server},
  };
  for (const InvalidCase& c : cases) {
    CertificateRequest request = c.base();
    c.spoil(request);
    absl::StatusOr<KeyAndCertificate> issued = IssueCertificate(ca_, request);
    EXPECT_THAT(issued, StatusIs(absl::StatusCode::kInvalidArgument))
        << c.field << ": " << issued.status();
    EXPECT_TRUE(absl::StartsWith(issued.status().message(), c.field + ": "))
        << c.field << ": " << issued.status();
  }
}

TEST_F(CertificatesTest, IssuingNeedsAMatchingCa) {
  absl::StatusOr<KeyAndCertificate> other =
      CreateCertificateAuthority("other", kStart, kStart + absl::Hours(24 * 3650));
  ASSERT_OK(other);
  KeyAndCertificate mismatched{other->key_pem, ca_.cert_pem};
  EXPECT_THAT(IssueCertificate(mismatched, Agency()).status().message(),
              HasSubstr("ca: the key does not match"));
  KeyAndCertificate leaf_as_ca = Issue(Agency());
  EXPECT_THAT(IssueCertificate(leaf_as_ca, Agency()).status().message(),
              HasSubstr("ca: the certificate is not a CA"));
  EXPECT_THAT(IssueCertificate(KeyAndCertificate{"junk", "junk"}, Agency()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CertificatesTest, SerialOfGarbageIsInvalidArgument) {
  EXPECT_THAT(CertificateSerialHex("not pem"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DescribeCertificate(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CallerFromCertificate("junk"), StatusIs(absl::StatusCode::kUnauthenticated));
}

class VerifierTest : public CertificatesTest {
 protected:
  void SetUp() override {
    CertificatesTest::SetUp();
    absl::StatusOr<std::unique_ptr<CertificateVerifier>> verifier =
        CertificateVerifier::Create(ca_.cert_pem);
    ASSERT_OK(verifier);
    verifier_ = *std::move(verifier);
  }

  std::unique_ptr<CertificateVerifier> verifier_;
};

TEST_F(VerifierTest, AcceptsAValidClientCertificate) {
  const KeyAndCertificate agency = Issue(Agency());
  EXPECT_OK(verifier_->Verify(agency.cert_pem, kStart + absl::Hours(1)));
  EXPECT_OK(verifier_->Verify(agency.cert_pem, kStart));  // notBefore is inclusive
  EXPECT_EQ(verifier_->CacheSizeForTesting(), 1u);
  EXPECT_OK(verifier_->Verify(agency.cert_pem, kStart + absl::Hours(2)));
  EXPECT_EQ(verifier_->CacheSizeForTesting(), 1u);
}

TEST_F(VerifierTest, RejectsOutsideTheValidityPeriodEvenWhenCached) {
  CertificateRequest request = Agency();
  request.not_before = kStart + absl::Hours(1);
  const KeyAndCertificate agency = Issue(request);
  ASSERT_OK(verifier_->Verify(agency.cert_pem, kStart + absl::Hours(2)));
  ASSERT_EQ(verifier_->CacheSizeForTesting(), 1u);

  absl::Status expired = verifier_->Verify(agency.cert_pem, request.not_after);
  EXPECT_THAT(expired, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(expired.message(), "certificate expired");
  absl::Status early = verifier_->Verify(agency.cert_pem, request.not_before - absl::Seconds(1));
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(early.message(), "certificate not yet valid");
  // And before it was ever cached.
  const KeyAndCertificate fresh = Issue(request);
  EXPECT_EQ(verifier_->Verify(fresh.cert_pem, request.not_after + absl::Hours(1)).message(),
            "certificate expired");
}

TEST_F(VerifierTest, RejectsWhenTheCaIsNotYetValid) {
  absl::StatusOr<KeyAndCertificate> late_ca = CreateCertificateAuthority(
      "late CA", kStart + absl::Hours(24), kStart + absl::Hours(24 * 3650));
  ASSERT_OK(late_ca);
  absl::StatusOr<KeyAndCertificate> agency = IssueCertificate(*late_ca, Agency());
  ASSERT_OK(agency);
  auto verifier = CertificateVerifier::Create(late_ca->cert_pem);
  ASSERT_OK(verifier);
  EXPECT_EQ((*verifier)->Verify(agency->cert_pem, kStart + absl::Hours(1)).message(),
            "CA certificate not yet valid");
  EXPECT_OK((*verifier)->Verify(agency->cert_pem, kStart + absl::Hours(25)));
}

TEST_F(VerifierTest, RejectsCertificatesOfAnotherCa) {
  absl::StatusOr<KeyAndCertificate> other =
      CreateCertificateAuthority("test CA", kStart, kStart + absl::Hours(24 * 3650));
  ASSERT_OK(other);
  // Same CA name, different key: the signature gives it away.
  absl::StatusOr<KeyAndCertificate> agency = IssueCertificate(*other, Agency());
  ASSERT_OK(agency);
  absl::Status status = verifier_->Verify(agency->cert_pem, kStart + absl::Hours(1));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(status.message(), "certificate not issued by this system's CA");
  EXPECT_THAT(
      verifier_->Verify(ForgedCertificate("x", "URI:urn:regulation:role:admin"), absl::Now()),
      StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(verifier_->CacheSizeForTesting(), 0u);
}

TEST_F(VerifierTest, RejectsServerAndCaCertificates) {
  EXPECT_EQ(verifier_->Verify(Issue(Server()).cert_pem, kStart + absl::Hours(1)).message(),
            "certificate not issued for client authentication");
  EXPECT_EQ(verifier_->Verify(ca_.cert_pem, kStart + absl::Hours(1)).message(),
            "certificate not issued for client authentication");
}

TEST_F(VerifierTest, RejectsGarbage) {
  EXPECT_EQ(verifier_->Verify("", kStart).message(), "certificate cannot be parsed");
  EXPECT_EQ(
      verifier_->Verify("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", kStart)
          .message(),
      "certificate cannot be parsed");
  EXPECT_EQ(verifier_->Verify(ca_.key_pem, kStart).message(), "certificate cannot be parsed");
}

TEST_F(VerifierTest, CreateNeedsACaCertificate) {
  EXPECT_THAT(CertificateVerifier::Create("junk"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CertificateVerifier::Create(Issue(Agency()).cert_pem),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(VerifierTest, ConcurrentVerification) {
  std::vector<std::string> certs;
  for (int i = 0; i < 8; ++i) certs.push_back(Issue(Agency()).cert_pem);
  const std::string foreign = ForgedCertificate("x", "URI:urn:regulation:role:admin");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!verifier_->Verify(certs[(t + i) % certs.size()], kStart + absl::Hours(1)).ok()) {
          ++failures;
        }
        if (verifier_->Verify(foreign, kStart + absl::Hours(1)).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(verifier_->CacheSizeForTesting(), certs.size());
}

}  // namespace
}  // namespace regulation::pki
