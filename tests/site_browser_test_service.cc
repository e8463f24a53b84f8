#include "tests/site_browser_test_service.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/grpc_status.h"

namespace regulation::testing {

using services::ToGrpcStatus;

grpc::Status PublicDisclosureService::GetCheckpoint(grpc::ServerContext*,
                                                    const v1::GetCheckpointRequest*,
                                                    v1::Checkpoint* response) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<v1::Checkpoint> checkpoint = log_->source().LatestCheckpoint();
  if (!checkpoint.ok()) return ToGrpcStatus(checkpoint.status());
  *response = *checkpoint;
  return grpc::Status::OK;
}

grpc::Status PublicDisclosureService::ListPublicRecords(grpc::ServerContext*,
                                                        const v1::ListPublicRecordsRequest* request,
                                                        v1::ListPublicRecordsResponse* response) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t from = request->from_index();
  absl::string_view token = request->page_token();
  if (!token.empty() && (!absl::ConsumePrefix(&token, "i") || !absl::SimpleAtoi(token, &from))) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token: not a token of this call");
  }
  const int64_t size = static_cast<int64_t>(log_->log().size());
  const int64_t page = request->page_size() > 0 ? request->page_size() : 100;
  const int64_t to = std::min(size, from + page);
  absl::Status status = log_->source().ForEachRecord(from, to, [&](const v1::PublicRecord& r) {
    v1::PublicRecord* out = response->add_records();
    *out = r;
    out->clear_attachment();  // fetched with GetPublicRecord
    return absl::OkStatus();
  });
  if (to < size) response->set_next_page_token(absl::StrCat("i", to));
  return ToGrpcStatus(status);
}

grpc::Status PublicDisclosureService::GetPublicRecord(grpc::ServerContext*,
                                                      const v1::GetPublicRecordRequest* request,
                                                      v1::PublicRecord* response) {
  std::lock_guard<std::mutex> lock(mu_);
  if (request->log_index() < 0 || request->log_index() >= static_cast<int64_t>(log_->log().size())) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "log_index: no such record");
  }
  return ToGrpcStatus(log_->source().ForEachRecord(
      request->log_index(), request->log_index() + 1, [&](const v1::PublicRecord& r) {
        *response = r;
        return absl::OkStatus();
      }));
}

grpc::Status PublicDisclosureService::GetConsistencyProof(
    grpc::ServerContext*, const v1::GetConsistencyProofRequest* request,
    v1::GetConsistencyProofResponse* response) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<std::vector<std::string>> proof =
      log_->source().ConsistencyProof(request->first_size(), request->second_size());
  if (!proof.ok()) return ToGrpcStatus(proof.status());
  response->mutable_proof()->set_first_size(request->first_size());
  response->mutable_proof()->set_second_size(request->second_size());
  for (const std::string& h : *proof) response->mutable_proof()->add_hashes(h);
  return grpc::Status::OK;
}

grpc::Status PublicDisclosureService::ExportLogFiles(grpc::ServerContext*,
                                                     const v1::ExportLogFilesRequest* request,
                                                     grpc::ServerWriter<v1::LogFile>* writer) {
  std::lock_guard<std::mutex> lock(mu_);
  return ToGrpcStatus(log_->source().ForEachLogFile(request->from_size(), [&](const v1::LogFile& f) {
    return writer->Write(f) ? absl::OkStatus() : absl::CancelledError("the client went away");
  }));
}

}  // namespace regulation::testing
