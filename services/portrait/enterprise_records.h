#ifndef SERVICES_PORTRAIT_ENTERPRISE_RECORDS_H_
#define SERVICES_PORTRAIT_ENTERPRISE_RECORDS_H_

// The enterprise records (kEnterprises, credit code -> regulation.v1.Enterprise) as other
// packages read them. The portrait package owns them: EnterpriseDirectory is their only
// writer, and every other package (scoring, inspection, disclosure) reads them through
// this interface, never from the store directly, so their format and corruption
// handling live here. Reads apply no jurisdiction: callers that serve a caller check it
// themselves (as the directory's Get does).
//
// Statuses: NOT_FOUND "no enterprises record \"<code>\"" for an absent code; DATA_LOSS
// naming the code for a record that does not parse (storage/proto_table.h).
//
// Thread safety: immutable; safe for concurrent use. `store` must outlive it.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regulation/v1/enterprise.pb.h"
#include "storage/kv_store.h"
#include "storage/proto_table.h"

namespace regulation::services {

class EnterpriseRecords {
 public:
  explicit EnterpriseRecords(storage::KvStore* store);

  absl::StatusOr<v1::Enterprise> Get(absl::string_view credit_code,
                                     const storage::ReadOptions& options = {}) const {
    return table_.Get(credit_code, options);
  }

  // One entry per code, in order, each as Get would answer.
  std::vector<absl::StatusOr<v1::Enterprise>> MultiGet(
      absl::Span<const std::string> credit_codes, const storage::ReadOptions& options = {}) const {
    return table_.MultiGet(credit_codes, options);
  }

  // The records in credit-code order within `options`' bounds and snapshot. Other
  // families keyed by credit code (portraits, scores) can be walked alongside.
  storage::ProtoCursor<v1::Enterprise> Scan(const storage::IteratorOptions& options = {}) const {
    return table_.Scan(options);
  }

  // About how many enterprises there are, for progress messages only.
  absl::StatusOr<int64_t> EstimateCount() const { return table_.EstimateCount(); }

 private:
  storage::ProtoTable<v1::Enterprise> table_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_ENTERPRISE_RECORDS_H_
