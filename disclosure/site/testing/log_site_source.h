#ifndef DISCLOSURE_SITE_TESTING_LOG_SITE_SOURCE_H_
#define DISCLOSURE_SITE_TESTING_LOG_SITE_SOURCE_H_

// Test helpers for the site publisher: a SiteSource over a real TransparencyLog in
// memory (what DisclosureService serves, without gRPC), with hooks to make it lie, and
// a SampleLog that owns a log, its store, its publication queue and its key, and stages
// records and withdrawals the way the server does.
//
// Thread safety: not thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "disclosure/publication_queue.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/site_source.h"
#include "disclosure/site/transparency_log_source.h"
#include "disclosure/transparency_log.h"
#include "storage/kv_store.h"

namespace regulation::disclosure::site::testing {

class LogSiteSource : public SiteSource {
 public:
  // Everything must outlive the source.
  LogSiteSource(const TransparencyLog* log, storage::KvStore* store, PublicationQueue* published)
      : source_(log, store, published) {}

  // The attachment served with the DRAW record at `index`.
  void SetAttachment(int64_t index, std::string attachment) {
    source_.SetAttachment(index, std::move(attachment));
  }
  void SetAttachmentInParts(int64_t index, std::string attachment, int64_t part_bytes) {
    source_.SetAttachmentInParts(index, std::move(attachment), part_bytes);
  }
  // Applied to every bundle part before it is served.
  std::function<void(int64_t part, std::string*)> tamper_part;

  // Applied to every record before it is served (tests make the source lie with it).
  std::function<void(v1::PublicRecord*)> tamper_record;

  absl::StatusOr<v1::Checkpoint> LatestCheckpoint() override { return source_.LatestCheckpoint(); }
  absl::Status ForEachRecord(int64_t from_index, int64_t to_index, const RecordVisitor& visit) override;
  absl::Status ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) override {
    return source_.ForEachLogFile(from_size, visit);
  }
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t first, int64_t second) override {
    return source_.ConsistencyProof(first, second);
  }
  absl::StatusOr<std::string> AttachmentPart(int64_t log_index, int64_t part) override {
    absl::StatusOr<std::string> data = source_.AttachmentPart(log_index, part);
    if (data.ok() && tamper_part) tamper_part(part, &*data);
    return data;
  }

  int64_t records_served() const { return source_.records_served(); }

 private:
  TransparencyLogSource source_;
};

// A log in memory with its source.
class SampleLog {
 public:
  // A new log signed by `key` (a fresh key when null).
  static absl::StatusOr<std::unique_ptr<SampleLog>> Create(const SigningKey* key = nullptr);

  // Stages one record (its body, sealed with a fresh salt) as the server does, appends
  // it, and serves `attachment` with it; returns its index.
  absl::StatusOr<int64_t> Append(const std::string& body, const std::string& attachment = "");

  // Appends `body` sealed with `salt` (not staged: no index by key), so that a second log
  // can hold exactly the leaves of another.
  absl::StatusOr<int64_t> AppendSealedForTesting(const std::string& body, const std::string& salt);

  // Withdraws the body of the record at `index` as the server does once a withdrawal is
  // approved (disclosure/withdrawal.h); returns the WITHDRAWAL record's index.
  absl::StatusOr<int64_t> Withdraw(int64_t index, const std::string& legal_basis,
                                   const std::string& date);

  TransparencyLog& log() { return *log_; }
  storage::KvStore& store() { return *store_; }
  LogSiteSource& source() { return *source_; }
  const SigningKey& key() const { return key_; }

 private:
  SampleLog(SigningKey key) : key_(std::move(key)) {}

  // Writes `batch`, flushes the queue; the index of `record_key`.
  absl::StatusOr<int64_t> WriteAndFlush(const storage::WriteBatch& batch,
                                        const std::string& record_key);

  SigningKey key_;
  std::unique_ptr<storage::KvStore> store_;
  std::unique_ptr<TransparencyLog> log_;
  std::unique_ptr<LogWriter> writer_;
  std::unique_ptr<PublicationQueue> queue_;
  std::unique_ptr<LogSiteSource> source_;
};

}  // namespace regulation::disclosure::site::testing

#endif  // DISCLOSURE_SITE_TESTING_LOG_SITE_SOURCE_H_
