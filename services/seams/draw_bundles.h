#ifndef SERVICES_SEAMS_DRAW_BUNDLES_H_
#define SERVICES_SEAMS_DRAW_BUNDLES_H_

// The draw rounds and bundles a draw's public record carries: disclosure's log holds the
// record, inspection holds the round and its bundle (whole, or in parts: draw_archive.h).
// In regulatord both are in one store (LocalDrawBundles); disclosured asks the inspection
// service (GrpcDrawBundles, draw_bundles_client.h).
//
// Thread safety: implementations are safe for concurrent use.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/inspection.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

class DrawBundles {
 public:
  virtual ~DrawBundles() = default;
  // Round `round` of `plan_id` as stored. NOT_FOUND for a plan not stored; DATA_LOSS for a
  // round the plan does not hold (the log names it) or a corrupt record; UNAVAILABLE or
  // DEADLINE_EXCEEDED naming the inspection service when it cannot be reached.
  virtual absl::StatusOr<v1::Draw> DrawnRound(absl::string_view plan_id, int round) = 0;
  // Part `part` of that round's bundle (DrawArchive::BundlePart's statuses).
  virtual absl::StatusOr<std::string> BundlePart(absl::string_view plan_id, int round,
                                                 int64_t part) = 0;
};

// Over the store holding the plans (regulatord, or whoever serves inspection).
class LocalDrawBundles : public DrawBundles {
 public:
  // `store` must outlive this.
  explicit LocalDrawBundles(storage::KvStore* store) : store_(store) {}
  absl::StatusOr<v1::Draw> DrawnRound(absl::string_view plan_id, int round) override;
  absl::StatusOr<std::string> BundlePart(absl::string_view plan_id, int round,
                                         int64_t part) override;

 private:
  storage::KvStore* const store_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_DRAW_BUNDLES_H_
