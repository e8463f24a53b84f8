#include "disclosure/public_record_reader.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/public_record_kind.h"

namespace regulation::disclosure {
namespace {

void SetTime(absl::string_view rfc3339, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) return;
  const absl::Duration since_epoch = t - absl::UnixEpoch();
  const int64_t seconds = absl::ToInt64Seconds(since_epoch);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds))));
}

absl::Status Corrupt(uint64_t index, const absl::Status& status) {
  return absl::DataLossError(absl::StrCat("public record ", index, ": ", status.message()));
}

}  // namespace

absl::Status PublicRecordReader::SetWithdrawal(const StoredBody& stored,
                                               v1::PublicRecord* record) const {
  record->set_withdrawn(true);
  absl::StatusOr<uint64_t> withdrawal =
      published_ != nullptr ? published_->IndexOf(stored.withdrawn_by)
                            : absl::StatusOr<uint64_t>(absl::NotFoundError("no index"));
  if (withdrawal.ok()) {
    record->set_withdrawal_index(static_cast<int64_t>(*withdrawal));
  } else if (absl::IsNotFound(withdrawal.status())) {
    record->set_withdrawal_index(-1);  // staged, not yet logged
  } else {
    return withdrawal.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::PublicRecord> PublicRecordReader::RecordOf(std::string leaf_bytes,
                                                             v1::PublicEntry* entry) const {
  absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(leaf_bytes);
  if (!leaf.ok()) return absl::DataLossError(leaf.status().message());
  v1::PublicRecord record;
  record.set_kind(PublicRecordKindOf(leaf->kind));
  record.set_subject(leaf->subject);
  SetTime(leaf->publish_time, record.mutable_publish_time());

  absl::StatusOr<StoredBody> stored = ReadPublicBody(store_, leaf->key);
  if (!stored.ok()) {
    return absl::IsNotFound(stored.status()) ? absl::DataLossError(stored.status().message())
                                             : stored.status();
  }
  if (stored->withdrawn()) {
    REG_RETURN_IF_ERROR(SetWithdrawal(*stored, &record));
  } else {
    absl::StatusOr<v1::PublicEntry> body = CheckBody(*leaf, stored->body, stored->salt);
    if (!body.ok()) return absl::DataLossError(body.status().message());
    if (body->has_correction()) record.set_corrects_index(body->correction().corrects_index());
    if (entry != nullptr) *entry = *std::move(body);
    record.set_body_json(std::move(stored->body));
    record.set_salt(std::move(stored->salt));
  }
  record.set_leaf(std::move(leaf_bytes));
  return record;
}

absl::StatusOr<v1::PublicRecord> PublicRecordReader::Read(uint64_t index,
                                                         v1::PublicEntry* entry) const {
  REG_ASSIGN_OR_RETURN(std::string leaf_bytes, log_->Entry(index));
  absl::StatusOr<v1::PublicRecord> record = RecordOf(std::move(leaf_bytes), entry);
  if (absl::IsDataLoss(record.status())) return Corrupt(index, record.status());
  if (!record.ok()) return record.status();
  record->set_log_index(static_cast<int64_t>(index));
  record->set_logged(true);
  return record;
}

absl::StatusOr<v1::PublicRecord> PublicRecordReader::ReadStaged(absl::string_view key,
                                                               v1::PublicRecordKind kind) const {
  REG_ASSIGN_OR_RETURN(StoredBody stored, ReadPublicBody(store_, key));
  if (stored.withdrawn()) {
    // The body is gone, and with it the leaf: only the kind and the withdrawal are known.
    v1::PublicRecord record;
    record.set_kind(kind);
    REG_RETURN_IF_ERROR(SetWithdrawal(stored, &record));
    return record;
  }
  // Sealing is deterministic given the salt: this is the leaf that was staged.
  REG_ASSIGN_OR_RETURN(SealedBody sealed, SealBody(std::move(stored.body), std::move(stored.salt)));
  return RecordOf(std::move(sealed.leaf));
}

}  // namespace regulation::disclosure
