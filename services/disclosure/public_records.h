#ifndef SERVICES_DISCLOSURE_PUBLIC_RECORDS_H_
#define SERVICES_DISCLOSURE_PUBLIC_RECORDS_H_

// What the public reads: the log's records, its signed checkpoint, proofs for exactly
// that checkpoint, and the C2SP tile files a publisher mirrors (docs/disclosure.md).
// Every read is bounded by one checkpoint taken at its start, so a proof and the
// checkpoint returned with it always agree even while the log grows.
//
// Thread safety: safe for concurrent use (the log and the store are).

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "disclosure/publication_queue.h"
#include "disclosure/transparency_log.h"
#include "regulation/v1/disclosure_service.pb.h"
#include "regulation/v1/inspection.pb.h"
#include "services/seams/draw_bundles.h"
#include "storage/kv_store.h"

namespace regulation::services {

class PublicRecords {
 public:
  // Everything must outlive this. `bundles` gives the draw rounds and bundles of draw
  // records (services/seams/draw_bundles.h): null reads them from `store` (one process);
  // disclosured asks the inspection service.
  PublicRecords(storage::KvStore* store, const disclosure::TransparencyLog* log,
                disclosure::PublicationQueue* publications, DrawBundles* bundles = nullptr)
      : store_(store),
        log_(log),
        publications_(publications),
        own_bundles_(bundles == nullptr ? std::make_unique<LocalDrawBundles>(store) : nullptr),
        bundles_(bundles == nullptr ? own_bundles_.get() : bundles) {}

  // NOT_FOUND past the latest checkpoint. A record carries its leaf and the body and
  // salt the leaf commits to, or says it was withdrawn (disclosure/public_record_reader.h);
  // a DRAW record carries its bundle, or, published in parts, their number.
  absl::StatusOr<v1::PublicRecord> Get(int64_t log_index);
  // Part `part` of the bundle of the DRAW record at `log_index`, published in parts.
  // NOT_FOUND past the latest checkpoint; INVALID_ARGUMENT naming the field for a record
  // that is no such draw or a part out of range; DATA_LOSS for a part not stored intact.
  absl::StatusOr<v1::PublicAttachmentPart> AttachmentPart(
      const v1::GetPublicAttachmentPartRequest& request);
  absl::StatusOr<v1::ListPublicRecordsResponse> List(const v1::ListPublicRecordsRequest& request);
  v1::Checkpoint Checkpoint();
  // tree_size 0: the latest checkpoint. INVALID_ARGUMENT for a leaf or size out of range.
  absl::StatusOr<v1::GetInclusionProofResponse> InclusionProof(
      const v1::GetInclusionProofRequest& request);
  absl::StatusOr<v1::GetConsistencyProofResponse> ConsistencyProof(
      const v1::GetConsistencyProofRequest& request);
  // The tile files since `from_size`, then verifier.key, then the checkpoint (last).
  absl::Status ExportFiles(int64_t from_size,
                           const std::function<bool(const v1::LogFile&)>& emit);

 private:
  // The record at `index` of a tree known to hold it.
  absl::StatusOr<v1::PublicRecord> Read(uint64_t index);
  storage::KvStore* const store_;
  const disclosure::TransparencyLog* const log_;
  disclosure::PublicationQueue* const publications_;
  const std::unique_ptr<LocalDrawBundles> own_bundles_;
  DrawBundles* const bundles_;
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_PUBLIC_RECORDS_H_
