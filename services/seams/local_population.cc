#include "services/seams/local_population.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scoring/portrait_state.h"
#include "services/portrait/enterprise_records.h"
#include "services/seams/local_portrait_feed.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// Walks the portrait states alongside the enterprise scan.
class PortraitFollower {
 public:
  PortraitFollower(storage::KvStore* store, const storage::Snapshot* snapshot)
      : it_(store->NewIterator(ColumnFamily::kPortraits, {snapshot, "", ""})) {
    it_->SeekToFirst();
  }

  // The listing and official class of `row` at `as_of_micros`. REQUIRES: codes ascending.
  absl::Status Fill(int64_t as_of_micros, PopulationRow* row) {
    const std::string& code = row->credit_code;
    while (it_->Valid() && it_->key() < code) it_->Next();
    REG_RETURN_IF_ERROR(it_->status());
    if (!it_->Valid() || it_->key() != code) return absl::OkStatus();  // no event yet
    const absl::string_view bytes = it_->value();
    if (!state_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return absl::DataLossError(absl::StrCat("portrait state of ", code, " is corrupt"));
    }
    row->official_class = scoring::OfficialClassAsOf(state_, as_of_micros).risk_class;
    row->dishonest_listed =
        scoring::ListedAt(state_, scoring::ListKind::kSeriousDishonesty, as_of_micros);
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<storage::Iterator> it_;
  internal::PortraitState state_;
};

class StoreClassReader : public ClassReader {
 public:
  StoreClassReader(storage::KvStore* store, int batch_size)
      : snapshot_(store->GetSnapshot()), batch_size_(batch_size) {
    storage::IteratorOptions options;
    options.snapshot = snapshot_.get();
    options.bulk_scan = true;
    it_ = store->NewIterator(ColumnFamily::kScores, options);
    it_->SeekToFirst();
  }

  absl::Status Next(std::vector<CodeClass>* batch) override {
    batch->clear();
    v1::RiskScore score;
    for (; it_->Valid() && static_cast<int>(batch->size()) < batch_size_; it_->Next()) {
      const absl::string_view bytes = it_->value();
      if (!score.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return absl::DataLossError(absl::StrCat("the stored score of ", it_->key(), " is corrupt"));
      }
      if (score.risk_class() < v1::RISK_CLASS_A || score.risk_class() > v1::RISK_CLASS_D) continue;
      batch->push_back({std::string(it_->key()), score.risk_class()});
    }
    return it_->status();
  }

 private:
  std::unique_ptr<storage::Snapshot> snapshot_;
  std::unique_ptr<storage::Iterator> it_;
  const int batch_size_;
};

}  // namespace

absl::Status LocalPortraitPopulation::ForEachBatch(const PopulationQuery& query,
                                                   const PopulationBatchUse& use) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", query.batch_size));
  std::unique_ptr<storage::Snapshot> snapshot = store_->GetSnapshot();
  storage::IteratorOptions options;
  options.snapshot = snapshot.get();
  options.bulk_scan = true;
  storage::ProtoCursor<v1::Enterprise> enterprises = EnterpriseRecords(store_).Scan(options);
  std::unique_ptr<PortraitFollower> portraits;
  if (query.with_credit) portraits = std::make_unique<PortraitFollower>(store_, snapshot.get());
  std::vector<PopulationRow> batch;
  batch.reserve(static_cast<size_t>(query.batch_size));
  v1::Enterprise e;
  for (enterprises.SeekToFirst(); enterprises.Valid(); enterprises.Next()) {
    REG_RETURN_IF_ERROR(enterprises.Read(&e));
    if (!absl::StartsWith(e.region_code(), query.region_prefix)) continue;
    PopulationRow row;
    row.credit_code = e.credit_code();
    row.region_code = e.region_code();
    row.industry_code = e.industry_code();
    row.status = e.status();
    if (portraits != nullptr) REG_RETURN_IF_ERROR(portraits->Fill(query.as_of_micros, &row));
    batch.push_back(std::move(row));
    if (static_cast<int>(batch.size()) == query.batch_size) {
      REG_RETURN_IF_ERROR(use(batch));
      batch.clear();
    }
  }
  REG_RETURN_IF_ERROR(enterprises.status());
  if (!batch.empty()) REG_RETURN_IF_ERROR(use(batch));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> LocalPortraitPopulation::GetEnterprises(
    absl::Span<const std::string> credit_codes) {
  return EnterpriseRecords(store_).MultiGet(credit_codes);
}

absl::StatusOr<std::unique_ptr<ClassReader>> LocalStoredClasses::Read(int batch_size) {
  REG_RETURN_IF_ERROR(ValidateBatchSize("batch_size", batch_size));
  return std::unique_ptr<ClassReader>(new StoreClassReader(store_, batch_size));
}

}  // namespace regulation::services
