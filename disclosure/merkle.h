#ifndef DISCLOSURE_MERKLE_H_
#define DISCLOSURE_MERKLE_H_

// RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification: pure functions
// with no storage of their own.
//
//   leaf hash  SHA-256(0x00 || entry)
//   node hash  SHA-256(0x01 || left || right)
//   MTH(D[n])  split at k, the largest power of two strictly below n; MTH of the empty
//              list is SHA-256("").
//
// Proof generation reads hashes of *complete* subtrees (NodeId: `level` 0 = leaves,
// `index` counted at that level; it covers leaves [index << level, (index + 1) << level))
// from a HashSource, all of them in one call, so a stored log answers with one batched
// read of O(log n) keys. Subtrees on the right edge of a tree that are not complete are
// recomputed from the complete subtrees they are made of.
//
// Example:
//   LeafHashSource source(leaf_hashes);              // or a TransparencyLog
//   REG_ASSIGN_OR_RETURN(auto proof, InclusionProof(3, 8, source));
//   REG_ASSIGN_OR_RETURN(std::string root, RootHash(8, source));
//   REG_RETURN_IF_ERROR(VerifyInclusion(3, 8, LeafHash(entry), proof, root));
//
// Status codes of the Verify functions: INVALID_ARGUMENT when the inputs cannot form a
// valid proof (index past the tree, sizes out of order, a hash that is not 32 bytes, a
// proof of the wrong length); DATA_LOSS when everything is well formed but the hashes
// do not match (the data, the proof or the root was altered).
//
// Thread safety: the free functions are thread-safe. A CompactRange is not; each belongs
// to one thread at a time. LeafHashSource is safe for concurrent reads.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace regulation::disclosure {

inline constexpr size_t kHashSize = 32;

// SHA-256(0x00 || entry).
std::string LeafHash(absl::string_view entry);
// SHA-256(0x01 || left || right).
std::string NodeHash(absl::string_view left, absl::string_view right);
// SHA-256(""): the root of the empty tree.
std::string EmptyRootHash();

// A complete subtree of 2^level leaves: leaves [index << level, (index + 1) << level).
struct NodeId {
  int level = 0;
  uint64_t index = 0;

  friend bool operator==(const NodeId& a, const NodeId& b) {
    return a.level == b.level && a.index == b.index;
  }
};

// The complete subtrees that make up the leaf range [begin, end), left to right, as
// RFC 6962 splits it when `begin` is a multiple of a power of two no smaller than
// end - begin (every range a proof or a root needs is of this kind). Their hashes,
// folded from the right with NodeHash, give MTH(D[begin:end]). Empty when begin == end.
std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end);

// The hashes of complete subtrees, for proof generation.
class HashSource {
 public:
  virtual ~HashSource() = default;

  // One 32-byte hash per id, in order. OUT_OF_RANGE when a subtree is not complete in
  // the source's tree; other codes are the source's own (storage errors).
  virtual absl::StatusOr<std::vector<std::string>> Hashes(absl::Span<const NodeId> ids) const = 0;
};

// A HashSource over leaf hashes held in memory; inner hashes are recomputed on each
// call (O(2^level) per node), which suits tests and small trees. Keeps a reference:
// `leaf_hashes` must outlive the source.
class LeafHashSource : public HashSource {
 public:
  explicit LeafHashSource(absl::Span<const std::string> leaf_hashes) : leaf_hashes_(leaf_hashes) {}
  absl::StatusOr<std::vector<std::string>> Hashes(absl::Span<const NodeId> ids) const override;

 private:
  absl::Span<const std::string> leaf_hashes_;
};

// MTH over `leaf_hashes` (each already a LeafHash): O(n) hashing, O(log n) memory.
std::string RootFromLeafHashes(absl::Span<const std::string> leaf_hashes);

// MTH(D[0:tree_size]) from the O(log n) complete subtrees that make it up.
absl::StatusOr<std::string> RootHash(uint64_t tree_size, const HashSource& source);

// RFC 9162 PATH(index, D[0:tree_size]), leaf to root. INVALID_ARGUMENT when
// index >= tree_size; errors of the source otherwise.
absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t tree_size,
                                                        const HashSource& source);

// RFC 9162 PROOF(first, D[0:second]); empty when first is 0 or equals second.
// INVALID_ARGUMENT when first > second; errors of the source otherwise.
absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t first, uint64_t second,
                                                          const HashSource& source);

// The root that `proof` leads to from `leaf_hash` at `index` (RFC 9162 section 2.1.3.2
// without the final comparison). INVALID_ARGUMENT as for VerifyInclusion.
absl::StatusOr<std::string> RootFromInclusionProof(uint64_t index, uint64_t tree_size,
                                                   absl::string_view leaf_hash,
                                                   absl::Span<const std::string> proof);

// RFC 9162 section 2.1.3.2: OK when `proof` proves that `leaf_hash` is leaf `index` of
// the tree of `tree_size` leaves whose root is `root`.
absl::Status VerifyInclusion(uint64_t index, uint64_t tree_size, absl::string_view leaf_hash,
                             absl::Span<const std::string> proof, absl::string_view root);

// RFC 9162 section 2.1.4.2: OK when `proof` proves that the tree of `first` leaves with
// root `first_root` is a prefix of the tree of `second` leaves with root `second_root`.
// With first == second the proof must be empty and the roots equal; with first == 0 the
// proof must be empty (every tree extends the empty one).
absl::Status VerifyConsistency(uint64_t first, uint64_t second, absl::Span<const std::string> proof,
                               absl::string_view first_root, absl::string_view second_root);

// The right edge of a growing tree: the roots of the complete subtrees that make up
// D[0:size] (one per set bit of size, largest first). Appending a leaf completes the
// subtrees whose last leaf it is; Append reports each of them, so a log can store every
// complete subtree while hashing each node once. O(log n) memory.
class CompactRange {
 public:
  CompactRange() = default;

  // A range for a tree of `size` leaves from the hashes of RangeNodes(0, size), in that
  // order. INVALID_ARGUMENT when their number or sizes do not fit.
  static absl::StatusOr<CompactRange> FromHashes(uint64_t size, std::vector<std::string> hashes);

  // Appends one leaf hash. `completed` (optional) is called for every complete subtree
  // that this leaf completes, bottom up, starting with the leaf itself (level 0).
  void Append(std::string leaf_hash, absl::FunctionRef<void(NodeId, const std::string&)> completed);
  void Append(std::string leaf_hash);

  uint64_t size() const { return size_; }
  // MTH(D[0:size]); EmptyRootHash() when size is 0.
  std::string Root() const;
  // The subtree roots, largest (leftmost) first: the hashes of RangeNodes(0, size).
  const std::vector<std::string>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  std::vector<std::string> hashes_;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_MERKLE_H_
