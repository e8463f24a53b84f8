#include "disclosure/withdrawal.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure {

std::string WithdrawalRecordKey(uint64_t withdrawn_index) {
  return absl::StrCat("withdrawal/", withdrawn_index);
}

bool IsWithdrawable(absl::string_view kind) {
  return kind == "RESULT" || kind == "CORRECTION" || kind == "OBJECTION_OUTCOME";
}

absl::StatusOr<std::string> StageWithdrawal(PublicationQueue* queue, storage::KvStore* store,
                                            const WithdrawalNotice& notice,
                                            storage::WriteBatch* batch) {
  if (notice.legal_basis.empty()) return absl::InvalidArgumentError("legal_basis: is required");
  if (notice.withdrawn_date.empty() || notice.publish_time.empty()) {
    return absl::InvalidArgumentError("a withdrawal needs its date and time");
  }
  absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(notice.withdrawn_leaf);
  if (!leaf.ok()) {
    return absl::DataLossError(absl::StrCat("record ", notice.withdrawn_index, ": ",
                                            leaf.status().message()));
  }
  if (!IsWithdrawable(leaf->kind)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log_index: record ", notice.withdrawn_index, " is a ", leaf->kind,
        "; only the body of a RESULT, CORRECTION or OBJECTION_OUTCOME can be withdrawn (plans and draws are what "
        "every draw is verified from)"));
  }
  absl::StatusOr<StoredBody> stored = ReadPublicBody(store, leaf->key);
  if (absl::IsNotFound(stored.status())) {
    return absl::DataLossError(absl::StrCat("record ", notice.withdrawn_index, ": ",
                                            stored.status().message()));
  }
  if (!stored.ok()) return stored.status();
  if (stored->withdrawn()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log_index: the body of record ", notice.withdrawn_index, " was withdrawn already (",
        stored->withdrawn_by, ")"));
  }

  v1::PublicEntry entry;
  entry.set_kind("WITHDRAWAL");
  entry.set_key(WithdrawalRecordKey(notice.withdrawn_index));
  entry.set_subject(leaf->subject);
  entry.set_publish_time(notice.publish_time);
  v1::PublicWithdrawal* w = entry.mutable_withdrawal();
  w->set_withdrawn_index(static_cast<int64_t>(notice.withdrawn_index));
  w->set_withdrawn_key(leaf->key);
  w->set_legal_basis(notice.legal_basis);
  w->set_withdrawn_date(notice.withdrawn_date);
  // Stage adds nothing when it fails; the tombstone cannot fail.
  REG_RETURN_IF_ERROR(queue->Stage(entry.key(), leaf->subject, PublicEntryJson(entry), batch));
  StageBodyTombstone(leaf->key, entry.key(), batch);
  return leaf->key;
}

}  // namespace regulation::disclosure
