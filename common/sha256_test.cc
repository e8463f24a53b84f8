#include "common/sha256.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace regulation {
namespace {

// FIPS 180-2 known answers.
TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Each thread reuses a hasher of its own: calls interleaved across threads, and calls
// after one another on a thread, each start from a fresh digest.
TEST(Sha256, ConcurrentCallsEachGiveTheKnownAnswer) {
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        wrong += Sha256Hex("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        wrong += Sha256Hex(two_blocks) !=
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
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
