#include "disclosure/merkle.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::ElementsAreArray;

std::string H(absl::string_view hex) { return absl::HexStringToBytes(hex); }

std::vector<std::string> Hs(std::vector<absl::string_view> hexes) {
  std::vector<std::string> out;
  for (absl::string_view h : hexes) out.push_back(H(h));
  return out;
}

// The RFC 6962 test tree used by the certificate-transparency and transparency-dev
// (github.com/transparency-dev/merkle, proof/verify_test.go) test suites.
std::vector<std::string> TestLeaves() {
  return {H(""),
          H("00"),
          H("10"),
          H("2021"),
          H("3031"),
          H("40414243"),
          H("5051525354555657"),
          H("606162636465666768696a6b6c6d6e6f")};
}

std::vector<std::string> TestLeafHashes() {
  std::vector<std::string> out;
  for (const std::string& leaf : TestLeaves()) out.push_back(LeafHash(leaf));
  return out;
}

// Roots of the trees of the first 1..8 leaves.
const char* const kRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

std::string Root(uint64_t size) { return H(kRoots[size - 1]); }

struct InclusionVector {
  uint64_t index;  // 0-based (the suites number leaves from 1)
  uint64_t size;
  std::vector<absl::string_view> proof;
};

const std::vector<InclusionVector>& InclusionVectors() {
  static const auto* vectors = new std::vector<InclusionVector>{
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  return *vectors;
}

struct ConsistencyVector {
  uint64_t first;
  uint64_t second;
  std::vector<absl::string_view> proof;
};

const std::vector<ConsistencyVector>& ConsistencyVectors() {
  static const auto* vectors = new std::vector<ConsistencyVector>{
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6,
       7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  return *vectors;
}

std::vector<std::string> Leaves(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(LeafHash("entry " + std::to_string(i)));
  return out;
}

TEST(MerkleTest, EmptyTreeRootIsSha256OfNothing) {
  EXPECT_EQ(absl::BytesToHexString(EmptyRootHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(RootFromLeafHashes({}), EmptyRootHash());
  LeafHashSource source({});
  EXPECT_EQ(*RootHash(0, source), EmptyRootHash());
}

TEST(MerkleTest, LeafHashOfEmptyEntryIsKnown) {
  EXPECT_EQ(absl::BytesToHexString(LeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(MerkleTest, RootsOfTheTestTreeMatchTheKnownAnswers) {
  const std::vector<std::string> leaves = TestLeafHashes();
  for (uint64_t size = 1; size <= 8; ++size) {
    absl::Span<const std::string> prefix(leaves.data(), size);
    EXPECT_EQ(absl::BytesToHexString(RootFromLeafHashes(prefix)), kRoots[size - 1]) << size;
    LeafHashSource source(prefix);
    EXPECT_EQ(absl::BytesToHexString(*RootHash(size, source)), kRoots[size - 1]) << size;
    // The full tree's source answers for every smaller size too.
    LeafHashSource full(leaves);
    EXPECT_EQ(absl::BytesToHexString(*RootHash(size, full)), kRoots[size - 1]) << size;
  }
}

TEST(MerkleTest, InclusionProofsMatchTheKnownAnswers) {
  const std::vector<std::string> leaves = TestLeafHashes();
  LeafHashSource source(leaves);
  for (const InclusionVector& v : InclusionVectors()) {
    absl::StatusOr<std::vector<std::string>> proof = InclusionProof(v.index, v.size, source);
    ASSERT_OK(proof);
    EXPECT_THAT(*proof, ElementsAreArray(Hs(v.proof))) << v.index << "/" << v.size;
    EXPECT_OK(VerifyInclusion(v.index, v.size, leaves[v.index], Hs(v.proof), Root(v.size)))
        << v.index << "/" << v.size;
  }
}

TEST(MerkleTest, ConsistencyProofsMatchTheKnownAnswers) {
  const std::vector<std::string> leaves = TestLeafHashes();
  LeafHashSource source(leaves);
  for (const ConsistencyVector& v : ConsistencyVectors()) {
    absl::StatusOr<std::vector<std::string>> proof = ConsistencyProof(v.first, v.second, source);
    ASSERT_OK(proof);
    EXPECT_THAT(*proof, ElementsAreArray(Hs(v.proof))) << v.first << "->" << v.second;
    EXPECT_OK(VerifyConsistency(v.first, v.second, Hs(v.proof), Root(v.first), Root(v.second)))
        << v.first << "->" << v.second;
  }
}

TEST(MerkleTest, CorruptedInclusionProofsFail) {
  const std::vector<std::string> leaves = TestLeafHashes();
  for (const InclusionVector& v : InclusionVectors()) {
    const std::vector<std::string> proof = Hs(v.proof);
    const std::string root = Root(v.size);
    const std::string leaf = leaves[v.index];
    if (v.index > 0) {
      EXPECT_FALSE(VerifyInclusion(v.index - 1, v.size, leaf, proof, root).ok());
    }
    EXPECT_FALSE(VerifyInclusion(v.index + 1, v.size, leaf, proof, root).ok());
    EXPECT_FALSE(VerifyInclusion(v.index, v.size * 2, leaf, proof, root).ok());
    if (v.size > 1) {
      EXPECT_FALSE(VerifyInclusion(v.index, v.size / 2, leaf, proof, root).ok());
    }
    EXPECT_FALSE(VerifyInclusion(v.index, v.size, LeafHash("wrong"), proof, root).ok());
    EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, proof, EmptyRootHash()).ok());
    std::vector<std::string> longer = proof;
    longer.push_back(root);
    EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, longer, root).ok());
    std::vector<std::string> preceded = proof;
    preceded.insert(preceded.begin(), root);
    EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, preceded, root).ok());
    for (size_t i = 0; i < proof.size(); ++i) {
      std::vector<std::string> flipped = proof;
      flipped[i][0] ^= 8;
      EXPECT_THAT(VerifyInclusion(v.index, v.size, leaf, flipped, root),
                  StatusIs(absl::StatusCode::kDataLoss));
    }
    if (!proof.empty()) {
      std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
      EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, shorter, root).ok());
    }
  }
}

TEST(MerkleTest, CorruptedConsistencyProofsFail) {
  for (const ConsistencyVector& v : ConsistencyVectors()) {
    if (v.proof.empty()) continue;
    const std::vector<std::string> proof = Hs(v.proof);
    const std::string r1 = Root(v.first);
    const std::string r2 = Root(v.second);
    EXPECT_FALSE(VerifyConsistency(v.first - 1, v.second, proof, r1, r2).ok());
    EXPECT_FALSE(VerifyConsistency(v.first + 1, v.second, proof, r1, r2).ok());
    EXPECT_FALSE(VerifyConsistency(v.first, v.second * 2, proof, r1, r2).ok());
    EXPECT_FALSE(VerifyConsistency(v.first, v.second, proof, r2, r1).ok());
    EXPECT_FALSE(VerifyConsistency(v.first, v.second, proof, EmptyRootHash(), r2).ok());
    EXPECT_FALSE(VerifyConsistency(v.first, v.second, {}, r1, r2).ok());
    std::vector<std::string> longer = proof;
    longer.push_back(r2);
    EXPECT_FALSE(VerifyConsistency(v.first, v.second, longer, r1, r2).ok());
    std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
    EXPECT_FALSE(VerifyConsistency(v.first, v.second, shorter, r1, r2).ok());
    for (size_t i = 0; i < proof.size(); ++i) {
      std::vector<std::string> flipped = proof;
      flipped[i][0] ^= 16;
      EXPECT_FALSE(VerifyConsistency(v.first, v.second, flipped, r1, r2).ok());
    }
  }
}

TEST(MerkleTest, ConsistencyEdgeCases) {
  const std::string a = LeafHash("a");
  const std::string b = LeafHash("b");
  EXPECT_OK(VerifyConsistency(0, 0, {}, a, a));
  EXPECT_OK(VerifyConsistency(0, 5, {}, a, b));
  EXPECT_OK(VerifyConsistency(3, 3, {}, a, a));
  EXPECT_THAT(VerifyConsistency(3, 3, {}, a, b), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(VerifyConsistency(3, 2, {}, a, b), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifyConsistency(1, 2, {}, a, b), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifyConsistency(0, 1, {a}, a, b), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifyConsistency(1, 1, {a}, a, a), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifyConsistency(1, 2, {a}, "short", b),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MerkleTest, InclusionArgumentErrors) {
  const std::vector<std::string> leaves = Leaves(4);
  LeafHashSource source(leaves);
  EXPECT_THAT(InclusionProof(4, 4, source), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(InclusionProof(0, 0, source), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(InclusionProof(0, 5, source), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(ConsistencyProof(3, 2, source), StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string root = RootFromLeafHashes(leaves);
  EXPECT_THAT(VerifyInclusion(0, 0, leaves[0], {}, root),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(VerifyInclusion(0, 1, "short", {}, root),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Every proof the generator makes for trees of up to 70 leaves verifies, and against
// the root computed independently from the leaves.
TEST(MerkleTest, GeneratedProofsVerifyForAllSmallTrees) {
  const std::vector<std::string> leaves = Leaves(70);
  LeafHashSource source(leaves);
  std::vector<std::string> roots(leaves.size() + 1);
  for (size_t n = 0; n <= leaves.size(); ++n) {
    roots[n] = RootFromLeafHashes(absl::Span<const std::string>(leaves.data(), n));
    ASSERT_EQ(*RootHash(n, source), roots[n]) << n;
  }
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      absl::StatusOr<std::vector<std::string>> proof = InclusionProof(i, n, source);
      ASSERT_OK(proof);
      ASSERT_OK(VerifyInclusion(i, n, leaves[i], *proof, roots[n])) << i << "/" << n;
      ASSERT_FALSE(VerifyInclusion(i, n, leaves[(i + 1) % leaves.size()], *proof, roots[n]).ok());
    }
    for (uint64_t m = 0; m <= n; ++m) {
      absl::StatusOr<std::vector<std::string>> proof = ConsistencyProof(m, n, source);
      ASSERT_OK(proof);
      ASSERT_OK(VerifyConsistency(m, n, *proof, roots[m], roots[n])) << m << "->" << n;
      if (m > 0 && m < n) {
        // A root of a different tree of size m is not consistent.
        ASSERT_FALSE(VerifyConsistency(m, n, *proof, LeafHash("x"), roots[n]).ok());
      }
    }
  }
}

TEST(MerkleTest, RangeNodesSplitAsTheRfcDoes) {
  EXPECT_TRUE(RangeNodes(0, 0).empty());
  EXPECT_THAT(RangeNodes(0, 7), ElementsAreArray(std::vector<NodeId>{{2, 0}, {1, 2}, {0, 6}}));
  EXPECT_THAT(RangeNodes(8, 13), ElementsAreArray(std::vector<NodeId>{{2, 2}, {0, 12}}));
  EXPECT_THAT(RangeNodes(256, 512), ElementsAreArray(std::vector<NodeId>{{8, 1}}));
}

TEST(MerkleTest, CompactRangeReportsEveryCompleteSubtree) {
  const std::vector<std::string> leaves = Leaves(37);
  LeafHashSource source(leaves);
  CompactRange range;
  int reported = 0;
  for (const std::string& leaf : leaves) {
    range.Append(leaf, [&](NodeId id, const std::string& hash) {
      ++reported;
      absl::StatusOr<std::vector<std::string>> want = source.Hashes({id});
      ASSERT_OK(want);
      EXPECT_EQ(hash, (*want)[0]) << id.level << "/" << id.index;
    });
    absl::Span<const std::string> prefix(leaves.data(), range.size());
    EXPECT_EQ(range.Root(), RootFromLeafHashes(prefix));
  }
  // A tree of n leaves has 2n - popcount(n) complete subtrees.
  EXPECT_EQ(reported, 2 * 37 - 3);

  absl::StatusOr<CompactRange> copy = CompactRange::FromHashes(37, range.hashes());
  ASSERT_OK(copy);
  EXPECT_EQ(copy->Root(), range.Root());
  EXPECT_FALSE(CompactRange::FromHashes(39, range.hashes()).ok());
}

}  // namespace
}  // namespace regulation::disclosure
