#include "services/common/idempotent_write.h"

namespace regulation::services {

absl::StatusOr<std::optional<std::string>> IdempotentWrite::Replay(storage::KvStore* store) const {
  return IdempotencyLedger(store).Lookup(rpc_, caller_, request_id_, digest_);
}

void IdempotentWrite::Record(storage::WriteBatch* batch, absl::string_view answer) const {
  IdempotencyLedger::Record(batch, rpc_, caller_, request_id_, digest_, answer);
}

absl::Status IdempotentWrite::Commit(storage::KvStore* store, storage::WriteBatch* batch,
                                     absl::string_view answer) const {
  Record(batch, answer);
  storage::WriteOptions durable;
  durable.sync = true;
  return store->Write(*batch, durable);
}

}  // namespace regulation::services
