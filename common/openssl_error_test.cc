#include "common/openssl_error.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(OpenSslError, NamesTheCallAndOpenSslsReasonThenClearsTheQueue) {
  ERR_clear_error();
  // An algorithm OpenSSL does not know queues an error.
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "NO-SUCH-ALGORITHM", nullptr);
  ASSERT_EQ(ctx, nullptr);
  ASSERT_NE(ERR_peek_error(), 0u);
  const absl::Status status = OpenSslError("EVP_PKEY_CTX_new_from_name");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInternal,
                               StartsWith("EVP_PKEY_CTX_new_from_name failed: error:")));
  EXPECT_EQ(ERR_peek_error(), 0u) << "the next failure must not report this one";
  EXPECT_THAT(OpenSslError("X509_sign"), StatusIs(absl::StatusCode::kInternal, "X509_sign failed"));
}

TEST(OpenSslError, JoinsEveryQueuedErrorOldestFirst) {
  ERR_clear_error();
  ERR_raise(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM);
  ERR_raise(ERR_LIB_EVP, EVP_R_INVALID_KEY);
  EXPECT_THAT(OpenSslError("sign"),
              StatusIs(absl::StatusCode::kInternal,
                       AllOf(StartsWith("sign failed: error:"),
                             HasSubstr("unsupported algorithm; error:"), EndsWith("invalid key"))));
}

}  // namespace
}  // namespace regulation
