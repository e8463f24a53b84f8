#include "common/sha256.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace regulation {
namespace {

// FIPS 180-2 known answers.
TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Hasher, ReusedContextMatchesOneShot) {
  Sha256Hasher hasher;
  for (const char* input : {"", "abc", "a longer input spanning more than nothing"}) {
    hasher.Update(input);
    EXPECT_EQ(hasher.FinishString(), Sha256(input)) << input;
  }
  hasher.Update("ab");
  hasher.Update("c");
  EXPECT_EQ(absl::BytesToHexString(hasher.FinishString()), Sha256Hex("abc"));
}

}  // namespace
}  // namespace regulation
