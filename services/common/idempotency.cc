#include "services/common/idempotency.h"

#include <cctype>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/field_error.h"
#include "common/quote.h"
#include "common/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

constexpr size_t kMaxRequestIdLength = 128;
constexpr size_t kDigestSize = 32;

std::string LedgerKey(absl::string_view rpc, absl::string_view caller,
                      absl::string_view request_id) {
  storage::KeyBuilder key;
  key.AppendString(rpc);
  key.AppendString(caller);
  key.AppendString(request_id);
  return key.Release();
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > kMaxRequestIdLength) {
    return InvalidField("request_id",
                        absl::StrFormat("must be at most %d characters", kMaxRequestIdLength));
  }
  for (char c : request_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return InvalidField("request_id", "may only contain A-Z a-z 0-9 . _ : -");
    }
  }
  return absl::OkStatus();
}

std::string RequestDigest(const google::protobuf::Message& request) {
  // Fields this server does not know are ignored, here too, at any depth (docs/api.md §1.1).
  std::unique_ptr<google::protobuf::Message> known(request.New());
  known->CopyFrom(request);
  known->DiscardUnknownFields();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    known->SerializeToCodedStream(&coded);
  }
  return Sha256(bytes);
}

absl::StatusOr<std::optional<std::string>> IdempotencyLedger::Lookup(
    absl::string_view rpc, absl::string_view caller, absl::string_view request_id,
    absl::string_view request_digest) {
  if (request_id.empty()) return std::nullopt;
  absl::StatusOr<std::string> stored =
      store_->Get(storage::ColumnFamily::kIdempotency, LedgerKey(rpc, caller, request_id));
  if (absl::IsNotFound(stored.status())) return std::nullopt;
  if (!stored.ok()) return stored.status();
  if (stored->size() < kDigestSize) {
    return absl::DataLossError(
        absl::StrCat("idempotency record for request_id ", Quote(request_id), " is truncated"));
  }
  if (absl::string_view(*stored).substr(0, kDigestSize) != request_digest) {
    return absl::AlreadyExistsError(absl::StrCat(
        "request_id: ", Quote(request_id),
        " was already used for a different request; use a new id for a new request"));
  }
  return stored->substr(kDigestSize);
}

void IdempotencyLedger::Record(storage::WriteBatch* batch, absl::string_view rpc,
                               absl::string_view caller, absl::string_view request_id,
                               absl::string_view request_digest, absl::string_view response) {
  if (request_id.empty()) return;
  batch->Put(storage::ColumnFamily::kIdempotency, LedgerKey(rpc, caller, request_id),
             absl::StrCat(request_digest, response));
}

}  // namespace regulation::services
