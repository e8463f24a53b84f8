#include "disclosure/public_body_store.h"

#include "absl/strings/str_cat.h"
#include "regulation/internal/disclosure_state.pb.h"

namespace regulation::disclosure {

using storage::ColumnFamily;

void StagePublicBody(absl::string_view record_key, absl::string_view body, absl::string_view salt,
                     storage::WriteBatch* batch) {
  internal::PublicBody value;
  value.set_body(std::string(body));
  value.set_salt(std::string(salt));
  batch->PutOwned(ColumnFamily::kPublicBodies, std::string(record_key), value.SerializeAsString());
}

void StageBodyTombstone(absl::string_view record_key, absl::string_view withdrawal_key,
                        storage::WriteBatch* batch) {
  internal::PublicBody value;
  value.set_withdrawn_by(std::string(withdrawal_key));
  batch->PutOwned(ColumnFamily::kPublicBodies, std::string(record_key), value.SerializeAsString());
}

absl::StatusOr<StoredBody> ReadPublicBody(storage::KvStore* store, absl::string_view record_key) {
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kPublicBodies, record_key);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("no body is stored for record ", record_key));
  }
  if (!bytes.ok()) return bytes.status();
  internal::PublicBody value;
  if (!value.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("the stored body of record ", record_key, " is corrupt"));
  }
  return StoredBody{std::move(*value.mutable_body()), std::move(*value.mutable_salt()),
                    std::move(*value.mutable_withdrawn_by())};
}

absl::Status EraseOldBodies(storage::KvStore* store, absl::string_view record_key) {
  return store->CompactRange(ColumnFamily::kPublicBodies, record_key, record_key);
}

}  // namespace regulation::disclosure
