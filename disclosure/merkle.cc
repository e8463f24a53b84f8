#include "disclosure/merkle.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"

namespace regulation::disclosure {
namespace {

// One reusable OpenSSL context per thread: several times faster than one-shot digests
// for the 65-byte inputs of node hashes.
Sha256Hasher& ThreadHasher() {
  thread_local Sha256Hasher hasher;
  return hasher;
}

int FloorLog2(uint64_t n) { return 63 - __builtin_clzll(n); }

// The largest power of two strictly below n. REQUIRES: n >= 2.
uint64_t SplitPoint(uint64_t n) { return uint64_t{1} << FloorLog2(n - 1); }

// MTH(D[begin:end]) of a proof, to be read from the source.
struct Range {
  uint64_t begin;
  uint64_t end;
};

// RFC 9162 PATH(m, D[begin:end]) as ranges, leaf to root; m is an absolute index.
void InclusionRanges(uint64_t m, uint64_t begin, uint64_t end, std::vector<Range>* out) {
  const uint64_t n = end - begin;
  if (n <= 1) return;
  const uint64_t k = SplitPoint(n);
  if (m < begin + k) {
    InclusionRanges(m, begin, begin + k, out);
    out->push_back({begin + k, end});
  } else {
    InclusionRanges(m, begin + k, end, out);
    out->push_back({begin, begin + k});
  }
}

// RFC 9162 SUBPROOF(m, D[begin:end], b) as ranges; m counts leaves from `begin`.
void SubproofRanges(uint64_t m, uint64_t begin, uint64_t end, bool b, std::vector<Range>* out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!b) out->push_back({begin, end});
    return;
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubproofRanges(m, begin, begin + k, b, out);
    out->push_back({begin + k, end});
  } else {
    SubproofRanges(m - k, begin + k, end, false, out);
    out->push_back({begin, begin + k});
  }
}

// The MTH of each range, from one read of every complete subtree they are made of.
absl::StatusOr<std::vector<std::string>> ResolveRanges(const std::vector<Range>& ranges,
                                                       const HashSource& source) {
  std::vector<NodeId> ids;
  std::vector<size_t> counts;
  counts.reserve(ranges.size());
  for (const Range& r : ranges) {
    std::vector<NodeId> nodes = RangeNodes(r.begin, r.end);
    counts.push_back(nodes.size());
    ids.insert(ids.end(), nodes.begin(), nodes.end());
  }
  REG_ASSIGN_OR_RETURN(std::vector<std::string> hashes, source.Hashes(ids));
  if (hashes.size() != ids.size()) {
    return absl::InternalError(
        absl::StrCat("hash source returned ", hashes.size(), " hashes for ", ids.size(), " nodes"));
  }
  for (const std::string& h : hashes) {
    if (h.size() != kHashSize) {
      return absl::DataLossError(absl::StrCat("hash source returned a ", h.size(), "-byte hash"));
    }
  }
  std::vector<std::string> out;
  out.reserve(ranges.size());
  size_t next = 0;
  for (size_t count : counts) {
    // Fold right to left: the rightmost subtrees are the deepest in the RFC split.
    std::string h = std::move(hashes[next + count - 1]);
    for (size_t i = count - 1; i-- > 0;) h = NodeHash(hashes[next + i], h);
    out.push_back(std::move(h));
    next += count;
  }
  return out;
}

absl::Status CheckHashSize(absl::string_view what, absl::string_view hash) {
  if (hash.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is ", hash.size(), " bytes, not ", kHashSize));
  }
  return absl::OkStatus();
}

absl::Status CheckProofHashes(absl::Span<const std::string> proof) {
  for (size_t i = 0; i < proof.size(); ++i) {
    REG_RETURN_IF_ERROR(CheckHashSize(absl::StrCat("proof[", i, "]"), proof[i]));
  }
  return absl::OkStatus();
}

}  // namespace

std::string LeafHash(absl::string_view entry) {
  Sha256Hasher& hasher = ThreadHasher();
  hasher.Update(absl::string_view("\x00", 1));
  hasher.Update(entry);
  return hasher.FinishString();
}

std::string NodeHash(absl::string_view left, absl::string_view right) {
  Sha256Hasher& hasher = ThreadHasher();
  hasher.Update("\x01");
  hasher.Update(left);
  hasher.Update(right);
  return hasher.FinishString();
}

std::string EmptyRootHash() { return Sha256(""); }

std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end) {
  std::vector<NodeId> nodes;
  while (begin < end) {
    int level = FloorLog2(end - begin);
    if (begin != 0) level = std::min(level, __builtin_ctzll(begin));
    nodes.push_back({level, begin >> level});
    begin += uint64_t{1} << level;
  }
  return nodes;
}

absl::StatusOr<std::vector<std::string>> LeafHashSource::Hashes(
    absl::Span<const NodeId> ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  const uint64_t size = leaf_hashes_.size();
  for (const NodeId& id : ids) {
    if (id.level < 0 || id.level >= 64 || id.index >= (size >> id.level)) {
      return absl::OutOfRangeError(absl::StrCat("node (", id.level, ", ", id.index,
                                                ") is not complete in a tree of ", size));
    }
    const uint64_t begin = id.index << id.level;
    out.push_back(RootFromLeafHashes(leaf_hashes_.subspan(begin, uint64_t{1} << id.level)));
  }
  return out;
}

std::string RootFromLeafHashes(absl::Span<const std::string> leaf_hashes) {
  CompactRange range;
  for (const std::string& h : leaf_hashes) range.Append(h);
  return range.Root();
}

absl::StatusOr<std::string> RootHash(uint64_t tree_size, const HashSource& source) {
  if (tree_size == 0) return EmptyRootHash();
  REG_ASSIGN_OR_RETURN(std::vector<std::string> roots,
                       ResolveRanges({Range{0, tree_size}}, source));
  return std::move(roots[0]);
}

absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t tree_size,
                                                        const HashSource& source) {
  if (index >= tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of size ", tree_size));
  }
  std::vector<Range> ranges;
  InclusionRanges(index, 0, tree_size, &ranges);
  return ResolveRanges(ranges, source);
}

absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t first, uint64_t second,
                                                          const HashSource& source) {
  if (first > second) {
    return absl::InvalidArgumentError(
        absl::StrCat("consistency from size ", first, " to the smaller size ", second));
  }
  if (first == 0 || first == second) return std::vector<std::string>();
  std::vector<Range> ranges;
  SubproofRanges(first, 0, second, true, &ranges);
  return ResolveRanges(ranges, source);
}

absl::StatusOr<std::string> RootFromInclusionProof(uint64_t index, uint64_t tree_size,
                                                   absl::string_view leaf_hash,
                                                   absl::Span<const std::string> proof) {
  if (index >= tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of size ", tree_size));
  }
  REG_RETURN_IF_ERROR(CheckHashSize("leaf hash", leaf_hash));
  REG_RETURN_IF_ERROR(CheckProofHashes(proof));
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) {
      return absl::InvalidArgumentError(absl::StrCat("inclusion proof of ", proof.size(),
                                                     " hashes is too long for leaf ", index, " of ",
                                                     tree_size));
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError(absl::StrCat("inclusion proof of ", proof.size(),
                                                   " hashes is too short for leaf ", index, " of ",
                                                   tree_size));
  }
  return r;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t tree_size, absl::string_view leaf_hash,
                             absl::Span<const std::string> proof, absl::string_view root) {
  REG_RETURN_IF_ERROR(CheckHashSize("root", root));
  REG_ASSIGN_OR_RETURN(std::string computed,
                       RootFromInclusionProof(index, tree_size, leaf_hash, proof));
  if (computed != root) {
    return absl::DataLossError(absl::StrCat("inclusion proof of leaf ", index, " in tree size ",
                                            tree_size, " leads to another root"));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t first, uint64_t second, absl::Span<const std::string> proof,
                               absl::string_view first_root, absl::string_view second_root) {
  REG_RETURN_IF_ERROR(CheckHashSize("first root", first_root));
  REG_RETURN_IF_ERROR(CheckHashSize("second root", second_root));
  REG_RETURN_IF_ERROR(CheckProofHashes(proof));
  if (second < first) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", second, " is smaller than the earlier size ", first));
  }
  if (first == second) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError("consistency proof between equal sizes must be empty");
    }
    if (first_root != second_root) {
      return absl::DataLossError(absl::StrCat("two different roots for tree size ", first));
    }
    return absl::OkStatus();
  }
  if (first == 0) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError("consistency proof from the empty tree must be empty");
    }
    return absl::OkStatus();
  }
  if (proof.empty()) return absl::InvalidArgumentError("empty consistency proof");

  // RFC 9162 section 2.1.4.2.
  std::vector<std::string> path;
  path.reserve(proof.size() + 1);
  if ((first & (first - 1)) == 0) path.emplace_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) {
      return absl::InvalidArgumentError(absl::StrCat("consistency proof of ", proof.size(),
                                                     " hashes is too long for sizes ", first,
                                                     " and ", second));
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError(absl::StrCat("consistency proof of ", proof.size(),
                                                   " hashes is too short for sizes ", first,
                                                   " and ", second));
  }
  if (fr != first_root) {
    return absl::DataLossError(absl::StrCat("consistency proof does not lead to the root of size ",
                                            first, ": the trees are inconsistent"));
  }
  if (sr != second_root) {
    return absl::DataLossError(absl::StrCat("consistency proof does not lead to the root of size ",
                                            second, ": the trees are inconsistent"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CompactRange> CompactRange::FromHashes(uint64_t size,
                                                      std::vector<std::string> hashes) {
  const size_t want = static_cast<size_t>(__builtin_popcountll(size));
  if (hashes.size() != want) {
    return absl::InvalidArgumentError(absl::StrCat("a tree of size ", size, " has ", want,
                                                   " subtree roots, not ", hashes.size()));
  }
  for (const std::string& h : hashes) REG_RETURN_IF_ERROR(CheckHashSize("subtree root", h));
  CompactRange range;
  range.size_ = size;
  range.hashes_ = std::move(hashes);
  return range;
}

void CompactRange::Append(std::string leaf_hash,
                          absl::FunctionRef<void(NodeId, const std::string&)> completed) {
  NodeId id{0, size_};
  completed(id, leaf_hash);
  std::string h = std::move(leaf_hash);
  // The new leaf completes one subtree per trailing one bit of its index: each time
  // the node is a right child, its left sibling is the last root of the range.
  while ((id.index & 1) != 0) {
    h = NodeHash(hashes_.back(), h);
    hashes_.pop_back();
    id.level += 1;
    id.index >>= 1;
    completed(id, h);
  }
  hashes_.push_back(std::move(h));
  ++size_;
}

void CompactRange::Append(std::string leaf_hash) {
  Append(std::move(leaf_hash), [](NodeId, const std::string&) {});
}

std::string CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRootHash();
  std::string r = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) r = NodeHash(hashes_[i], r);
  return r;
}

}  // namespace regulation::disclosure
