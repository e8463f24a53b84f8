#include "services/access/caller_certificate.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pki/forged_certificate.h"
#include "testing/status_matchers.h"

namespace regulation::access {
namespace {

using ::regulation::pki::ForgedCertificate;
using ::regulation::testing::StatusIs;

TEST(CallerFromCertificateTest, RejectsCertificatesWithoutExactlyOneValidIdentity) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "certificate carries no role"},
      {"DNS:localhost", "certificate carries no role"},
      {"URI:urn:regulation:role:auditor,URI:urn:regulation:role:admin",
       "certificate carries more than one role"},
      {"URI:urn:regulation:role:auditor,URI:urn:regulation:role:auditor",
       "certificate carries more than one role"},
      {"URI:urn:regulation:role:superuser", "certificate carries an unknown role"},
      {"URI:urn:regulation:role:Agency", "certificate carries an unknown role"},
      {"URI:urn:regulation:role:agency,URI:urn:regulation:department:samr",
       "certificate lacks a valid region prefix for its role"},
      {"URI:urn:regulation:role:agency,URI:urn:regulation:region:3301",
       "certificate lacks a valid department for its role"},
      {"URI:urn:regulation:role:agency,URI:urn:regulation:department:samr,"
       "URI:urn:regulation:region:9",
       "certificate lacks a valid region prefix for its role"},
      {"URI:urn:regulation:role:inspector,URI:urn:regulation:department:samr",
       "certificate lacks a valid inspector id for its role"},
      {"URI:urn:regulation:role:agency,URI:urn:regulation:department:samr,"
       "URI:urn:regulation:department:nmpa,URI:urn:regulation:region:33",
       "certificate repeats its department"},
      {"URI:urn:regulation:role:enterprise", "certificate lacks a valid credit code for its role"},
      // A wrong check character: the certificate names no enterprise at all.
      {"URI:urn:regulation:role:enterprise,URI:urn:regulation:credit-code:91350100M000100Y44",
       "certificate lacks a valid credit code for its role"},
      {"URI:urn:regulation:role:enterprise,URI:urn:regulation:credit-code:91350100M000100Y43,"
       "URI:urn:regulation:credit-code:91350100M000100Y43",
       "certificate repeats its credit-code"},
  };
  for (const auto& [san, reason] : cases) {
    absl::StatusOr<Caller> caller = CallerFromCertificate(ForgedCertificate("x", san));
    EXPECT_THAT(caller, StatusIs(absl::StatusCode::kUnauthenticated)) << san;
    EXPECT_EQ(caller.status().message(), reason) << san;
  }
  EXPECT_EQ(CallerFromCertificate(ForgedCertificate("", "URI:urn:regulation:role:admin"))
                .status()
                .message(),
            "certificate has no common name");
}

TEST(CallerFromCertificateTest, AnEnterpriseIsBoundToItsCreditCode) {
  absl::StatusOr<Caller> caller = CallerFromCertificate(ForgedCertificate(
      "acme", "URI:urn:regulation:role:enterprise,URI:urn:regulation:credit-code:91350100M000100Y43,"
              "URI:urn:regulation:region:33"));
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "enterprise");
  EXPECT_EQ(caller->credit_code, "91350100M000100Y43");
  EXPECT_EQ(caller->region_prefix, "");  // not for its role
}

TEST(CallerFromCertificateTest, IgnoresForeignAndInapplicableUris) {
  absl::StatusOr<Caller> caller = CallerFromCertificate(ForgedCertificate(
      "ops",
      "URI:https://example.com/x,URI:urn:regulation:role:auditor,"
      "URI:urn:regulation:region:33,URI:urn:regulation:future:thing,email:a@b.c,"
      "URI:urn:regulation:credit-code:91350100M000100Y43"));
  ASSERT_OK(caller);
  EXPECT_EQ(caller->roles.ToString(), "auditor");
  EXPECT_EQ(caller->region_prefix, "");
  EXPECT_EQ(caller->credit_code, "");
  EXPECT_EQ(caller->subject, "CN=ops serial=1234");
}

}  // namespace
}  // namespace regulation::access
