#include "services/portrait/feature_rows.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "scoring/feature_row.h"
#include "services/portrait/per_store.h"
#include "storage/proto_table.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// Rows written per batch by the backfill.
constexpr size_t kBackfillBatch = 4096;

// The store's one feature-row lock: writers of different stores in one process (tests,
// benchmarks) do not wait for each other.
struct RowMutex {
  absl::Mutex mu;
};

std::string CompleteValue() { return std::string(1, static_cast<char>(scoring::kFeatureRowFormat)); }

absl::Status ParseState(absl::string_view code, absl::string_view bytes,
                        internal::PortraitState* state) {
  return storage::ParseRecord(ColumnFamily::kPortraits, code, bytes, state);
}

// The stored states of `codes` (the empty state where there is none).
absl::StatusOr<std::vector<internal::PortraitState>> StoredStates(
    storage::KvStore* store, const std::vector<std::string>& codes) {
  std::vector<absl::StatusOr<std::string>> bytes = store->MultiGet(ColumnFamily::kPortraits, codes);
  std::vector<internal::PortraitState> states(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) {
    if (bytes[i].ok()) {
      REG_RETURN_IF_ERROR(ParseState(codes[i], *bytes[i], &states[i]));
    } else if (!absl::IsNotFound(bytes[i].status())) {
      return bytes[i].status();
    }
  }
  return states;
}

// Rebuilds the rows of `codes` from what is stored, into one batch, and writes it.
absl::Status RebuildRows(storage::KvStore* store, const std::vector<std::string>& codes) {
  FeatureRowLock lock(store);
  std::vector<absl::StatusOr<std::string>> records =
      store->MultiGet(ColumnFamily::kEnterprises, codes);
  REG_ASSIGN_OR_RETURN(std::vector<internal::PortraitState> states, StoredStates(store, codes));
  storage::WriteBatch batch;
  v1::Enterprise enterprise;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (absl::IsNotFound(records[i].status())) continue;
    if (!records[i].ok()) return records[i].status();
    REG_RETURN_IF_ERROR(
        storage::ParseRecord(ColumnFamily::kEnterprises, codes[i], *records[i], &enterprise));
    batch.PutOwned(ColumnFamily::kFeatureRows, codes[i],
                   scoring::FeatureRowOf(enterprise, states[i]));
  }
  return batch.empty() ? absl::OkStatus() : store->Write(batch);
}

}  // namespace

FeatureRowLock::FeatureRowLock(const storage::KvStore* store)
    : mu_(&PerStore<RowMutex>(store).mu) {
  mu_->Lock();
}
FeatureRowLock::~FeatureRowLock() { mu_->Unlock(); }

absl::StatusOr<std::vector<std::optional<scoring::FeatureRowEnterprise>>> FeatureRowEnterpriseParts(
    storage::KvStore* store, absl::Span<const std::string> codes) {
  std::vector<std::optional<scoring::FeatureRowEnterprise>> parts(codes.size());
  if (codes.empty()) return parts;
  // From the stored row (no record to parse) where there is one in this format, else
  // from the record.
  std::vector<absl::StatusOr<std::string>> rows = store->MultiGet(ColumnFamily::kFeatureRows, codes);
  std::vector<std::string> without_row;
  std::vector<size_t> without_row_index;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (rows[i].ok()) {
      absl::StatusOr<scoring::FeatureRowEnterprise> part = scoring::ReadFeatureRowEnterprise(*rows[i]);
      if (part.ok()) {
        parts[i] = *part;
        continue;
      }
    } else if (!absl::IsNotFound(rows[i].status())) {
      return rows[i].status();
    }
    without_row.push_back(codes[i]);
    without_row_index.push_back(i);
  }
  if (without_row.empty()) return parts;
  std::vector<absl::StatusOr<std::string>> records =
      store->MultiGet(ColumnFamily::kEnterprises, without_row);
  v1::Enterprise enterprise;
  for (size_t k = 0; k < without_row.size(); ++k) {
    if (absl::IsNotFound(records[k].status())) continue;  // no enterprise: no row
    if (!records[k].ok()) return records[k].status();
    REG_RETURN_IF_ERROR(storage::ParseRecord(ColumnFamily::kEnterprises, without_row[k],
                                             *records[k], &enterprise));
    parts[without_row_index[k]] = scoring::FeatureRowEnterpriseOf(enterprise);
  }
  return parts;
}

absl::Status StageFeatureRowsForStates(storage::KvStore* store, storage::WriteBatch* batch) {
  std::vector<std::string> codes;
  std::vector<internal::PortraitState> states;
  for (const storage::WriteBatch::Op& op : batch->ops()) {
    if (op.cf != ColumnFamily::kPortraits || op.kind != storage::WriteBatch::OpKind::kPut) continue;
    codes.push_back(op.key);
    REG_RETURN_IF_ERROR(ParseState(op.key, op.value, &states.emplace_back()));
  }
  REG_ASSIGN_OR_RETURN(const std::vector<std::optional<scoring::FeatureRowEnterprise>> parts,
                       FeatureRowEnterpriseParts(store, codes));
  for (size_t i = 0; i < codes.size(); ++i) {
    if (!parts[i].has_value()) continue;
    std::string row;
    scoring::EncodeFeatureRow(*parts[i], states[i], &row);
    batch->PutOwned(ColumnFamily::kFeatureRows, std::move(codes[i]), std::move(row));
  }
  return absl::OkStatus();
}

absl::Status WriteWithFeatureRows(storage::KvStore* store, storage::WriteBatch* batch,
                                  const storage::WriteOptions& options) {
  FeatureRowLock lock(store);
  REG_RETURN_IF_ERROR(StageFeatureRowsForStates(store, batch));
  return store->Write(*batch, options);
}

absl::Status StageFeatureRowsForEnterprises(storage::KvStore* store,
                                            absl::Span<const v1::Enterprise* const> records,
                                            storage::WriteBatch* batch) {
  if (records.empty()) return absl::OkStatus();
  std::vector<std::string> codes;
  codes.reserve(records.size());
  for (const v1::Enterprise* record : records) codes.push_back(record->credit_code());
  REG_ASSIGN_OR_RETURN(std::vector<internal::PortraitState> states, StoredStates(store, codes));
  for (size_t i = 0; i < records.size(); ++i) {
    batch->PutOwned(ColumnFamily::kFeatureRows, std::move(codes[i]),
                    scoring::FeatureRowOf(*records[i], states[i]));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> FeatureRowsComplete(storage::KvStore* store) {
  absl::StatusOr<std::string> marker = store->Get(ColumnFamily::kFeatureRows, kFeatureRowsCompleteKey);
  if (absl::IsNotFound(marker.status())) return false;
  if (!marker.ok()) return marker.status();
  return *marker == CompleteValue();
}

absl::StatusOr<int64_t> BackfillFeatureRows(storage::KvStore* store) {
  REG_ASSIGN_OR_RETURN(const bool complete, FeatureRowsComplete(store));
  if (complete) return 0;
  LogInfo("feature rows: building one row per enterprise (a directory from before the rows, "
          "or of another row format)");
  int64_t written = 0;
  std::vector<std::string> codes;
  storage::IteratorOptions options;
  options.bulk_scan = true;
  std::unique_ptr<storage::Iterator> it = store->NewIterator(ColumnFamily::kEnterprises, options);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    codes.emplace_back(it->key());
    if (codes.size() == kBackfillBatch) {
      REG_RETURN_IF_ERROR(RebuildRows(store, codes));
      written += static_cast<int64_t>(codes.size());
      codes.clear();
      if (written % (kBackfillBatch * 64) == 0) {
        LogInfo(absl::StrCat("feature rows: ", written, " built"));
      }
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  REG_RETURN_IF_ERROR(RebuildRows(store, codes));
  written += static_cast<int64_t>(codes.size());
  storage::WriteBatch marker;
  marker.Put(ColumnFamily::kFeatureRows, kFeatureRowsCompleteKey, CompleteValue());
  storage::WriteOptions durable;
  durable.sync = true;
  REG_RETURN_IF_ERROR(store->Write(marker, durable));
  LogInfo(absl::StrCat("feature rows: complete, ", written, " built"));
  return written;
}

absl::StatusOr<FeatureRowCheck> CheckFeatureRows(storage::KvStore* store) {
  std::unique_ptr<storage::Snapshot> snapshot = store->GetSnapshot();
  storage::IteratorOptions options;
  options.snapshot = snapshot.get();
  options.bulk_scan = true;
  std::unique_ptr<storage::Iterator> enterprises =
      store->NewIterator(ColumnFamily::kEnterprises, options);
  std::unique_ptr<storage::Iterator> states = store->NewIterator(ColumnFamily::kPortraits, options);
  storage::IteratorOptions row_options = options;
  row_options.upper_bound = std::string(kFeatureRowsEnd);
  std::unique_ptr<storage::Iterator> rows =
      store->NewIterator(ColumnFamily::kFeatureRows, row_options);
  FeatureRowCheck check;
  v1::Enterprise enterprise;
  internal::PortraitState state;
  enterprises->SeekToFirst();
  states->SeekToFirst();
  rows->SeekToFirst();
  for (; enterprises->Valid(); enterprises->Next()) {
    const absl::string_view code = enterprises->key();
    REG_RETURN_IF_ERROR(storage::ParseRecord(ColumnFamily::kEnterprises, code,
                                             enterprises->value(), &enterprise));
    while (states->Valid() && states->key() < code) states->Next();
    state.Clear();
    if (states->Valid() && states->key() == code) {
      REG_RETURN_IF_ERROR(ParseState(code, states->value(), &state));
    }
    while (rows->Valid() && rows->key() < code) {  // a row without an enterprise
      check.differing.emplace_back(rows->key());
      rows->Next();
    }
    ++check.checked;
    if (!rows->Valid() || rows->key() != code ||
        rows->value() != scoring::FeatureRowOf(enterprise, state)) {
      check.differing.emplace_back(code);
    }
    if (rows->Valid() && rows->key() == code) rows->Next();
  }
  for (; rows->Valid(); rows->Next()) check.differing.emplace_back(rows->key());
  REG_RETURN_IF_ERROR(enterprises->status());
  REG_RETURN_IF_ERROR(states->status());
  REG_RETURN_IF_ERROR(rows->status());
  return check;
}

}  // namespace regulation::services
