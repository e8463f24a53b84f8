#ifndef DISCLOSURE_LOG_VERIFIER_H_
#define DISCLOSURE_LOG_VERIFIER_H_

// Offline verification of a published log (a C2SP tlog-tiles directory, tiles.h), as
// `regctl verify-log` runs it, with nothing but the directory and the log's verifier
// key:
//   1. the checkpoint's signature by the verifier key;
//   2. every entry bundle the checkpoint needs: present, with exactly the entries the
//      tree size calls for; each entry's leaf hash equals the matching hash of the
//      level-0 tile;
//   3. the root recomputed from all entries equals the checkpoint's root (which proves
//      every entry's inclusion at its index);
//   4. every hash tile of level 1 and up equals the hashes recomputed from the entries;
//   5. against a checkpoint remembered from an earlier run (TrustedCheckpoint): the same
//      verifier key, a tree no smaller, and the first `size` entries still hashing to the
//      remembered root: the new tree extends the old one (consistency, checked
//      directly on the data rather than through a proof).
// Memory: O(n / 256) hashes; entries are streamed one bundle at a time.
//
// Status codes (messages say what and where, for "INVALID: <message>"):
//   NOT_FOUND            a file the checkpoint needs is missing;
//   UNAUTHENTICATED      the checkpoint is not validly signed by the key;
//   DATA_LOSS            entries, tiles and checkpoint disagree (edited, dropped,
//                        re-ordered entries; altered tiles);
//   FAILED_PRECONDITION  inconsistent with the remembered checkpoint (rolled back,
//                        history rewritten, key changed);
//   INVALID_ARGUMENT     malformed checkpoint or bundle; other I/O errors as they occur.
//
// Thread safety: the functions are thread-safe; two processes updating one state file
// race (the last write wins).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "disclosure/log_reader.h"
#include "disclosure/signing_key.h"

namespace regulation::disclosure {

// A checkpoint verified earlier, remembered so that the next verification can check
// that the log only grew.
struct TrustedCheckpoint {
  std::string origin;
  uint64_t size = 0;
  // 32 raw bytes.
  std::string root_hash;
  // The key that signed it, as a verifier key string.
  std::string verifier_key;
};

struct VerifiedLog {
  // The verified checkpoint (its note as published).
  SignedCheckpoint checkpoint;
  // Entries read and checked (== checkpoint.size).
  uint64_t entries = 0;
  // Hash tiles read and compared.
  uint64_t hash_tiles = 0;
};

// Receives each entry, in index order, once its leaf hash is checked (e.g. BodyCheck,
// body_check.h); a non-OK status stops the verification and is returned.
using EntryVisitor = std::function<absl::Status(uint64_t index, const std::string& entry)>;

// Verifies the directory `dir` as above. `previous` (may be null) is the remembered
// checkpoint; it is used only when its origin is the checkpoint's. `visit` (may be
// empty) sees every entry.
absl::StatusOr<VerifiedLog> VerifyLogDirectory(const std::string& dir, const NoteVerifier& verifier,
                                               const TrustedCheckpoint* previous,
                                               const EntryVisitor& visit = nullptr);

// The verifier's state file: one remembered checkpoint per origin, one per line,
//   <origin> <size> <base64 root> <verifier key>
// '#' lines are comments. A missing file is an empty state. INVALID_ARGUMENT (with the
// line number) for a malformed file.
absl::StatusOr<std::vector<TrustedCheckpoint>> LoadTrustedState(const std::string& path);
// Replaces the file atomically (mode 0644). INVALID_ARGUMENT for an origin or key with
// whitespace.
absl::Status SaveTrustedState(const std::string& path, const std::vector<TrustedCheckpoint>& state);
// The entry for `origin` in `state`, or null.
const TrustedCheckpoint* FindTrusted(const std::vector<TrustedCheckpoint>& state,
                                     const std::string& origin);
// Adds or replaces the entry for `checkpoint.origin`.
void UpdateTrusted(std::vector<TrustedCheckpoint>* state, TrustedCheckpoint checkpoint);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_LOG_VERIFIER_H_
