#include "pki/tls_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::pki {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

std::string TestDir(const std::string& name) {
  static ::regulation::testing::TempDir dir(
      "tls_files_test");  // removed when the test binary exits
  return dir.Path(name);
}

mode_t Mode(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

std::string Contents(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(TlsFilesTest, WritesAndReadsATlsDirectory) {
  const std::string dir = TestDir("client/nested");
  const KeyAndCertificate own{"KEY PEM\n", "CERT PEM\n"};
  ASSERT_OK(WriteTlsDir(dir, "CA PEM\n", own));
  EXPECT_EQ(Mode(dir + "/tls.key"), 0600u);
  EXPECT_EQ(Mode(dir + "/tls.crt"), 0644u);
  EXPECT_EQ(Mode(dir + "/ca.crt"), 0644u);
  EXPECT_EQ(Mode(dir), 0700u);

  absl::StatusOr<TlsFiles> files = ReadTlsDir(dir);
  ASSERT_OK(files);
  EXPECT_EQ(files->ca_cert_pem, "CA PEM\n");
  EXPECT_EQ(files->cert_pem, "CERT PEM\n");
  EXPECT_EQ(files->key_pem, "KEY PEM\n");

  // Re-issuing replaces the files.
  ASSERT_OK(WriteTlsDir(dir + "/", "CA2\n", KeyAndCertificate{"K2\n", "C2\n"}));
  files = ReadTlsDir(dir);
  ASSERT_OK(files);
  EXPECT_EQ(files->key_pem, "K2\n");
  EXPECT_EQ(Mode(dir + "/tls.key"), 0600u);
}

TEST(TlsFilesTest, MissingFilesAreNotFoundWithAHint) {
  const std::string dir = TestDir("missing");
  absl::StatusOr<TlsFiles> files = ReadTlsDir(dir);
  EXPECT_THAT(files, StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir + "/ca.crt")));
  EXPECT_THAT(files.status().message(), HasSubstr("regctl pki issue"));

  absl::StatusOr<KeyAndCertificate> ca = ReadCaDir(dir);
  EXPECT_THAT(ca,
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("regctl pki init --ca_dir=" + dir)));
}

TEST(TlsFilesTest, NamesTheOneMissingFile) {
  const std::string dir = TestDir("partial");
  ASSERT_OK(WriteTlsDir(dir, "CA\n", KeyAndCertificate{"K\n", "C\n"}));
  ASSERT_EQ(::unlink((dir + "/tls.key").c_str()), 0);
  absl::StatusOr<TlsFiles> files = ReadTlsDir(dir);
  EXPECT_THAT(files, StatusIs(absl::StatusCode::kNotFound, HasSubstr("tls.key")));
}

TEST(TlsFilesTest, CaDirectoryNeverLosesItsKey) {
  const std::string dir = TestDir("ca");
  ASSERT_OK(WriteCaDir(dir, KeyAndCertificate{"CA KEY\n", "CA CERT\n"}));
  EXPECT_EQ(Mode(dir + "/ca.key"), 0600u);
  EXPECT_EQ(Mode(dir + "/ca.crt"), 0644u);
  EXPECT_EQ(Mode(dir + "/revoked.txt"), 0644u);
  EXPECT_THAT(Contents(dir + "/revoked.txt"), HasSubstr("#"));

  absl::Status again = WriteCaDir(dir, KeyAndCertificate{"OTHER KEY\n", "OTHER CERT\n"});
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("ca.key")));
  absl::StatusOr<KeyAndCertificate> ca = ReadCaDir(dir);
  ASSERT_OK(ca);
  EXPECT_EQ(ca->key_pem, "CA KEY\n");
  EXPECT_EQ(ca->cert_pem, "CA CERT\n");
}

TEST(TlsFilesTest, KeepsAnExistingRevocationList) {
  const std::string dir = TestDir("ca-with-list");
  ASSERT_OK(WriteTlsDir(dir, "x\n", KeyAndCertificate{"k\n", "c\n"}));  // creates dir
  {
    std::ofstream out(dir + "/revoked.txt");
    out << "abcd\n";
  }
  ASSERT_OK(WriteCaDir(dir, KeyAndCertificate{"CA KEY\n", "CA CERT\n"}));
  EXPECT_EQ(Contents(dir + "/revoked.txt"), "abcd\n");
}

TEST(TlsFilesTest, RejectsEmptyArguments) {
  EXPECT_THAT(WriteTlsDir("", "CA\n", KeyAndCertificate{"K\n", "C\n"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WriteTlsDir(TestDir("empty"), "", KeyAndCertificate{"K\n", "C\n"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WriteCaDir(TestDir("empty"), KeyAndCertificate{"", "C\n"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TlsFilesTest, PathJoining) {
  EXPECT_EQ(TlsPath("/etc/regulation", kKeyFile), "/etc/regulation/tls.key");
  EXPECT_EQ(TlsPath("/etc/regulation/", kCertFile), "/etc/regulation/tls.crt");
}

}  // namespace
}  // namespace regulation::pki
