#ifndef DISCLOSURE_SITE_TRANSPARENCY_LOG_SOURCE_H_
#define DISCLOSURE_SITE_TRANSPARENCY_LOG_SOURCE_H_

// A SiteSource over a TransparencyLog in the same process: what DisclosureService serves
// over gRPC (services/disclosure/public_records.cc), without gRPC. For publishing a
// site from a log on the local machine (the benchmark //tools/bench:log); `regctl
// publish` reads a remote server instead (tools/regctl/publish_command.h). The test
// helper disclosure/site/testing/log_site_source.h wraps it with hooks to make it lie.
//
// Records are served as the server serves them (disclosure/public_record_reader.h): the
// leaf, the body and salt from `store`, or that the body was withdrawn; for a DRAW, the
// bundle given with SetAttachment.
//
// Thread safety: the publisher calls it from one thread; records_served() may be read
// from any thread (for progress reports).

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "disclosure/publication_queue.h"
#include "disclosure/site/site_source.h"
#include "disclosure/transparency_log.h"
#include "storage/kv_store.h"

namespace regulation::disclosure::site {

class TransparencyLogSource : public SiteSource {
 public:
  // Everything must outlive the source. `store` holds the bodies; `published` (may be
  // null when nothing was withdrawn) finds WITHDRAWAL records by key.
  TransparencyLogSource(const TransparencyLog* log, storage::KvStore* store,
                        PublicationQueue* published)
      : log_(log), store_(store), published_(published) {}

  // The attachment (draw bundle) served with the DRAW record at `index`.
  void SetAttachment(int64_t index, std::string attachment) {
    attachments_[index] = std::move(attachment);
  }
  // The same, served in parts of `part_bytes` (as the server serves a large round).
  void SetAttachmentInParts(int64_t index, std::string attachment, int64_t part_bytes) {
    part_bytes_[index] = part_bytes;
    attachments_[index] = std::move(attachment);
  }

  absl::StatusOr<v1::Checkpoint> LatestCheckpoint() override;
  absl::Status ForEachRecord(int64_t from_index, int64_t to_index,
                             const RecordVisitor& visit) override;
  absl::Status ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) override;
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t first,
                                                            int64_t second) override;
  absl::StatusOr<std::string> AttachmentPart(int64_t log_index, int64_t part) override;

  // Records handed to a visitor so far.
  int64_t records_served() const { return records_served_.load(std::memory_order_relaxed); }

 private:
  const TransparencyLog* const log_;
  storage::KvStore* const store_;
  PublicationQueue* const published_;
  std::map<int64_t, std::string> attachments_;
  std::map<int64_t, int64_t> part_bytes_;
  std::atomic<int64_t> records_served_{0};
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_TRANSPARENCY_LOG_SOURCE_H_
