#include "disclosure/signing_key.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/escaping.h"
#include "common/files.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;

// golang.org/x/mod/sumdb/note's test key: "PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 ||
// seed)>" and its verifier key.
constexpr char kPeterSeedB64[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kPeterVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kEnochVerifierKey[] =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

std::string PeterSeed() {
  std::string raw;
  absl::Base64Unescape(kPeterSeedB64, &raw);
  return raw.substr(1);  // drop the algorithm byte
}

std::string TempDir() {
  static ::regulation::testing::TempDir base(
      "signing_key_test");  // removed when the test binary exits
  std::string dir = base.Path(::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(SigningKeyTest, KeyIdAndVerifierKeyMatchGosNotePackage) {
  absl::StatusOr<SigningKey> key = SigningKey::FromSeed("PeterNeumann", PeterSeed());
  ASSERT_OK(key);
  EXPECT_EQ(key->key_id(), 0xc74f20a3u);
  EXPECT_EQ(key->VerifierKey(), kPeterVerifierKey);
  EXPECT_EQ(Ed25519KeyId("PeterNeumann", key->public_key()), 0xc74f20a3u);
}

TEST(SigningKeyTest, ParsesVerifierKeys) {
  absl::StatusOr<NoteVerifier> peter = NoteVerifier::Parse(kPeterVerifierKey);
  ASSERT_OK(peter);
  EXPECT_EQ(peter->name(), "PeterNeumann");
  EXPECT_EQ(peter->key_id(), 0xc74f20a3u);
  EXPECT_EQ(peter->VerifierKey(), kPeterVerifierKey);
  absl::StatusOr<NoteVerifier> enoch = NoteVerifier::Parse(kEnochVerifierKey);
  ASSERT_OK(enoch);
  EXPECT_EQ(enoch->key_id(), 0xaf0cfe78u);
}

TEST(SigningKeyTest, RejectsMangledVerifierKeys) {
  const std::string good = kPeterVerifierKey;
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] + 1);
    EXPECT_FALSE(NoteVerifier::Parse(bad).ok()) << bad;
  }
  for (size_t len = 0; len < good.size(); ++len) {
    EXPECT_FALSE(NoteVerifier::Parse(good.substr(0, len)).ok()) << len;
  }
  // Wrong length key (key id adjusted) and unknown algorithm, from Go's tests.
  EXPECT_FALSE(NoteVerifier::Parse(
                   "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
                   .ok());
  EXPECT_FALSE(
      NoteVerifier::Parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
}

TEST(SigningKeyTest, SignaturesVerifyOnlyForTheirMessageAndKey) {
  absl::StatusOr<SigningKey> key = SigningKey::Generate("regulation.example/disclosure");
  ASSERT_OK(key);
  absl::StatusOr<SigningKey> other = SigningKey::Generate("regulation.example/disclosure");
  ASSERT_OK(other);
  absl::StatusOr<std::string> sig = key->Sign("hello\n");
  ASSERT_OK(sig);
  EXPECT_EQ(sig->size(), 64u);
  EXPECT_TRUE(key->verifier().Verify("hello\n", *sig));
  EXPECT_FALSE(key->verifier().Verify("hello!\n", *sig));
  EXPECT_FALSE(other->verifier().Verify("hello\n", *sig));
  std::string flipped = *sig;
  flipped[10] ^= 1;
  EXPECT_FALSE(key->verifier().Verify("hello\n", flipped));
  EXPECT_FALSE(key->verifier().Verify("hello\n", sig->substr(1)));
  EXPECT_NE(key->key_id(), other->key_id());
}

TEST(SigningKeyTest, RejectsBadNames) {
  EXPECT_FALSE(SigningKey::Generate("").ok());
  EXPECT_FALSE(SigningKey::Generate("a b").ok());
  EXPECT_FALSE(SigningKey::Generate("a+b").ok());
  EXPECT_FALSE(SigningKey::Generate("a\xC2\xA0"
                                    "b")
                   .ok());  // NO-BREAK SPACE
  EXPECT_FALSE(SigningKey::Generate("a\xff").ok());
  EXPECT_OK(SigningKey::Generate("regulation.example/\xE5\x85\xAC\xE7\xA4\xBA"));
}

TEST(SigningKeyTest, LoadOrGenerateWritesAPrivateFileAndReloadsTheSameKey) {
  const std::string path = TempDir() + "/log.pem";
  absl::StatusOr<SigningKey> first = SigningKey::LoadOrGenerate(path, "example.org/log");
  ASSERT_OK(first);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  absl::StatusOr<std::string> pem = ReadWholeFile(path);
  ASSERT_OK(pem);
  EXPECT_EQ(pem->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << *pem;

  absl::StatusOr<SigningKey> second = SigningKey::LoadOrGenerate(path, "example.org/log");
  ASSERT_OK(second);
  EXPECT_EQ(second->public_key(), first->public_key());
  EXPECT_EQ(second->VerifierKey(), first->VerifierKey());
  EXPECT_THAT(first->WriteNew(path), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(SigningKeyTest, LoadRefusesFilesOthersCanRead) {
  const std::string path = TempDir() + "/log.pem";
  ASSERT_OK(SigningKey::LoadOrGenerate(path, "example.org/log"));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_THAT(SigningKey::Load(path, "example.org/log"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SigningKeyTest, LoadErrors) {
  const std::string dir = TempDir();
  EXPECT_THAT(SigningKey::Load(dir + "/missing.pem", "n"), StatusIs(absl::StatusCode::kNotFound));
  AtomicWriteOptions options;
  options.mode = 0600;
  ASSERT_OK(WriteFileAtomically(dir + "/garbage.pem", "not a key\n", options));
  EXPECT_THAT(SigningKey::Load(dir + "/garbage.pem", "n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::disclosure
