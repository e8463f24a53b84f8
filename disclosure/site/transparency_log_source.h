#ifndef DISCLOSURE_SITE_TRANSPARENCY_LOG_SOURCE_H_
#define DISCLOSURE_SITE_TRANSPARENCY_LOG_SOURCE_H_

// A SiteSource over a TransparencyLog in the same process: what DisclosureService serves
// over gRPC (services/disclosure/public_records.cc), without gRPC. For publishing a
// site from a log on the local machine (the benchmark //tools/bench:log); `regctl
// publish` reads a remote server instead (tools/regctl/publish_command.h). The test
// helper disclosure/site/testing/log_site_source.h is the same with hooks to make it
// lie.
//
// Records are served as the server serves them: log index, kind, subject, publish time
// and, for a correction, the index it corrects, parsed from the leaf; body_json the
// exact leaf bytes; for a DRAW, the bundle given with SetAttachment.
//
// Thread safety: the publisher calls it from one thread; records_served() may be read
// from any thread (for progress reports).

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "disclosure/site/site_source.h"
#include "disclosure/transparency_log.h"

namespace regulation::disclosure::site {

class TransparencyLogSource : public SiteSource {
 public:
  // `log` must outlive the source.
  explicit TransparencyLogSource(const TransparencyLog* log) : log_(log) {}

  // The attachment (draw bundle) served with the DRAW record at `index`.
  void SetAttachment(int64_t index, std::string attachment) {
    attachments_[index] = std::move(attachment);
  }

  absl::StatusOr<v1::Checkpoint> LatestCheckpoint() override;
  absl::Status ForEachRecord(int64_t from_index, int64_t to_index,
                             const RecordVisitor& visit) override;
  absl::Status ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) override;
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t first,
                                                            int64_t second) override;

  // Records handed to a visitor so far.
  int64_t records_served() const { return records_served_.load(std::memory_order_relaxed); }

 private:
  const TransparencyLog* const log_;
  std::map<int64_t, std::string> attachments_;
  std::atomic<int64_t> records_served_{0};
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_TRANSPARENCY_LOG_SOURCE_H_
