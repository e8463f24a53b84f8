#include "services/seams/log_append_client.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"

namespace regulation::services {

const std::string& LogAppendServiceConfig() {
  static const auto* const kConfig = new std::string(RetriedServiceConfig({"regulation.internal.v1.LogAppendService"}));
  return *kConfig;
}

GrpcLogWriter::GrpcLogWriter(std::shared_ptr<grpc::Channel> channel, storage::KvStore* store,
                             absl::Duration call_deadline)
    : stub_(internal::v1::LogAppendService::NewStub(std::move(channel))),
      store_(store),
      call_deadline_(call_deadline) {}

absl::StatusOr<std::vector<uint64_t>> GrpcLogWriter::Append(absl::Span<const std::string> entries) {
  std::vector<uint64_t> indices;
  indices.reserve(entries.size());
  internal::v1::AppendRecordsRequest request;
  size_t bytes = 0;
  const auto send = [&]() -> absl::Status {
    if (request.records().empty()) return absl::OkStatus();
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
    internal::v1::AppendRecordsResponse response;
    absl::Status status = FromGrpcStatus(stub_->AppendRecords(&context, request, &response));
    if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
      return absl::Status(status.code(), absl::StrCat("disclosure log: ", status.message()));
    }
    REG_RETURN_IF_ERROR(status);
    if (response.indices_size() != request.records_size()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the disclosure log answered ", response.indices_size(), " indices for ",
                       request.records_size(), " records"));
    }
    indices.insert(indices.end(), response.indices().begin(), response.indices().end());
    request.clear_records();
    bytes = 0;
    return absl::OkStatus();
  };
  for (const std::string& entry : entries) {
    REG_ASSIGN_OR_RETURN(disclosure::PublicLeaf leaf, disclosure::ParsePublicLeaf(entry));
    absl::StatusOr<disclosure::StoredBody> body = disclosure::ReadPublicBody(store_, leaf.key);
    if (absl::IsNotFound(body.status()) || (body.ok() && body->withdrawn())) {
      return absl::FailedPreconditionError(
          absl::StrCat("the queued public record ", leaf.key, " has no stored body"));
    }
    REG_RETURN_IF_ERROR(body.status());
    const size_t size = entry.size() + body->body.size() + body->salt.size() + leaf.key.size() +
                        leaf.subject.size();
    if (request.records_size() >= static_cast<int>(kRecordsPerCall) ||
        (bytes + size > kBytesPerCall && bytes > 0)) {
      REG_RETURN_IF_ERROR(send());
    }
    internal::v1::RecordToAppend* record = request.add_records();
    record->set_record_key(leaf.key);
    record->set_subject(leaf.subject);
    record->set_leaf(entry);
    record->set_body(std::move(body->body));
    record->set_salt(std::move(body->salt));
    bytes += size;
  }
  REG_RETURN_IF_ERROR(send());
  return indices;
}

absl::StatusOr<std::string> GrpcLogWriter::Entry(uint64_t) const {
  return absl::FailedPreconditionError(
      "the disclosure log is served by another service: read its entries there");
}

}  // namespace regulation::services
