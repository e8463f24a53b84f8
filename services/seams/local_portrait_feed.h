#ifndef SERVICES_SEAMS_LOCAL_PORTRAIT_FEED_H_
#define SERVICES_SEAMS_LOCAL_PORTRAIT_FEED_H_

// PortraitFeed over the portrait service's own store, in process: what regulatord uses,
// and what portraitd serves to scoringd (portrait_feed_service.h). A feature scan first
// writes back the portrait states ingestion keeps in memory (PortraitReader::WriteBackStates),
// so that it sees every event acknowledged before it started.
//
// Thread safety: safe for concurrent use (reads only).

#include "services/portrait/enterprise_directory.h"
#include "services/portrait/portrait_reader.h"
#include "services/seams/portrait_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class LocalPortraitFeed : public PortraitFeed {
 public:
  // Everything must outlive the feed.
  LocalPortraitFeed(storage::KvStore* store, EnterpriseDirectory* directory, PortraitReader* reader)
      : store_(store), directory_(directory), reader_(reader) {}

  absl::Status ForEachFeatureChunk(
      const std::string& resume_after, int64_t as_of_micros, int chunk_size,
      const std::function<absl::Status(const FeatureChunk&)>& use) override;
  absl::Status ForEachEnterpriseKeys(
      int batch_size,
      const std::function<absl::Status(absl::Span<const EnterpriseKey>)>& use) override;
  absl::StatusOr<int64_t> EstimateEnterpriseCount() override;
  absl::StatusOr<v1::Enterprise> LookupEnterprise(const access::Caller& caller,
                                                  absl::string_view credit_code) override;
  absl::StatusOr<v1::Portrait> CurrentPortrait(const access::Caller& caller,
                                               absl::string_view credit_code) override;
  absl::StatusOr<v1::Portrait> PortraitAsOf(const access::Caller& caller,
                                            absl::string_view credit_code,
                                            const google::protobuf::Timestamp& as_of) override;
  absl::StatusOr<LabelledRows> TrainingRows(absl::Span<const int64_t> window_starts,
                                            int64_t label_window_micros,
                                            const std::function<void(int64_t, int64_t)>& progress,
                                            const KeepGoing& keep_going) override;

 private:
  storage::KvStore* const store_;
  EnterpriseDirectory* const directory_;
  PortraitReader* const reader_;
};

// INVALID_ARGUMENT naming `field` unless 1 <= size <= 65536.
absl::Status ValidateBatchSize(absl::string_view field, int size);

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_LOCAL_PORTRAIT_FEED_H_
