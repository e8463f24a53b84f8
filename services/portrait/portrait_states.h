#ifndef SERVICES_PORTRAIT_PORTRAIT_STATES_H_
#define SERVICES_PORTRAIT_PORTRAIT_STATES_H_

// The portrait states (kPortraits, credit code -> regulation.internal.PortraitState) as
// other packages read them. The portrait package owns them: EventIngestor writes each
// state in the same batch as the events folded into it; scoring reads them through
// this interface (ScoreAll's feature chunks), never from the store directly.
//
// Statuses: NOT_FOUND for an enterprise with no state yet (no events); DATA_LOSS naming
// the credit code for a state that does not parse (storage/proto_table.h).
//
// Thread safety: immutable; safe for concurrent use. `store` must outlive it.

#include "regulation/internal/portrait_state.pb.h"
#include "storage/kv_store.h"
#include "storage/proto_table.h"

namespace regulation::services {

class PortraitStates {
 public:
  explicit PortraitStates(storage::KvStore* store)
      : table_(store, storage::ColumnFamily::kPortraits) {}

  absl::StatusOr<internal::PortraitState> Get(absl::string_view credit_code,
                                              const storage::ReadOptions& options = {}) const {
    return table_.Get(credit_code, options);
  }

  // The states in credit-code order within `options`' bounds and snapshot: walk them
  // alongside the enterprise records (enterprise_records.h), which share their keys.
  storage::ProtoCursor<internal::PortraitState> Scan(
      const storage::IteratorOptions& options = {}) const {
    return table_.Scan(options);
  }

 private:
  storage::ProtoTable<internal::PortraitState> table_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_PORTRAIT_STATES_H_
