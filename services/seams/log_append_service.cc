#include "services/seams/log_append_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/transparency_log.h"
#include "services/access/serve.h"

namespace regulation::services {
namespace {

absl::Status Invalid(int i, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("records[", i, "]: ", what));
}

// OK when `record` is a leaf naming its key and committing to its body and salt.
absl::Status CheckRecord(int i, const internal::v1::RecordToAppend& record) {
  if (record.leaf().size() > disclosure::kMaxEntrySize) {
    return Invalid(i, absl::StrCat("the leaf is over ", disclosure::kMaxEntrySize, " bytes"));
  }
  absl::StatusOr<disclosure::PublicLeaf> leaf = disclosure::ParsePublicLeaf(record.leaf());
  if (!leaf.ok()) return Invalid(i, absl::StrCat("leaf: ", leaf.status().message()));
  if (leaf->key != record.record_key()) {
    return Invalid(i, absl::StrCat("the leaf names ", leaf->key, ", not record_key ",
                                   record.record_key()));
  }
  absl::Status body = disclosure::CheckBody(*leaf, record.body(), record.salt()).status();
  if (!body.ok()) return Invalid(i, absl::StrCat("body: ", body.message()));
  return absl::OkStatus();
}

}  // namespace

grpc::Status LogAppendServiceImpl::AppendRecords(grpc::ServerContext* context,
                                                 const internal::v1::AppendRecordsRequest* request,
                                                 internal::v1::AppendRecordsResponse* response) {
  return access::Serve(context, [&](const access::Caller&) -> absl::Status {
    if (request->records_size() > kMaxRecordsPerCall) {
      return absl::InvalidArgumentError(absl::StrCat(
          "records: at most ", kMaxRecordsPerCall, " per call, not ", request->records_size()));
    }
    for (int i = 0; i < request->records_size(); ++i) {
      REG_RETURN_IF_ERROR(CheckRecord(i, request->records(i)));
    }
    absl::MutexLock lock(&mu_);
    // Stage what is neither published nor queued yet; a key seen before must carry the
    // same body and salt (it is the same record, sent again).
    storage::WriteBatch batch;
    for (int i = 0; i < request->records_size(); ++i) {
      const internal::v1::RecordToAppend& record = request->records(i);
      absl::StatusOr<disclosure::StoredBody> known =
          disclosure::ReadPublicBody(store_, record.record_key());
      if (absl::IsNotFound(known.status())) {
        queue_->StageSealed(record.record_key(), record.subject(), record.leaf(), record.body(),
                            record.salt(), &batch);
        continue;
      }
      REG_RETURN_IF_ERROR(known.status());
      if (!known->withdrawn() && (known->body != record.body() || known->salt != record.salt())) {
        return absl::AlreadyExistsError(absl::StrCat(
            "records[", i, "].record_key: ", record.record_key(),
            " is already known with another body"));
      }
    }
    storage::WriteOptions durable;
    durable.sync = true;
    REG_RETURN_IF_ERROR(store_->Write(batch, durable));
    absl::StatusOr<int64_t> flushed = queue_->Flush();
    if (!flushed.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "the disclosure log could not be appended to (the records stay queued): ",
          flushed.status().message()));
    }
    for (const internal::v1::RecordToAppend& record : request->records()) {
      REG_ASSIGN_OR_RETURN(uint64_t index, queue_->IndexOf(record.record_key()));
      response->add_indices(index);
    }
    return absl::OkStatus();
  });
}

}  // namespace regulation::services
