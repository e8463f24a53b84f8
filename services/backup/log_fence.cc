#include "services/backup/log_fence.h"

#include "absl/strings/str_cat.h"
#include "disclosure/checkpoint.h"
#include "services/telemetry/observed_sinks.h"

namespace regulation::backup {

absl::StatusOr<PublishedCheck> CheckPublished(const disclosure::TransparencyLog& log,
                                              absl::string_view note) {
  absl::StatusOr<disclosure::NoteVerifier> verifier =
      disclosure::NoteVerifier::Parse(log.VerifierKey());
  if (!verifier.ok()) return verifier.status();
  absl::StatusOr<disclosure::SignedCheckpoint> published =
      disclosure::VerifyCheckpoint(note, *verifier, log.origin());
  if (!published.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "published_checkpoint: not a checkpoint of this log (", log.origin(),
        ", key ", log.VerifierKey(), "): ", published.status().message()));
  }
  PublishedCheck check;
  check.published_size = published->size;
  const uint64_t size = log.size();
  if (size < published->size) {
    check.why = absl::StrCat("the log holds ", size, " entries but a checkpoint of ",
                             published->size, " was published: it was restored from an older "
                             "backup, and anything it signs now would fork the log");
    return check;
  }
  absl::StatusOr<std::string> root = log.RootHash(published->size);
  if (!root.ok()) return root.status();
  if (*root != published->root_hash) {
    check.why = absl::StrCat("the log's tree of ", published->size,
                             " entries differs from the published checkpoint of that size: "
                             "the log has already forked");
    return check;
  }
  check.consistent = true;
  return check;
}

absl::StatusOr<std::vector<uint64_t>> FencedLogWriter::Append(
    absl::Span<const std::string> entries) {
  if (entries.empty()) return std::vector<uint64_t>();
  return telemetry::MarkFenced(absl::FailedPreconditionError(
      absl::StrCat("the disclosure log refuses to sign: ", reason_,
                   " (docs/operations.md, \"Restore\"); records stay queued")));
}

}  // namespace regulation::backup
