#ifndef SERVICES_COMMON_IDEMPOTENT_WRITE_H_
#define SERVICES_COMMON_IDEMPOTENT_WRITE_H_

// The idempotent-write protocol of every keyed write RPC (docs/api.md §1.1), in one
// place, over the ledger (idempotency.h):
//
//   REG_ASSIGN_OR_RETURN(IdempotentWrite write,
//                        IdempotentWrite::For(kRpc, caller.subject, request));  // no I/O
//   absl::MutexLock lock(&write_mu_);                 // the writer's own lock
//   REG_ASSIGN_OR_RETURN(std::optional<Response> replay, write.ReplayAs<Response>(store_));
//   if (replay.has_value()) return *replay;           // a retry: nothing is written
//   storage::WriteBatch batch;  ... stage the change ...
//   REG_RETURN_IF_ERROR(write.Commit(store_, &batch, response.SerializeAsString()));
//
// The key is (rpc, caller subject, request_id); the request's digest tells a retry
// (same request: the stored answer) from a reuse (another request: ALREADY_EXISTS). The
// ledger record goes into the same batch as the change, so after a crash both exist or
// neither. An empty request_id opts out: nothing is looked up or recorded.
//
// Thread safety: an IdempotentWrite is an immutable value; the caller serialises the
// look-up and the write of one piece of state under its own mutex.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/quote.h"
#include "services/common/idempotency.h"
#include "storage/kv_store.h"

namespace regulation::services {

class IdempotentWrite {
 public:
  // The protocol for one call of `rpc` by the caller whose subject is `caller_subject`.
  // `request` is the whole request message, with a request_id() field.
  // INVALID_ARGUMENT "request_id: ..." for a malformed request_id. Reads nothing.
  template <typename Request>
  static absl::StatusOr<IdempotentWrite> For(absl::string_view rpc,
                                             absl::string_view caller_subject,
                                             const Request& request) {
    absl::Status valid = ValidateRequestId(request.request_id());
    if (!valid.ok()) return valid;
    return IdempotentWrite(rpc, caller_subject, request.request_id(), RequestDigest(request));
  }

  // The stored answer of an earlier call with this key and the same request, or nullopt
  // for a first call (and always without a request_id). ALREADY_EXISTS when the key
  // was used for a different request; DATA_LOSS for a truncated record; the store's
  // statuses otherwise.
  absl::StatusOr<std::optional<std::string>> Replay(storage::KvStore* store) const;

  // As Replay, the answer parsed as `Response` (a message stored by Commit as
  // SerializeAsString). DATA_LOSS naming the request_id when it does not parse.
  template <typename Response>
  absl::StatusOr<std::optional<Response>> ReplayAs(storage::KvStore* store) const {
    absl::StatusOr<std::optional<std::string>> answer = Replay(store);
    if (!answer.ok()) return answer.status();
    if (!answer->has_value()) return std::optional<Response>();
    Response response;
    if (!response.ParseFromString(**answer)) {
      return absl::DataLossError(
          absl::StrCat("the stored response of request_id ", Quote(request_id_), " is corrupt"));
    }
    return std::optional<Response>(std::move(response));
  }

  // Adds the ledger record (this key -> `answer`) to `batch`, for a caller that writes
  // the batch itself; nothing without a request_id.
  void Record(storage::WriteBatch* batch, absl::string_view answer) const;

  // Record, then the batch written durably (fsync'ed before it returns): the change and
  // its record, both or neither. The store's statuses.
  absl::Status Commit(storage::KvStore* store, storage::WriteBatch* batch,
                      absl::string_view answer) const;

  const std::string& request_id() const { return request_id_; }
  const std::string& digest() const { return digest_; }

 private:
  IdempotentWrite(absl::string_view rpc, absl::string_view caller, absl::string_view request_id,
                  std::string digest)
      : rpc_(rpc), caller_(caller), request_id_(request_id), digest_(std::move(digest)) {}

  std::string rpc_;
  std::string caller_;
  std::string request_id_;
  std::string digest_;
};

}  // namespace regulation::services

#endif  // SERVICES_COMMON_IDEMPOTENT_WRITE_H_
