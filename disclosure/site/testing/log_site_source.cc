#include "disclosure/site/testing/log_site_source.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/withdrawal.h"
#include "storage/memory_store.h"

namespace regulation::disclosure::site::testing {

absl::Status LogSiteSource::ForEachRecord(int64_t from_index, int64_t to_index,
                                          const RecordVisitor& visit) {
  return source_.ForEachRecord(from_index, to_index, [&](const v1::PublicRecord& record) {
    if (!tamper_record) return visit(record);
    v1::PublicRecord lie = record;
    tamper_record(&lie);
    return visit(lie);
  });
}

absl::StatusOr<std::unique_ptr<SampleLog>> SampleLog::Create(const SigningKey* key) {
  SigningKey chosen = key != nullptr ? *key : SigningKey::Generate("regulation.example/disclosure").value();
  std::unique_ptr<SampleLog> sample(new SampleLog(std::move(chosen)));
  sample->store_ = storage::NewMemoryStore();
  TransparencyLogOptions options;
  options.sync = false;
  REG_ASSIGN_OR_RETURN(sample->log_, TransparencyLog::Open(sample->store_.get(), sample->key_, options));
  sample->writer_ = WriterFor(sample->log_.get());
  REG_ASSIGN_OR_RETURN(sample->queue_, PublicationQueue::Open(sample->store_.get(), sample->writer_.get()));
  sample->source_ = std::make_unique<LogSiteSource>(sample->log_.get(), sample->store_.get(),
                                                    sample->queue_.get());
  return sample;
}

absl::StatusOr<int64_t> SampleLog::WriteAndFlush(const storage::WriteBatch& batch,
                                                 const std::string& record_key) {
  REG_RETURN_IF_ERROR(store_->Write(batch));
  REG_RETURN_IF_ERROR(queue_->Flush().status());
  REG_ASSIGN_OR_RETURN(uint64_t index, queue_->IndexOf(record_key));
  return static_cast<int64_t>(index);
}

absl::StatusOr<int64_t> SampleLog::Append(const std::string& body, const std::string& attachment) {
  REG_ASSIGN_OR_RETURN(v1::PublicEntry entry, ParsePublicEntryJson(body));
  storage::WriteBatch batch;
  REG_RETURN_IF_ERROR(queue_->Stage(entry.key(), entry.subject(), body, &batch));
  REG_ASSIGN_OR_RETURN(int64_t index, WriteAndFlush(batch, entry.key()));
  if (!attachment.empty()) source_->SetAttachment(index, attachment);
  return index;
}

absl::StatusOr<int64_t> SampleLog::AppendSealedForTesting(const std::string& body,
                                                          const std::string& salt) {
  REG_ASSIGN_OR_RETURN(SealedBody sealed, SealBody(body, salt));
  storage::WriteBatch batch;
  StagePublicBody(sealed.entry.key(), sealed.body, sealed.salt, &batch);
  REG_RETURN_IF_ERROR(store_->Write(batch));
  REG_ASSIGN_OR_RETURN(std::vector<uint64_t> indices, log_->Append({sealed.leaf}));
  return static_cast<int64_t>(indices[0]);
}

absl::StatusOr<int64_t> SampleLog::Withdraw(int64_t index, const std::string& legal_basis,
                                            const std::string& date) {
  WithdrawalNotice notice;
  notice.withdrawn_index = static_cast<uint64_t>(index);
  REG_ASSIGN_OR_RETURN(notice.withdrawn_leaf, log_->Entry(notice.withdrawn_index));
  notice.legal_basis = legal_basis;
  notice.withdrawn_date = date;
  notice.publish_time = absl::StrCat(date, "T08:00:00.000000Z");
  storage::WriteBatch batch;
  REG_ASSIGN_OR_RETURN(std::string key, StageWithdrawal(queue_.get(), store_.get(), notice, &batch));
  REG_ASSIGN_OR_RETURN(int64_t withdrawal, WriteAndFlush(batch, WithdrawalRecordKey(index)));
  REG_RETURN_IF_ERROR(EraseOldBodies(store_.get(), key));
  return withdrawal;
}

}  // namespace regulation::disclosure::site::testing
