#ifndef DISCLOSURE_LOG_READER_H_
#define DISCLOSURE_LOG_READER_H_

// Read access to the disclosure transparency log: what the public site generator and
// the services need, independent of how the log is stored (transparency_log.h).
//
// The log is an append-only RFC 6962 / RFC 9162 Merkle tree (leaf hash SHA-256(0x00 ||
// entry), node hash SHA-256(0x01 || left || right)) whose state is published as C2SP
// checkpoints (tlog-checkpoint, signed notes with Ed25519). Every proof is for exactly
// the tree size it names; callers pair it with the checkpoint of that size.
//
// Thread safety: implementations are safe for concurrent reads.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace regulation::disclosure {

struct SignedCheckpoint {
  std::string origin;
  uint64_t size = 0;
  // The RFC 6962 root hash (32 raw bytes).
  std::string root_hash;
  // The complete C2SP signed note: "origin\nsize\nbase64(root)\n\n— name base64(sig)\n".
  std::string note;
};

class LogReader {
 public:
  virtual ~LogReader() = default;

  // The latest signed checkpoint.
  virtual SignedCheckpoint Checkpoint() const = 0;

  // The entry (leaf data, before leaf hashing) at `index`. OUT_OF_RANGE past the end.
  virtual absl::StatusOr<std::string> Entry(uint64_t index) const = 0;

  // RFC 9162 inclusion proof of leaf `index` in the tree of `tree_size` leaves (32-byte
  // hashes, leaf to root). INVALID_ARGUMENT when index >= tree_size or tree_size is
  // larger than the log.
  virtual absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t index,
                                                                  uint64_t tree_size) const = 0;

  // RFC 9162 consistency proof between the trees of `first` and `second` leaves.
  virtual absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t first,
                                                                    uint64_t second) const = 0;

  // The hash of the complete subtree at `level` (0 = leaves) and `index` (counted at
  // that level), as C2SP tlog-tiles publish them. OUT_OF_RANGE when it is not complete
  // in the current tree.
  virtual absl::StatusOr<std::string> NodeHash(int level, uint64_t index) const = 0;

  // The verifier key, in the C2SP note verifier-key format ("name+keyid+base64key").
  virtual std::string VerifierKey() const = 0;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_LOG_READER_H_
