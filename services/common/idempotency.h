#ifndef SERVICES_COMMON_IDEMPOTENCY_H_
#define SERVICES_COMMON_IDEMPOTENCY_H_

// Idempotency keys for write RPCs. A client that retries a write with the same
// `request_id` gets the first call's response, without the write happening twice; the
// same id with a different request answers ALREADY_EXISTS.
//
// The record is written in the same atomic batch as the write it protects, so after a
// crash either both exist or neither. Callers serialise writes that share state (the
// ledger does not lock): look up, then write, under the caller's own mutex.
//
// Records are kept indefinitely (one small row per keyed write).

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "storage/kv_store.h"

namespace regulation::services {

// OK for an empty id (no idempotency) or 1-128 characters from [A-Za-z0-9._:-];
// otherwise INVALID_ARGUMENT "request_id: ...".
absl::Status ValidateRequestId(absl::string_view request_id);

// SHA-256 of the request's deterministic serialisation.
std::string RequestDigest(const google::protobuf::Message& request);

class IdempotencyLedger {
 public:
  // `store` must outlive the ledger.
  explicit IdempotencyLedger(storage::KvStore* store) : store_(store) {}

  // The stored response of an earlier call by `caller` (the caller's subject: ids of
  // different callers never meet) with this `rpc` and `request_id`, or nullopt when
  // there is none (or `request_id` is empty). ALREADY_EXISTS when the earlier call's
  // request differed (its digest is not `request_digest`).
  absl::StatusOr<std::optional<std::string>> Lookup(absl::string_view rpc, absl::string_view caller,
                                                    absl::string_view request_id,
                                                    absl::string_view request_digest);

  // Adds the record to `batch`; does nothing for an empty `request_id`.
  static void Record(storage::WriteBatch* batch, absl::string_view rpc, absl::string_view caller,
                     absl::string_view request_id, absl::string_view request_digest,
                     absl::string_view response);

 private:
  storage::KvStore* const store_;
};

}  // namespace regulation::services

#endif  // SERVICES_COMMON_IDEMPOTENCY_H_
