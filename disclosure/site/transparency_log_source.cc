#include "disclosure/site/transparency_log_source.h"

#include "absl/strings/str_cat.h"
#include "scheduler/bundle_parts.h"

#include "common/status_macros.h"
#include "disclosure/checkpoint_proto.h"
#include "disclosure/public_record_reader.h"
#include "disclosure/tiles.h"

namespace regulation::disclosure::site {

absl::StatusOr<v1::Checkpoint> TransparencyLogSource::LatestCheckpoint() {
  return CheckpointProto(log_->Checkpoint(), log_->VerifierKey());
}

absl::Status TransparencyLogSource::ForEachRecord(int64_t from_index, int64_t to_index,
                                                  const RecordVisitor& visit) {
  const PublicRecordReader reader(log_, store_, published_);
  for (int64_t i = from_index; i < to_index; ++i) {
    REG_ASSIGN_OR_RETURN(v1::PublicRecord record, reader.Read(static_cast<uint64_t>(i)));
    auto attachment = attachments_.find(i);
    auto parts = part_bytes_.find(i);
    if (attachment != attachments_.end() && parts != part_bytes_.end()) {
      record.set_attachment_parts(static_cast<int32_t>(
          scheduler::PartCount(static_cast<int64_t>(attachment->second.size()), parts->second)));
    } else if (attachment != attachments_.end()) {
      record.set_attachment(attachment->second);
    }
    records_served_.fetch_add(1, std::memory_order_relaxed);
    REG_RETURN_IF_ERROR(visit(record));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TransparencyLogSource::AttachmentPart(int64_t log_index,
                                                                 int64_t part) {
  auto attachment = attachments_.find(log_index);
  auto parts = part_bytes_.find(log_index);
  if (attachment == attachments_.end() || parts == part_bytes_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("log_index: record ", log_index, " is no draw published in parts"));
  }
  const int64_t count =
      scheduler::PartCount(static_cast<int64_t>(attachment->second.size()), parts->second);
  if (part < 0 || part >= count) {
    return absl::InvalidArgumentError(absl::StrCat("part: the bundle has parts 0 to ", count - 1));
  }
  return std::string(scheduler::PartOf(attachment->second, parts->second, part));
}

absl::Status TransparencyLogSource::ForEachLogFile(int64_t from_size,
                                                   const LogFileVisitor& visit) {
  const SignedCheckpoint cp = log_->Checkpoint();
  auto send = [&](const std::string& path, std::string content) {
    v1::LogFile file;
    file.set_path(path);
    file.set_content(std::move(content));
    return visit(file);
  };
  REG_RETURN_IF_ERROR(ForEachTileFile(*log_, static_cast<uint64_t>(from_size), cp.size, send));
  REG_RETURN_IF_ERROR(send("verifier.key", log_->VerifierKey() + "\n"));
  return send("checkpoint", cp.note);
}

absl::StatusOr<std::vector<std::string>> TransparencyLogSource::ConsistencyProof(
    int64_t first, int64_t second) {
  return log_->ConsistencyProof(static_cast<uint64_t>(first), static_cast<uint64_t>(second));
}

}  // namespace regulation::disclosure::site
