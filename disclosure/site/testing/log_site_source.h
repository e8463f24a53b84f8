#ifndef DISCLOSURE_SITE_TESTING_LOG_SITE_SOURCE_H_
#define DISCLOSURE_SITE_TESTING_LOG_SITE_SOURCE_H_

// Test helpers for the site publisher: a SiteSource over a real TransparencyLog in
// memory (what DisclosureService serves, without gRPC), with hooks to make it lie, and
// a SampleLog that owns a log, its store and its key.
//
// Thread safety: not thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/site_source.h"
#include "disclosure/transparency_log.h"
#include "storage/kv_store.h"

namespace regulation::disclosure::site::testing {

class LogSiteSource : public SiteSource {
 public:
  // `log` must outlive the source.
  explicit LogSiteSource(const TransparencyLog* log) : log_(log) {}

  // The attachment served with the DRAW record at `index`.
  void SetAttachment(int64_t index, std::string attachment) { attachments_[index] = std::move(attachment); }

  // Applied to every record before it is served (tests make the source lie with it).
  std::function<void(v1::PublicRecord*)> tamper_record;

  absl::StatusOr<v1::Checkpoint> LatestCheckpoint() override;
  absl::Status ForEachRecord(int64_t from_index, int64_t to_index, const RecordVisitor& visit) override;
  absl::Status ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) override;
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(int64_t first, int64_t second) override;

  int64_t records_served() const { return records_served_; }

 private:
  const TransparencyLog* log_;
  std::map<int64_t, std::string> attachments_;
  int64_t records_served_ = 0;
};

// A log in memory with its source.
class SampleLog {
 public:
  // A new log signed by `key` (a fresh key when null).
  static absl::StatusOr<std::unique_ptr<SampleLog>> Create(const SigningKey* key = nullptr);

  // Appends one leaf (and the attachment to serve with it); returns its index.
  absl::StatusOr<int64_t> Append(const std::string& leaf, const std::string& attachment = "");

  TransparencyLog& log() { return *log_; }
  LogSiteSource& source() { return *source_; }
  const SigningKey& key() const { return key_; }

 private:
  SampleLog(SigningKey key) : key_(std::move(key)) {}

  SigningKey key_;
  std::unique_ptr<storage::KvStore> store_;
  std::unique_ptr<TransparencyLog> log_;
  std::unique_ptr<LogSiteSource> source_;
};

}  // namespace regulation::disclosure::site::testing

#endif  // DISCLOSURE_SITE_TESTING_LOG_SITE_SOURCE_H_
