#include "disclosure/site/testing/log_site_source.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/tiles.h"
#include "storage/memory_store.h"

namespace regulation::disclosure::site::testing {
namespace {

v1::PublicRecordKind KindOf(const std::string& kind) {
  if (kind == "COMMITMENT") return v1::PUBLIC_RECORD_KIND_COMMITMENT;
  if (kind == "DRAW") return v1::PUBLIC_RECORD_KIND_DRAW;
  if (kind == "RESULT") return v1::PUBLIC_RECORD_KIND_RESULT;
  if (kind == "CORRECTION") return v1::PUBLIC_RECORD_KIND_CORRECTION;
  return v1::PUBLIC_RECORD_KIND_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<v1::Checkpoint> LogSiteSource::LatestCheckpoint() {
  const SignedCheckpoint cp = log_->Checkpoint();
  v1::Checkpoint out;
  out.set_origin(cp.origin);
  out.set_tree_size(static_cast<int64_t>(cp.size));
  out.set_root_hash(cp.root_hash);
  out.set_signed_note(cp.note);
  out.set_verifier_key(log_->VerifierKey());
  return out;
}

absl::Status LogSiteSource::ForEachRecord(int64_t from_index, int64_t to_index,
                                          const RecordVisitor& visit) {
  for (int64_t i = from_index; i < to_index; ++i) {
    REG_ASSIGN_OR_RETURN(std::string leaf, log_->Entry(static_cast<uint64_t>(i)));
    v1::PublicRecord record;
    record.set_log_index(i);
    if (absl::StatusOr<v1::PublicEntry> entry = ParsePublicEntry(leaf); entry.ok()) {
      record.set_kind(KindOf(entry->kind()));
      record.set_subject(entry->subject());
      if (entry->has_correction()) record.set_corrects_index(entry->correction().corrects_index());
    }
    record.set_body_json(std::move(leaf));
    auto attachment = attachments_.find(i);
    if (attachment != attachments_.end()) record.set_attachment(attachment->second);
    if (tamper_record) tamper_record(&record);
    ++records_served_;
    REG_RETURN_IF_ERROR(visit(record));
  }
  return absl::OkStatus();
}

absl::Status LogSiteSource::ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) {
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

absl::StatusOr<std::vector<std::string>> LogSiteSource::ConsistencyProof(int64_t first,
                                                                         int64_t second) {
  return log_->ConsistencyProof(static_cast<uint64_t>(first), static_cast<uint64_t>(second));
}

absl::StatusOr<std::unique_ptr<SampleLog>> SampleLog::Create(const SigningKey* key) {
  SigningKey chosen = key != nullptr ? *key : SigningKey::Generate("regulation.example/disclosure").value();
  std::unique_ptr<SampleLog> sample(new SampleLog(std::move(chosen)));
  sample->store_ = storage::NewMemoryStore();
  TransparencyLogOptions options;
  options.sync = false;
  REG_ASSIGN_OR_RETURN(sample->log_, TransparencyLog::Open(sample->store_.get(), sample->key_, options));
  sample->source_ = std::make_unique<LogSiteSource>(sample->log_.get());
  return sample;
}

absl::StatusOr<int64_t> SampleLog::Append(const std::string& leaf, const std::string& attachment) {
  REG_ASSIGN_OR_RETURN(std::vector<uint64_t> indices, log_->Append({leaf}));
  const int64_t index = static_cast<int64_t>(indices[0]);
  if (!attachment.empty()) source_->SetAttachment(index, attachment);
  return index;
}

}  // namespace regulation::disclosure::site::testing
