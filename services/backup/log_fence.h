#ifndef SERVICES_BACKUP_LOG_FENCE_H_
#define SERVICES_BACKUP_LOG_FENCE_H_

// Keeping a restored disclosure log from forking. A log restored from a backup may be
// older than checkpoints the public has already seen: the site's, or one a monitor
// kept. Signing anything new then would sign a tree that contradicts a published
// checkpoint (two different trees of one size, or a published tree that is not a
// prefix of the new one): a fork, which every verifier rejects and which looks exactly
// like a log that lies. So at start regulatord compares the log with the latest
// published checkpoint it is given (--published_checkpoint, and the fence file a
// refusal left behind):
//
//   - the log holds the published tree as a prefix (same root at that size): it may
//     sign; what it signs next extends what was published;
//   - the log is smaller, or its root at that size differs: it must not sign. Every
//     append is refused (FencedLogWriter); public records stay queued, and the decision
//     is kept in DATA_DIR/log-fence.checkpoint so that a restart without the flag still
//     refuses. Only `regulatord --accept_log_fork_risk`, which writes an audit record,
//     lifts it (docs/operations.md, "Restore").
//
// Thread safety: CheckPublished is a pure read of the log; FencedLogWriter is as safe
// as the writer it wraps (it never calls it).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "disclosure/publication_queue.h"
#include "disclosure/transparency_log.h"

namespace regulation::backup {

inline constexpr char kFenceFile[] = "log-fence.checkpoint";

struct PublishedCheck {
  // The published checkpoint's size.
  uint64_t published_size = 0;
  // True when the log extends the published tree.
  bool consistent = false;
  // Why not, for the operator.
  std::string why;
};

// Compares the log with `note`, a checkpoint published earlier. INVALID_ARGUMENT when
// `note` is not a checkpoint signed by this log's key for its origin (a checkpoint of
// another log proves nothing about this one); storage errors pass through.
absl::StatusOr<PublishedCheck> CheckPublished(const disclosure::TransparencyLog& log,
                                              absl::string_view note);

// A LogWriter that refuses every append with FAILED_PRECONDITION (marked as a fence's
// refusal, telemetry::IsFenced) and `reason`; reads pass to the wrapped writer.
class FencedLogWriter : public disclosure::LogWriter {
 public:
  FencedLogWriter(std::unique_ptr<disclosure::LogWriter> inner, std::string reason)
      : inner_(std::move(inner)), reason_(std::move(reason)) {}
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override;
  uint64_t size() const override { return inner_->size(); }
  absl::StatusOr<std::string> Entry(uint64_t index) const override { return inner_->Entry(index); }

 private:
  const std::unique_ptr<disclosure::LogWriter> inner_;
  const std::string reason_;
};

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_LOG_FENCE_H_
