#include "services/seams/local_portrait_feed.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/portrait/enterprise_records.h"

namespace regulation::services {

absl::Status ValidateBatchSize(absl::string_view field, int size) {
  if (size < 1 || size > 65536) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be 1-65536, not ", size));
  }
  return absl::OkStatus();
}

absl::Status LocalPortraitFeed::ForEachFeatureChunk(
    const std::string& resume_after, int64_t as_of_micros, int chunk_size,
    const std::function<absl::Status(const FeatureChunk&)>& use) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("chunk_size", chunk_size));
  // The feature chunks scan the stored portrait states: bring them up to date with every
  // event acknowledged so far (ingestion keeps them in memory ahead of the store).
  REG_RETURN_IF_ERROR(reader_->WriteBackStates());
  return services::ForEachFeatureChunk(store_, resume_after, as_of_micros, chunk_size, use);
}

absl::Status LocalPortraitFeed::ForEachEnterpriseKeys(
    int batch_size, const std::function<absl::Status(absl::Span<const EnterpriseKey>)>& use) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", batch_size));
  std::unique_ptr<storage::Snapshot> snapshot = store_->GetSnapshot();
  storage::IteratorOptions options;
  options.snapshot = snapshot.get();
  options.bulk_scan = true;
  storage::ProtoCursor<v1::Enterprise> enterprises = EnterpriseRecords(store_).Scan(options);
  std::vector<EnterpriseKey> batch;
  batch.reserve(static_cast<size_t>(batch_size));
  v1::Enterprise enterprise;
  for (enterprises.SeekToFirst(); enterprises.Valid(); enterprises.Next()) {
    REG_RETURN_IF_ERROR(enterprises.Read(&enterprise));
    batch.push_back({std::string(enterprises.key()), enterprise.region_code(),
                     enterprise.industry_code()});
    if (static_cast<int>(batch.size()) == batch_size) {
      REG_RETURN_IF_ERROR(use(batch));
      batch.clear();
    }
  }
  REG_RETURN_IF_ERROR(enterprises.status());
  if (!batch.empty()) REG_RETURN_IF_ERROR(use(batch));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> LocalPortraitFeed::EstimateEnterpriseCount() {
  return EnterpriseRecords(store_).EstimateCount();
}

absl::StatusOr<v1::Enterprise> LocalPortraitFeed::LookupEnterprise(const access::Caller& caller,
                                                                   absl::string_view credit_code) {
  return directory_->Get(caller, credit_code);
}

absl::StatusOr<v1::Portrait> LocalPortraitFeed::CurrentPortrait(const access::Caller& caller,
                                                               absl::string_view credit_code) {
  return reader_->Current(caller, credit_code);
}

absl::StatusOr<v1::Portrait> LocalPortraitFeed::PortraitAsOf(
    const access::Caller& caller, absl::string_view credit_code,
    const google::protobuf::Timestamp& as_of) {
  return reader_->AsOf(caller, credit_code, as_of);
}

absl::StatusOr<LabelledRows> LocalPortraitFeed::TrainingRows(
    absl::Span<const int64_t> window_starts, int64_t label_window_micros,
    const std::function<void(int64_t, int64_t)>& progress, const KeepGoing& keep_going) {
  return BuildTrainingRows(store_, window_starts, label_window_micros, progress, keep_going);
}

}  // namespace regulation::services
