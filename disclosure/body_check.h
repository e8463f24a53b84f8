#ifndef DISCLOSURE_BODY_CHECK_H_
#define DISCLOSURE_BODY_CHECK_H_

// Checks a published log's bodies against its leaves (docs/transparency-log.md,
// "Verifying"), leaf by leaf in index order, as `regctl verify-log` does beside the
// tree checks of log_verifier.h:
//   - every leaf is a disclosure leaf (public_leaf.h);
//   - a published body, with its salt, hashes to the digest its leaf names, and its
//     kind, key, subject and publish time are the leaf's;
//   - a published body passes the caller's own check of what it says, when one is given
//     (`regctl verify-log` checks a DRAW record's bundle file against it);
//   - a body that is not published is accepted only when a WITHDRAWAL record later in
//     the log names it (its index and key), and a WITHDRAWAL record names an earlier
//     record under its own key "withdrawal/<index>".
// A withdrawn body that is still published is not an error (it still matches its leaf)
// but is counted: the site should have removed it.
//
// Thread safety: not thread-safe; one per verification.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure {

class BodyCheck {
 public:
  struct Body {
    std::string body;
    // The 32 salt bytes.
    std::string salt;
  };
  // The published body of the record at `index`; NOT_FOUND when none is published.
  using BodyReader = std::function<absl::StatusOr<Body>(uint64_t index)>;

  // Checks a record whose published body matched its leaf; its DATA_LOSS is reported
  // as the record's, its other errors as they are.
  using EntryCheck = std::function<absl::Status(uint64_t index, const v1::PublicEntry& entry)>;

  explicit BodyCheck(BodyReader read, EntryCheck check_entry = nullptr)
      : read_(std::move(read)), check_entry_(std::move(check_entry)) {}

  // The leaf at `index`; REQUIRES: called for 0, 1, 2, ... DATA_LOSS (naming the record
  // and what is wrong) for a leaf that is not a disclosure leaf, a body that does not
  // match its leaf, or a WITHDRAWAL record that names what it cannot; the reader's
  // errors but NOT_FOUND.
  absl::Status Check(uint64_t index, absl::string_view leaf);
  // After the last leaf: DATA_LOSS when a body is missing and no WITHDRAWAL record names it.
  absl::Status Finish() const;

  uint64_t bodies_checked() const { return bodies_checked_; }
  uint64_t withdrawn() const { return withdrawn_; }
  // Withdrawn records whose bodies are still published, in index order.
  const std::vector<uint64_t>& still_published() const { return still_published_; }

 private:
  const BodyReader read_;
  const EntryCheck check_entry_;
  // Records without a published body, not yet named by a WITHDRAWAL record -> key.
  // (Withdrawals are rare: this stays small, and nothing else is kept per record.)
  std::map<uint64_t, std::string> missing_;
  uint64_t bodies_checked_ = 0;
  uint64_t withdrawn_ = 0;
  std::vector<uint64_t> still_published_;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_BODY_CHECK_H_
