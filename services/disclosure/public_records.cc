#include "services/disclosure/public_records.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "disclosure/checkpoint_proto.h"
#include "disclosure/public_record_reader.h"
#include "disclosure/tiles.h"
#include "regulation/v1/public_record.pb.h"
#include "services/common/pagination.h"
#include "services/inspection/draw_archive.h"

namespace regulation::services {
namespace {

absl::StatusOr<uint64_t> ParsePageToken(absl::string_view token) {
  uint64_t next = 0;
  if (!absl::ConsumePrefix(&token, "i") || !absl::SimpleAtoi(token, &next)) {
    return InvalidField("page_token", "is not a token this call returned");
  }
  return next;
}

}  // namespace

absl::StatusOr<v1::PublicRecord> PublicRecords::Read(uint64_t index) {
  const disclosure::PublicRecordReader reader(log_, store_, publications_);
  v1::PublicEntry entry;
  REG_ASSIGN_OR_RETURN(v1::PublicRecord record, reader.Read(index, &entry));
  if (entry.has_draw()) {
    REG_ASSIGN_OR_RETURN(v1::Draw draw,
                         bundles_->DrawnRound(entry.draw().plan_id(), entry.draw().round()));
    if (KeptInParts(draw)) {
      record.set_attachment_parts(draw.bundle_parts_size());
    } else {
      record.set_attachment(std::move(*draw.mutable_bundle_json()));
    }
  }
  return record;
}

absl::StatusOr<v1::PublicAttachmentPart> PublicRecords::AttachmentPart(
    const v1::GetPublicAttachmentPartRequest& request) {
  const uint64_t size = log_->size();
  if (request.log_index() < 0 || static_cast<uint64_t>(request.log_index()) >= size) {
    return absl::NotFoundError(absl::StrCat("log_index: the log has ", size, " records"));
  }
  const disclosure::PublicRecordReader reader(log_, store_, publications_);
  v1::PublicEntry entry;
  REG_RETURN_IF_ERROR(reader.Read(static_cast<uint64_t>(request.log_index()), &entry).status());
  if (!entry.has_draw() || entry.draw().bundle_part_digests().empty()) {
    return InvalidField("log_index", absl::StrCat("record ", request.log_index(),
                                                  " is no draw published in parts"));
  }
  REG_ASSIGN_OR_RETURN(const v1::Draw draw,
                       bundles_->DrawnRound(entry.draw().plan_id(), entry.draw().round()));
  if (request.part() < 0 || request.part() >= draw.bundle_parts_size()) {
    return InvalidField("part", absl::StrCat("the bundle has parts 0 to ",
                                             draw.bundle_parts_size() - 1));
  }
  v1::PublicAttachmentPart out;
  out.set_log_index(request.log_index());
  out.set_part(request.part());
  REG_ASSIGN_OR_RETURN(*out.mutable_data(),
                       bundles_->BundlePart(entry.draw().plan_id(), entry.draw().round(),
                                            request.part()));
  return out;
}

absl::StatusOr<v1::PublicRecord> PublicRecords::Get(int64_t log_index) {
  const uint64_t size = log_->size();
  if (log_index < 0 || static_cast<uint64_t>(log_index) >= size) {
    return absl::NotFoundError(absl::StrCat("log_index: the log has ", size, " records"));
  }
  return Read(static_cast<uint64_t>(log_index));
}

absl::StatusOr<v1::ListPublicRecordsResponse> PublicRecords::List(
    const v1::ListPublicRecordsRequest& request) {
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return InvalidField("page_size", absl::StrCat("must be 0-", kMaxPageSize));
  }
  if (request.from_index() < 0) return InvalidField("from_index", "must not be negative");
  const size_t page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  uint64_t from = static_cast<uint64_t>(request.from_index());
  if (!request.page_token().empty()) {
    REG_ASSIGN_OR_RETURN(from, ParsePageToken(request.page_token()));
  }
  const uint64_t size = log_->size();
  std::vector<uint64_t> indices;
  if (request.subject().empty()) {
    for (uint64_t i = from; i < size && indices.size() <= page_size; ++i) indices.push_back(i);
  } else {
    REG_ASSIGN_OR_RETURN(indices, publications_->SubjectIndices(request.subject(), from,
                                                                page_size + 1));
    while (!indices.empty() && indices.back() >= size) indices.pop_back();  // not yet signed
  }
  v1::ListPublicRecordsResponse response;
  size_t bytes = 0;
  for (size_t k = 0; k < indices.size(); ++k) {
    if (k == page_size) {
      response.set_next_page_token(absl::StrCat("i", indices[k]));
      break;
    }
    REG_ASSIGN_OR_RETURN(v1::PublicRecord record, Read(indices[k]));
    const size_t size = record.ByteSizeLong();
    if (k > 0 && bytes + size > kMaxPageBytes) {  // draw bundles are large
      response.set_next_page_token(absl::StrCat("i", indices[k]));
      break;
    }
    bytes += size;
    *response.add_records() = std::move(record);
  }
  return response;
}

v1::Checkpoint PublicRecords::Checkpoint() {
  return disclosure::CheckpointProto(log_->Checkpoint(), log_->VerifierKey());
}

absl::StatusOr<v1::GetInclusionProofResponse> PublicRecords::InclusionProof(
    const v1::GetInclusionProofRequest& request) {
  const disclosure::SignedCheckpoint checkpoint = log_->Checkpoint();
  const uint64_t tree_size =
      request.tree_size() == 0 ? checkpoint.size : static_cast<uint64_t>(request.tree_size());
  if (request.tree_size() < 0 || tree_size > checkpoint.size) {
    return InvalidField("tree_size", absl::StrCat("must be 1-", checkpoint.size, " (or 0: latest)"));
  }
  if (request.leaf_index() < 0 || static_cast<uint64_t>(request.leaf_index()) >= tree_size) {
    return InvalidField("leaf_index", absl::StrCat("must be below the tree size ", tree_size));
  }
  REG_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                       log_->InclusionProof(request.leaf_index(), tree_size));
  v1::GetInclusionProofResponse response;
  v1::InclusionProof* proof = response.mutable_proof();
  proof->set_leaf_index(request.leaf_index());
  proof->set_tree_size(static_cast<int64_t>(tree_size));
  for (std::string& h : hashes) proof->add_hashes(std::move(h));
  // The checkpoint the proof is for: the latest one when asked for it.
  if (tree_size == checkpoint.size) {
    *response.mutable_checkpoint() = disclosure::CheckpointProto(checkpoint, log_->VerifierKey());
  }
  return response;
}

absl::StatusOr<v1::GetConsistencyProofResponse> PublicRecords::ConsistencyProof(
    const v1::GetConsistencyProofRequest& request) {
  const disclosure::SignedCheckpoint checkpoint = log_->Checkpoint();
  const uint64_t second =
      request.second_size() == 0 ? checkpoint.size : static_cast<uint64_t>(request.second_size());
  if (request.second_size() < 0 || second > checkpoint.size) {
    return InvalidField("second_size",
                        absl::StrCat("must be 1-", checkpoint.size, " (or 0: latest)"));
  }
  if (request.first_size() < 0 || static_cast<uint64_t>(request.first_size()) > second) {
    return InvalidField("first_size", absl::StrCat("must be 0-", second));
  }
  REG_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                       log_->ConsistencyProof(request.first_size(), second));
  v1::GetConsistencyProofResponse response;
  v1::ConsistencyProof* proof = response.mutable_proof();
  proof->set_first_size(request.first_size());
  proof->set_second_size(static_cast<int64_t>(second));
  for (std::string& h : hashes) proof->add_hashes(std::move(h));
  if (second == checkpoint.size) {
    *response.mutable_checkpoint() = disclosure::CheckpointProto(checkpoint, log_->VerifierKey());
  }
  return response;
}

absl::Status PublicRecords::ExportFiles(int64_t from_size,
                                        const std::function<bool(const v1::LogFile&)>& emit) {
  const disclosure::SignedCheckpoint checkpoint = log_->Checkpoint();
  if (from_size < 0 || static_cast<uint64_t>(from_size) > checkpoint.size) {
    return InvalidField("from_size", absl::StrCat("must be 0-", checkpoint.size));
  }
  auto send = [&](const std::string& path, std::string content) -> absl::Status {
    v1::LogFile file;
    file.set_path(path);
    file.set_content(std::move(content));
    if (!emit(file)) return absl::CancelledError("the caller went away");
    return absl::OkStatus();
  };
  REG_RETURN_IF_ERROR(disclosure::ForEachTileFile(*log_, static_cast<uint64_t>(from_size),
                                                  checkpoint.size, send));
  REG_RETURN_IF_ERROR(send("verifier.key", log_->VerifierKey() + "\n"));
  return send("checkpoint", checkpoint.note);
}

}  // namespace regulation::services
