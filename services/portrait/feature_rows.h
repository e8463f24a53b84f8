#ifndef SERVICES_PORTRAIT_FEATURE_ROWS_H_
#define SERVICES_PORTRAIT_FEATURE_ROWS_H_

// The feature snapshot (kFeatureRows): one row per enterprise (scoring/feature_row.h),
// derived from its stored enterprise record and its stored portrait state, so that
// ScoreAll reads one column family of flat rows instead of parsing two protobufs per
// enterprise (services/scoring/feature_chunks.h).
//
// Invariant: once complete (FeatureRowsComplete), every enterprise has a row, and the
// row equals FeatureRowOf(stored enterprise, stored state or the empty state). Every
// writer of either keeps it: the row goes in the SAME WriteBatch as the record or the
// state it derives from (EnterpriseDirectory's upserts, LivePortraits' checkpoints and
// recovery), so a crash never leaves them apart. A code without an enterprise record
// has no row.
//
// Writers read what they do not write (a checkpoint reads the row's enterprise part; an
// upsert reads the stored state), so reading and writing must not interleave with
// another writer's: each holds a FeatureRowLock from the read until its batch is written.
//
// Upgrades: a directory written before the rows existed (or by a build of another row
// format) has no "complete" marker. BackfillFeatureRows (run by LivePortraits' recovery,
// i.e. at start) rebuilds every row and then writes the marker; until then
// ForEachFeatureChunk reads the enterprises and states themselves.
//
// Statuses: DATA_LOSS for a stored record, state or row that does not parse; storage
// errors as the store returned them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/feature_row.h"
#include "storage/kv_store.h"

namespace regulation::services {

// Held by a feature-row writer of `store` from reading what it derives a row from until
// its batch is written. Writers of other stores do not wait for it.
class FeatureRowLock {
 public:
  explicit FeatureRowLock(const storage::KvStore* store);
  ~FeatureRowLock();
  FeatureRowLock(const FeatureRowLock&) = delete;
  FeatureRowLock& operator=(const FeatureRowLock&) = delete;

 private:
  absl::Mutex* const mu_;
};

// The key of the "complete" marker in kFeatureRows (sorts after every credit code), and
// the bound a scan of the rows stops before.
inline constexpr absl::string_view kFeatureRowsCompleteKey = "~complete";
inline constexpr absl::string_view kFeatureRowsEnd = "~";

// The enterprise parts of the rows of `codes`, in order: from the stored row where it is
// in this format, else from the stored record; none where there is no record.
// REQUIRES: a FeatureRowLock held until the rows made with them are written.
absl::StatusOr<std::vector<std::optional<scoring::FeatureRowEnterprise>>> FeatureRowEnterpriseParts(
    storage::KvStore* store, absl::Span<const std::string> codes);

// For each portrait state `batch` puts, adds the row of that state and its enterprise
// (the enterprise part from the stored row, else from the stored record; no row when
// there is no record). REQUIRES: a FeatureRowLock held until `batch` is written.
absl::Status StageFeatureRowsForStates(storage::KvStore* store, storage::WriteBatch* batch);

// StageFeatureRowsForStates and then store->Write(*batch, options), under a
// FeatureRowLock: how LivePortraits writes states back.
absl::Status WriteWithFeatureRows(storage::KvStore* store, storage::WriteBatch* batch,
                                  const storage::WriteOptions& options);

// Adds the rows of `records` (being put in `batch`) with their stored states.
// REQUIRES: a FeatureRowLock held until `batch` is written.
absl::Status StageFeatureRowsForEnterprises(storage::KvStore* store,
                                            absl::Span<const v1::Enterprise* const> records,
                                            storage::WriteBatch* batch);

// True when every enterprise has its row in this build's format.
absl::StatusOr<bool> FeatureRowsComplete(storage::KvStore* store);

// Unless complete, rebuilds every enterprise's row from the stored record and state (in
// batches, logging progress) and marks the rows complete. Safe alongside the writers
// above. Returns the number of rows written (0 when already complete).
absl::StatusOr<int64_t> BackfillFeatureRows(storage::KvStore* store);

// The consistency check: every stored row against the one derived from its enterprise
// and stored state. Meaningful once the states are written back (LivePortraits::
// Checkpoint) and the rows complete.
struct FeatureRowCheck {
  int64_t checked = 0;
  // Codes whose row differs from its derivation, is missing, or has no enterprise.
  std::vector<std::string> differing;
};
absl::StatusOr<FeatureRowCheck> CheckFeatureRows(storage::KvStore* store);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_FEATURE_ROWS_H_
