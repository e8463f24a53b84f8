#ifndef SERVICES_PORTRAIT_ENTERPRISE_DIRECTORY_H_
#define SERVICES_PORTRAIT_ENTERPRISE_DIRECTORY_H_

// The enterprise directory (检查对象名录库): the market entities that draws pick from,
// stored in the kEnterprises column family by credit code, with a region index
// (kEnterprisesByRegion: region code + credit code) for jurisdiction scans.
//
// Thread safety: safe for concurrent use. Writes are serialised by an internal mutex
// (each is a read-modify-write of version and times); reads do not take it.
//
// Jurisdiction: every method takes the caller; an agency reads and writes only
// enterprises whose region code lies in its region prefix (PERMISSION_DENIED
// "<field>: outside your jurisdiction" otherwise, saying nothing about the record).
//
// Durability: every write is one atomic, fsync'ed batch (record, index entries and
// idempotency record together): an acknowledged write survives a crash and a failed
// one leaves nothing behind.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/v1/portrait_service.pb.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"
#include "storage/proto_table.h"

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

  // INVALID_ARGUMENT naming the field; PERMISSION_DENIED when the enterprise's new or
  // stored region is outside the caller's jurisdiction; ALREADY_EXISTS when request_id
  // was used for a different request.
  absl::StatusOr<v1::UpsertEnterpriseResponse> Upsert(const access::Caller& caller,
                                                      const v1::UpsertEnterpriseRequest& request);

  // INVALID_ARGUMENT for an empty or oversized batch or a bad request_id; a bad item
  // (invalid, or outside the jurisdiction) is reported in the response's errors and the
  // other items are still written.
  absl::StatusOr<v1::BatchUpsertEnterprisesResponse> BatchUpsert(
      const access::Caller& caller, const v1::BatchUpsertEnterprisesRequest& request);

  // INVALID_ARGUMENT for a malformed code; PERMISSION_DENIED for an enterprise outside
  // the jurisdiction, and for an unknown code whose registration region (characters 3-8)
  // is outside it, so that refusals do not reveal which codes exist; NOT_FOUND for an
  // unknown code otherwise.
  absl::StatusOr<v1::Enterprise> Get(const access::Caller& caller, absl::string_view credit_code);

  // INVALID_ARGUMENT for malformed filters, page size or token; PERMISSION_DENIED when
  // region_prefix does not overlap the jurisdiction. A broader region_prefix (or none)
  // is narrowed to the jurisdiction.
  absl::StatusOr<v1::ListEnterprisesResponse> List(const access::Caller& caller,
                                                   const v1::ListEnterprisesRequest& request);

 private:
  // Turns validated input records into the records to store, reading the current ones;
  // fills `batch` and, for each input, `stored` (the record as it will be) and
  // `rejected` (why it was not staged, or OK). Returns how many changed.
  absl::StatusOr<int> StageUpserts(const access::Caller& caller,
                                   const std::vector<const v1::Enterprise*>& inputs,
                                   storage::WriteBatch* batch, std::vector<v1::Enterprise>* stored,
                                   std::vector<absl::Status>* rejected)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  storage::KvStore* const store_;
  Clock* const clock_;
  const storage::ProtoTable<v1::Enterprise> enterprises_;
  absl::Mutex write_mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_ENTERPRISE_DIRECTORY_H_
