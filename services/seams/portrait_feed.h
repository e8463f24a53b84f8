#ifndef SERVICES_SEAMS_PORTRAIT_FEED_H_
#define SERVICES_SEAMS_PORTRAIT_FEED_H_

// What scoring needs from portrait: the seam between the two services.
//
// Scoring never reads the enterprise directory or the portrait states itself; it asks a
// PortraitFeed. In regulatord (one process) the feed reads the store directly
// (LocalPortraitFeed, local_portrait_feed.h); when scoringd runs apart from portraitd it
// is a gRPC client of regulation.internal.v1.PortraitFeedService
// (GrpcPortraitFeed, portrait_feed_client.h). Bulk reads stream in batches: ScoreAll
// reads the whole directory as chunks of feature rows, and class counts read the
// directory's keys, never one enterprise per call.
//
// Thread safety: implementations are safe for concurrent use.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regulation/v1/enterprise.pb.h"
#include "common/keep_going.h"
#include "google/protobuf/timestamp.pb.h"
#include "regulation/v1/portrait.pb.h"
#include "services/access/caller.h"
#include "services/scoring/feature_chunks.h"
#include "services/scoring/training_rows.h"

namespace regulation::services {

// An enterprise's key and what class counts group it by.
struct EnterpriseKey {
  std::string credit_code;
  std::string region_code;
  std::string industry_code;
};

class PortraitFeed {
 public:
  virtual ~PortraitFeed() = default;

  // Calls `use` with each chunk of up to `chunk_size` (1-65536) enterprises whose codes
  // come after `resume_after` (all, when empty), in code order, features evaluated at
  // `as_of_micros`; reading the next chunk overlaps `use` (feature_chunks.h). The chunk
  // is valid only during the call. Stops at the first error: `use`'s, DATA_LOSS for a
  // stored record that does not parse, FAILED_PRECONDITION when the peer computes
  // another feature schema than this binary's, UNAVAILABLE or DEADLINE_EXCEEDED when a
  // peer cannot be reached in time.
  virtual absl::Status ForEachFeatureChunk(
      const std::string& resume_after, int64_t as_of_micros, int chunk_size,
      const std::function<absl::Status(const FeatureChunk&)>& use) = 0;

  // Calls `use` with every enterprise's key, in code order, in batches of up to
  // `batch_size` (1-65536). Statuses as ForEachFeatureChunk.
  virtual absl::Status ForEachEnterpriseKeys(
      int batch_size, const std::function<absl::Status(absl::Span<const EnterpriseKey>)>& use) = 0;

  // About how many enterprises there are (for progress messages only).
  virtual absl::StatusOr<int64_t> EstimateEnterpriseCount() = 0;

  // The enterprise as `caller` may see it: EnterpriseDirectory::Get's statuses
  // (NOT_FOUND, PERMISSION_DENIED outside an agency's jurisdiction, INVALID_ARGUMENT).
  virtual absl::StatusOr<v1::Enterprise> LookupEnterprise(const access::Caller& caller,
                                                          absl::string_view credit_code) = 0;

  // The current portrait as `caller` may see it: PortraitReader::Current's statuses.
  virtual absl::StatusOr<v1::Portrait> CurrentPortrait(const access::Caller& caller,
                                                       absl::string_view credit_code) = 0;

  // The portrait at `as_of` as `caller` may see it: PortraitReader::AsOf's statuses.
  virtual absl::StatusOr<v1::Portrait> PortraitAsOf(const access::Caller& caller,
                                                    absl::string_view credit_code,
                                                    const google::protobuf::Timestamp& as_of) = 0;

  // Point-in-time training rows over the event history: BuildTrainingRows's rows and
  // statuses (training_rows.h), with `progress` and `keep_going` as there. Training
  // reads its rows here, so that scoring trains where the events are not.
  virtual absl::StatusOr<LabelledRows> TrainingRows(
      absl::Span<const int64_t> window_starts, int64_t label_window_micros,
      const std::function<void(int64_t, int64_t)>& progress, const KeepGoing& keep_going) = 0;
};

// TrainingRowSource over `feed` (which must outlive it).
inline TrainingRowSource TrainingRowsFrom(PortraitFeed* feed) {
  return [feed](absl::Span<const int64_t> window_starts, int64_t label_window_micros,
                const std::function<void(int64_t, int64_t)>& progress,
                const KeepGoing& keep_going) {
    return feed->TrainingRows(window_starts, label_window_micros, progress, keep_going);
  };
}

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_PORTRAIT_FEED_H_
