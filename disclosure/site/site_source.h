#ifndef DISCLOSURE_SITE_SITE_SOURCE_H_
#define DISCLOSURE_SITE_SITE_SOURCE_H_

// What the static-site publisher needs from the disclosure log (docs/disclosure.md):
// the latest checkpoint, the public records in log order with their attachments, the
// log's C2SP tlog-tiles files, and consistency proofs. `regctl publish` implements it
// over gRPC (tools/regctl/publish_command.h); tests implement it over a
// TransparencyLog in memory (disclosure/site/testing/log_site_source.h).
//
// The publisher trusts nothing it reads here: it checks every checkpoint's signature,
// every proof, every tile against the checkpoint, every record's leaf against the log's
// entry bundles and its body against its leaf, and every draw bundle against its digest.
//
// Thread safety: the publisher calls a source from one thread at a time.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::disclosure::site {

class SiteSource {
 public:
  using RecordVisitor = std::function<absl::Status(const v1::PublicRecord&)>;
  using LogFileVisitor = std::function<absl::Status(const v1::LogFile&)>;

  virtual ~SiteSource() = default;

  // The log's latest signed checkpoint, with its verifier key.
  virtual absl::StatusOr<v1::Checkpoint> LatestCheckpoint() = 0;

  // Calls `visit` for the records with from_index <= log_index < to_index, in log
  // order, each with its leaf, the body and salt the leaf commits to (or withdrawn and
  // the index of its WITHDRAWAL record) and, for a DRAW, its attachment (the draw
  // bundle). A non-OK status from `visit` stops the walk and is returned.
  virtual absl::Status ForEachRecord(int64_t from_index, int64_t to_index,
                                     const RecordVisitor& visit) = 0;

  // Calls `visit` for the tlog-tiles files that differ between the tree of `from_size`
  // leaves and the latest checkpoint: entry bundles and hash tiles, then
  // "verifier.key", then "checkpoint" last (the checkpoint they belong to, which may be
  // newer than an earlier LatestCheckpoint()).
  virtual absl::Status ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) = 0;

  // The RFC 9162 consistency proof between the trees of `first` and `second` leaves.
  virtual absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t first,
                                                                    int64_t second) = 0;

  // Part `part` (from 0) of the bundle of the DRAW record at `log_index` when it is
  // published in parts (the record came with attachment_parts instead of an attachment;
  // docs/draw-spec.md §9.4). Default: UNIMPLEMENTED (a source without such draws).
  virtual absl::StatusOr<std::string> AttachmentPart(int64_t log_index, int64_t part) {
    (void)log_index;
    (void)part;
    return absl::UnimplementedError("this source serves no bundle parts");
  }
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_SOURCE_H_
