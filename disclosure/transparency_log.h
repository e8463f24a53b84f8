#ifndef DISCLOSURE_TRANSPARENCY_LOG_H_
#define DISCLOSURE_TRANSPARENCY_LOG_H_

// The disclosure transparency log: an append-only RFC 6962 Merkle tree over a KvStore,
// whose state is published as C2SP checkpoints signed with Ed25519.
//
// Storage (docs/transparency-log.md):
//   log_entries  index (8 bytes, big-endian) -> the entry
//   log_hashes   tile level T (1 byte) + tile index N (8 bytes, big-endian) -> the hash
//                tile: every complete subtree hash of tree levels 8T..8T+7 under the
//                256 level-8T hashes 256N..256N+255 (the C2SP tile (T, N) and the seven
//                levels above it inside the tile), row by row: W hashes of level 8T,
//                then W/2 of level 8T+1, ... W/128 of level 8T+7, where W (1..256) is
//                the tile's width; a full tile is 510 hashes (16,320 bytes)
//   log_state    "tree"       -> size (8 bytes, big-endian) + root hash (32 bytes)
//                "checkpoint" -> the latest signed checkpoint note
//                "format"     -> the format of the entries (TransparencyLogOptions)
// An append of k entries writes k entries, the tiles they complete, and the (at most
// eight) partial tiles on the right edge, hashing each node once. A proof reads its
// O(log n) hashes from O(log n / 8) tiles (about three for a million entries) in one
// MultiGet; full tiles never change, and a small cache keeps recently read ones.
//
// Never two inconsistent checkpoints. Entries, hashes and the new tree state are
// written in one atomic, fsync'ed WriteBatch *before* the checkpoint for them is
// signed; entries and hashes below the tree size are never rewritten. So every
// checkpoint this log signs is for a prefix of the one stored tree:
//   - a crash after the batch and before the checkpoint is stored leaves a tree larger
//     than the last checkpoint; Open signs a checkpoint for it (consistent by
//     construction; Ed25519 is deterministic, so re-signing a lost checkpoint gives the
//     same bytes);
//   - Open refuses (DATA_LOSS) a stored checkpoint larger than the stored tree (the
//     database was rolled back, e.g. restored from an old backup) or one whose root is
//     not the stored tree's root at its size: signing anything then could contradict a
//     checkpoint already published;
//   - a failed or ambiguous write makes the log refuse further appends
//     (FAILED_PRECONDITION) until it is reopened from what is actually stored.
//
// Example:
//   REG_ASSIGN_OR_RETURN(SigningKey key, SigningKey::LoadOrGenerate(key_path, origin));
//   REG_ASSIGN_OR_RETURN(auto log, TransparencyLog::Open(store.get(), key));
//   REG_ASSIGN_OR_RETURN(std::vector<uint64_t> indices, log->Append(records));
//   SignedCheckpoint cp = log->Checkpoint();
//   REG_ASSIGN_OR_RETURN(auto proof, log->InclusionProof(indices[0], cp.size));
//
// Thread safety: safe for concurrent use. Appends are serialised; reads run
// concurrently with each other and with an append, and see the tree of the latest
// signed checkpoint (entries being appended become visible together with the
// checkpoint that covers them).
// Ownership: the log does not own the store; the store must outlive it. One log per
// store (RocksDB's lock keeps other processes out; the caller keeps other logs in this
// process out).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "disclosure/log_reader.h"
#include "disclosure/merkle.h"
#include "disclosure/signing_key.h"
#include "storage/kv_store.h"

namespace regulation::disclosure {

// Entries are published in tlog-tiles entry bundles with a 16-bit length prefix.
inline constexpr size_t kMaxEntrySize = 65535;

// The entries regulatord appends: disclosure leaves committing to salted bodies
// (public_leaf.h, kLeafFormat).
inline constexpr char kDisclosureLeafFormat[] = "regulation-disclosure-leaf/v2";

struct TransparencyLogOptions {
  // The checkpoint origin (first line). Default (empty): the signing key's name, as
  // c2sp.org/tlog-checkpoint recommends.
  std::string origin;
  // fsync the write-ahead log with each append before signing. Default true; false only
  // for tests and throw-away benchmarks (a machine crash may then lose entries that a
  // checkpoint already covered).
  bool sync = true;
  // What the entries are. Recorded with a new log and checked by every Open, so that a
  // log written in another format is refused rather than misread. Default
  // kDisclosureLeafFormat.
  std::string entry_format = kDisclosureLeafFormat;
};

class TransparencyLog : public LogReader {
 public:
  // Opens the log stored in `store` (an empty store is an empty log), checks the stored
  // checkpoint against the stored tree and signs a checkpoint for the stored tree when
  // the latest one is older, missing, or by another key. Errors:
  //   INVALID_ARGUMENT     an invalid origin or an empty entry format;
  //   FAILED_PRECONDITION  the stored checkpoints are for another origin, or the stored
  //                        entries are in another format (a log holding entries but no
  //                        recorded format is from before formats were recorded: its
  //                        leaves are PublicEntry JSON, "format 1");
  //   DATA_LOSS            the stored state is corrupt, or the stored checkpoint is larger
  //                        than the stored tree or disagrees with it (rolled back);
  //   storage errors as the store returns them.
  static absl::StatusOr<std::unique_ptr<TransparencyLog>> Open(storage::KvStore* store,
                                                               SigningKey key,
                                                               TransparencyLogOptions options = {});

  TransparencyLog(const TransparencyLog&) = delete;
  TransparencyLog& operator=(const TransparencyLog&) = delete;
  ~TransparencyLog() override;

  // Appends `entries` in order and returns their indices, once they are durable and
  // covered by a new signed checkpoint (one per call: batch for throughput). An empty
  // span changes nothing. Errors:
  //   INVALID_ARGUMENT     an entry longer than kMaxEntrySize (nothing is appended);
  //   FAILED_PRECONDITION  an earlier append failed; reopen the log;
  //   storage or signing errors: the entries may or may not have been appended; the log
  //                        refuses further appends until reopened.
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries);

  // LogReader. Sizes are bounded by the latest signed checkpoint's size. Storage errors
  // pass through; DATA_LOSS when a hash or entry that must exist is missing.
  SignedCheckpoint Checkpoint() const override;
  absl::StatusOr<std::string> Entry(uint64_t index) const override;
  absl::StatusOr<std::vector<std::string>> InclusionProof(uint64_t index,
                                                          uint64_t tree_size) const override;
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t first,
                                                            uint64_t second) const override;
  absl::StatusOr<std::string> NodeHash(int level, uint64_t index) const override;
  std::string VerifierKey() const override;

  // The root hash of the tree of `tree_size` leaves (any size up to the checkpoint's).
  // INVALID_ARGUMENT past the checkpoint.
  absl::StatusOr<std::string> RootHash(uint64_t tree_size) const;

  // The size of the latest signed checkpoint.
  uint64_t size() const;
  const std::string& origin() const { return origin_; }

 private:
  class StoreHashSource;
  class TileCache;

  TransparencyLog(storage::KvStore* store, SigningKey key, std::string origin, bool sync);

  // Reads the stored state and brings the checkpoint up to date (Open).
  absl::Status Recover(const std::string& entry_format);
  // Signs (size, root) and stores the checkpoint note.
  absl::StatusOr<SignedCheckpoint> SignAndStore(uint64_t size, absl::string_view root);

  // Constant after construction.
  storage::KvStore* const store_;
  const SigningKey key_;
  const std::string origin_;
  const bool sync_;
  const std::unique_ptr<TileCache> cache_;
  const std::unique_ptr<StoreHashSource> hashes_;

  // Serialises appends; held for the whole of one.
  absl::Mutex append_mu_;
  // The right edge of the stored tree: its compact range, and the rows of its partial
  // tile at each tile level (edge_[T][r]: hashes of level 8T + r in it).
  CompactRange range_ ABSL_GUARDED_BY(append_mu_);
  std::vector<std::vector<std::vector<std::string>>> edge_ ABSL_GUARDED_BY(append_mu_);
  // Not OK once a write failed: the stored state is then unknown until reopened.
  absl::Status broken_ ABSL_GUARDED_BY(append_mu_);

  // What readers see.
  mutable absl::Mutex mu_;
  SignedCheckpoint checkpoint_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_TRANSPARENCY_LOG_H_
