#ifndef SERVICES_PORTRAIT_ENTERPRISE_DIRECTORY_H_
#define SERVICES_PORTRAIT_ENTERPRISE_DIRECTORY_H_

// The enterprise directory (检查对象名录库): the market entities that draws pick from,
// stored in the kEnterprises column family by credit code, with a region index
// (kEnterprisesByRegion: region code + credit code) for jurisdiction scans.
//
// Thread safety: safe for concurrent use. Writes are serialised by an internal mutex
// (each is a read-modify-write of version and times); reads do not take it.
//
// Durability: every write is one atomic, fsync'ed batch (record, index entries and
// idempotency record together): an acknowledged write survives a crash and a failed
// one leaves nothing behind.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/v1/portrait_service.pb.h"
#include "services/common/idempotency.h"
#include "storage/kv_store.h"

namespace regulation::services {

class EnterpriseDirectory {
 public:
  // At most this many enterprises per BatchUpsert call.
  static constexpr int kMaxBatchSize = 1000;
  // A List call examines at most this many rows; a page may then hold fewer than
  // page_size results even though more follow (its next_page_token says so).
  static constexpr int kMaxScannedPerPage = 20000;

  // `store` and `clock` must outlive the directory.
  EnterpriseDirectory(storage::KvStore* store, Clock* clock);

  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS when request_id was used for a
  // different request.
  absl::StatusOr<v1::UpsertEnterpriseResponse> Upsert(const v1::UpsertEnterpriseRequest& request);

  // INVALID_ARGUMENT for an empty or oversized batch or a bad request_id; a bad item is
  // reported in the response's errors and the other items are still written.
  absl::StatusOr<v1::BatchUpsertEnterprisesResponse> BatchUpsert(
      const v1::BatchUpsertEnterprisesRequest& request);

  // INVALID_ARGUMENT for a malformed code, NOT_FOUND for an unknown one.
  absl::StatusOr<v1::Enterprise> Get(absl::string_view credit_code);

  // INVALID_ARGUMENT for malformed filters, page size or token.
  absl::StatusOr<v1::ListEnterprisesResponse> List(const v1::ListEnterprisesRequest& request);

 private:
  struct Prepared;

  // Turns validated input records into the records to store, reading the current ones;
  // fills `batch`. Returns how many changed. REQUIRES: write_mu_ held.
  absl::StatusOr<int> StageUpserts(const std::vector<const v1::Enterprise*>& inputs,
                                   storage::WriteBatch* batch, std::vector<v1::Enterprise>* stored)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  storage::KvStore* const store_;
  Clock* const clock_;
  IdempotencyLedger ledger_;
  absl::Mutex write_mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_ENTERPRISE_DIRECTORY_H_
