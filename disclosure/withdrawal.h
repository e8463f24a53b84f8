#ifndef DISCLOSURE_WITHDRAWAL_H_
#define DISCLOSURE_WITHDRAWAL_H_

// Withdrawing the body of a published record (docs/disclosure.md, "Withdrawal"): the
// leaf stays in the log, so the tree and every proof stay valid; the body and its salt
// are replaced in the store by a tombstone, and a WITHDRAWAL record (a PublicEntry with
// `withdrawal`, key "withdrawal/<index>", the withdrawn record's subject) says which
// record, when and on what legal basis. Verifiers accept a missing body only when such a
// record names it. Who may ask and who approves is the service's (services/disclosure/
// withdrawal_desk.h); this is what a withdrawal does to the log and the store.
//
// Thread safety: the functions are as thread-safe as the queue and the store.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "disclosure/publication_queue.h"
#include "storage/kv_store.h"

namespace regulation::disclosure {

// "withdrawal/<withdrawn_index>": the key of the WITHDRAWAL record of that record.
std::string WithdrawalRecordKey(uint64_t withdrawn_index);

// RESULT, CORRECTION and OBJECTION_OUTCOME records: the ones that carry free text
// (what inspectors, enterprises and departments wrote). A plan's
// commitment, announcements and draws stay: every draw is verified from them.
bool IsWithdrawable(absl::string_view kind);

struct WithdrawalNotice {
  // The record whose body goes, and its leaf (the log's entry at that index).
  uint64_t withdrawn_index = 0;
  std::string withdrawn_leaf;
  // Published: the legal basis, the day (YYYY-MM-DD) and the time (RFC 3339, UTC).
  std::string legal_basis;
  std::string withdrawn_date;
  std::string publish_time;
};

// Adds to `batch` the tombstone of the withdrawn body and the WITHDRAWAL record, staged
// with `queue` (which appends it at its next Flush). Returns the withdrawn record's key:
// once `batch` is written, EraseOldBodies(store, key) erases the old body from disk.
// Errors, with nothing staged:
//   INVALID_ARGUMENT     no legal basis, date or time;
//   FAILED_PRECONDITION  a kind that cannot be withdrawn, or a body already withdrawn;
//   DATA_LOSS            the leaf is not a disclosure leaf, or its body is not stored;
//   the queue's and the store's errors.
absl::StatusOr<std::string> StageWithdrawal(PublicationQueue* queue, storage::KvStore* store,
                                            const WithdrawalNotice& notice,
                                            storage::WriteBatch* batch);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_WITHDRAWAL_H_
