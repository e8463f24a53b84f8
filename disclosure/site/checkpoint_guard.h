#ifndef DISCLOSURE_SITE_CHECKPOINT_GUARD_H_
#define DISCLOSURE_SITE_CHECKPOINT_GUARD_H_

// The publisher's rules for the checkpoint it is about to publish (docs/disclosure.md,
// "Trust"):
//   - it is signed by the log's key: the pinned key when one is given, else the key the
//     site already publishes (verifier.key), else the source's key, trusted on first use
//     (and reported as such);
//   - it is for the same log (origin) as the site's checkpoint, no smaller (never a
//     rollback), and the site's checkpoint is a prefix of it, checked with a consistency
//     proof from the source (never a fork).
//
// Status codes: UNAUTHENTICATED (bad or missing signature), INVALID_ARGUMENT (malformed
// key or checkpoint), FAILED_PRECONDITION (another origin, a rollback, a fork, a pinned
// key that is not the site's), and the source's errors for the proof.
//
// Thread safety: pure functions, but for the source.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "disclosure/checkpoint.h"
#include "disclosure/log_reader.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/site_source.h"

namespace regulation::disclosure::site {

struct ChosenKey {
  NoteVerifier verifier;
  // True when nothing pinned the key: the source's own key was taken.
  bool trusted_on_first_use = false;
};

// `pinned`: the option (may be empty); `site_key`: the contents of the site's
// verifier.key (nullopt when missing); `source_key`: the key the source announces.
absl::StatusOr<ChosenKey> ChooseVerifierKey(const std::string& pinned,
                                            const std::optional<std::string>& site_key,
                                            const std::string& source_key);

// The checkpoint text the site publishes now (unverified: the site is the
// publisher's own output), or nullopt when it has none. INVALID_ARGUMENT when the file
// is not a checkpoint.
absl::StatusOr<std::optional<CheckpointText>> ParsePublishedCheckpoint(
    const std::optional<std::string>& note);

// Verifies `note` (signature by `verifier`) and that it may follow `published` as
// described above; returns the verified checkpoint.
absl::StatusOr<SignedCheckpoint> CheckNextCheckpoint(const std::string& note,
                                                     const NoteVerifier& verifier,
                                                     const std::optional<CheckpointText>& published,
                                                     SiteSource& source);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_CHECKPOINT_GUARD_H_
