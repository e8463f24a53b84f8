#include "services/audit/audit_log.h"

#include <limits>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "services/audit/audit_chain.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "storage/key_encoding.h"

namespace regulation::audit {
namespace {

using storage::ColumnFamily;

constexpr uint64_t kMaxSequence = std::numeric_limits<uint64_t>::max();

// An acknowledged record survives a machine crash.
storage::WriteOptions DurableWrite() {
  storage::WriteOptions options;
  options.sync = true;
  return options;
}

// The record stored under `key`, checked against its key.
absl::StatusOr<v1::AuditRecord> ParseStoredRecord(absl::string_view key, absl::string_view value) {
  storage::KeyReader reader(key);
  uint64_t sequence = 0;
  if (!reader.ReadUint64(&sequence) || !reader.done()) {
    return absl::DataLossError(
        absl::StrCat("audit trail holds a malformed key ", absl::BytesToHexString(key)));
  }
  v1::AuditRecord record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("audit record ", sequence, " is unreadable"));
  }
  if (record.sequence() != sequence) {
    return absl::DataLossError(absl::StrCat("audit record stored as ", sequence,
                                            " says it is record ", record.sequence()));
  }
  return record;
}

// Positions `it` at the last key of the trail (>= the key of sequence 0); false when
// the trail is empty. The iterator has no SeekToLast, so this searches the 64-bit key
// space with Seek: "some key >= key(s)" holds for every s up to the last sequence and
// for none after it, and at most 65 seeks find where it stops holding.
absl::StatusOr<bool> SeekToLastRecord(storage::Iterator* it) {
  auto exists_from = [it](uint64_t sequence) -> absl::StatusOr<bool> {
    it->Seek(AuditRecordKey(sequence));
    if (it->Valid()) return true;
    REG_RETURN_IF_ERROR(it->status());
    return false;
  };
  REG_ASSIGN_OR_RETURN(const bool any, exists_from(0));
  if (!any) return false;
  uint64_t low = 0;  // Invariant: some key >= key(low).
  REG_ASSIGN_OR_RETURN(const bool at_max, exists_from(kMaxSequence));
  if (at_max) {
    low = kMaxSequence;
  } else {
    uint64_t high = kMaxSequence;  // Invariant: no key >= key(high).
    while (high - low > 1) {
      const uint64_t middle = low + (high - low) / 2;
      REG_ASSIGN_OR_RETURN(const bool found, exists_from(middle));
      if (found) {
        low = middle;
      } else {
        high = middle;
      }
    }
  }
  // Some key >= key(low) and none >= key(low + 1): the last key is key(low), or a
  // malformed key between the two, which parsing reports.
  return exists_from(low);
}

// A canonical description of the filters, for page tokens. Length prefixes keep
// different filters from running together.
std::string ListFilters(const v1::ListAuditRecordsRequest& request) {
  auto time = [](bool has, const google::protobuf::Timestamp& t) {
    return has ? absl::StrCat(t.seconds(), ".", t.nanos()) : std::string("-");
  };
  return absl::StrCat("audit|subject=", request.caller_subject().size(), ":",
                      request.caller_subject(), "|method=", request.method().size(), ":",
                      request.method(),
                      "|start=", time(request.has_start_time(), request.start_time()),
                      "|end=", time(request.has_end_time(), request.end_time()),
                      "|after=", request.after_sequence());
}

// The full name, or a suffix of it that starts at a name boundary: "UpsertEnterprise"
// and "PortraitService/UpsertEnterprise" match
// "/regulation.v1.PortraitService/UpsertEnterprise"; "Enterprise" does not.
bool MethodMatches(absl::string_view method, absl::string_view filter) {
  if (filter.empty() || method == filter) return true;
  if (filter.size() >= method.size() || !absl::EndsWith(method, filter)) return false;
  const char before = method[method.size() - filter.size() - 1];
  return filter[0] == '/' || filter[0] == '.' || before == '/' || before == '.';
}

bool Before(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

bool MatchesFilters(const v1::AuditRecord& record, const v1::ListAuditRecordsRequest& request) {
  if (!absl::StrContains(record.caller_subject(), request.caller_subject())) return false;
  if (!MethodMatches(record.method(), request.method())) return false;
  if (request.has_start_time() && Before(record.time(), request.start_time())) return false;
  if (request.has_end_time() && !Before(record.time(), request.end_time())) return false;
  return true;
}

// At most `max` bytes of `text`, cut at a UTF-8 character boundary, with a note of how much
// was left out: a record keeps the gist of a message or method name, not whatever size a
// caller's input made it.
std::string Bounded(absl::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  const absl::string_view kept = Utf8Prefix(text, max);
  return absl::StrCat(kept, "… (", text.size() - kept.size(), " more bytes)");
}

constexpr size_t kMaxMethodBytes = 256;
constexpr size_t kMaxStatusMessageBytes = 1024;
constexpr size_t kMaxRequestIdBytes = 64;

}  // namespace

std::string AuditRecordKey(uint64_t sequence) {
  storage::KeyBuilder key;
  key.AppendUint64(sequence);
  return key.Release();
}

AuditLog::AuditLog(storage::KvStore* store, Clock* clock, uint64_t head_sequence,
                   std::string head_hash)
    : store_(store),
      clock_(clock),
      head_sequence_(head_sequence),
      head_hash_(std::move(head_hash)) {}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(storage::KvStore* store, Clock* clock) {
  std::unique_ptr<storage::Iterator> it = store->NewIterator(ColumnFamily::kAudit);
  REG_ASSIGN_OR_RETURN(const bool any, SeekToLastRecord(it.get()));
  if (!any) return absl::WrapUnique(new AuditLog(store, clock, 0, GenesisHash()));
  REG_ASSIGN_OR_RETURN(const v1::AuditRecord last, ParseStoredRecord(it->key(), it->value()));
  if (last.record_hash() != ComputeRecordHash(last)) {
    return absl::DataLossError(absl::StrCat("audit record ", last.sequence(),
                                            " (the last one): hash does not match its content "
                                            "(altered); the trail cannot be extended"));
  }
  return absl::WrapUnique(new AuditLog(store, clock, last.sequence(), last.record_hash()));
}

absl::Status AuditLog::Append(const access::AuditEntry& entry) {
  return AppendWithBatch(entry, storage::WriteBatch(), DurableWrite());
}

absl::Status AuditLog::AppendWithBatch(const access::AuditEntry& entry, storage::WriteBatch batch,
                                       const storage::WriteOptions& options) {
  v1::AuditRecord record;
  const bool time_set = entry.time != absl::UnixEpoch() && entry.time != absl::InfinitePast() &&
                        entry.time != absl::InfiniteFuture();
  *record.mutable_time() = services::ToProtoTimestamp(time_set ? entry.time : clock_->Now());
  record.set_caller_subject(entry.caller.subject);
  for (access::Role role : access::kAllRoles) {
    if (entry.caller.roles.Contains(role)) {
      record.add_caller_roles(std::string(access::RoleName(role)));
    }
  }
  record.set_caller_department(entry.caller.department);
  record.set_caller_region_prefix(entry.caller.region_prefix);
  record.set_caller_inspector_id(entry.caller.inspector_id);
  record.set_method(Bounded(entry.method, kMaxMethodBytes));
  record.set_request_digest(entry.request_digest);
  record.set_request_count(entry.request_count);
  record.set_status_code(static_cast<int32_t>(entry.outcome.code()));
  record.set_status_message(Bounded(entry.outcome.message(), kMaxStatusMessageBytes));
  record.set_events_stored(entry.events_stored);
  record.set_request_id(Bounded(entry.request_id, kMaxRequestIdBytes));

  absl::MutexLock lock(&mu_);
  if (head_sequence_ == kMaxSequence) {
    return absl::ResourceExhaustedError("the audit trail has used every sequence number");
  }
  const uint64_t sequence = head_sequence_ + 1;
  record.set_sequence(sequence);
  record.set_previous_hash(head_hash_);
  std::string hash = ComputeRecordHash(record);
  record.set_record_hash(hash);
  batch.Put(ColumnFamily::kAudit, AuditRecordKey(sequence), record.SerializeAsString());
  REG_RETURN_IF_ERROR(store_->Write(batch, options));
  head_sequence_ = sequence;
  head_hash_ = std::move(hash);
  return absl::OkStatus();
}

absl::StatusOr<v1::ListAuditRecordsResponse> AuditLog::List(
    const v1::ListAuditRecordsRequest& request) {
  if (request.has_start_time()) {
    REG_RETURN_IF_ERROR(
        ForField("start_time", services::FromProtoTimestamp(request.start_time()).status()));
  }
  if (request.has_end_time()) {
    REG_RETURN_IF_ERROR(
        ForField("end_time", services::FromProtoTimestamp(request.end_time()).status()));
  }
  if (request.has_start_time() && request.has_end_time() &&
      !Before(request.start_time(), request.end_time())) {
    return InvalidField("end_time", "must be after start_time");
  }
  REG_ASSIGN_OR_RETURN(const int page_size, services::ResolvePageSize(request.page_size()));
  const std::string filters = ListFilters(request);
  uint64_t after = request.after_sequence();
  if (!request.page_token().empty()) {
    REG_ASSIGN_OR_RETURN(const std::string last_key,
                         services::DecodePageToken(request.page_token(), filters));
    storage::KeyReader reader(last_key);
    uint64_t last = 0;
    if (!reader.ReadUint64(&last) || !reader.done()) {
      return InvalidField("page_token", "is not a token this server issued");
    }
    // A token moves the start forward, never back before after_sequence.
    if (last > after) after = last;
  }

  v1::ListAuditRecordsResponse response;
  std::unique_ptr<storage::Snapshot> snapshot;
  {
    // Appends write and advance the head under mu_: a snapshot taken under it holds
    // exactly the records up to the head.
    absl::MutexLock lock(&mu_);
    snapshot = store_->GetSnapshot();
    response.set_head_sequence(head_sequence_);
    response.set_head_hash(head_hash_);
  }
  if (after == kMaxSequence) return response;

  storage::IteratorOptions options;
  options.snapshot = snapshot.get();
  options.lower_bound = AuditRecordKey(after + 1);
  std::unique_ptr<storage::Iterator> it = store_->NewIterator(ColumnFamily::kAudit, options);
  it->SeekToFirst();
  std::string last_key;
  int scanned = 0;
  size_t bytes = 0;
  for (; it->Valid(); it->Next()) {
    if (response.records_size() == page_size || scanned == kMaxScannedPerPage) break;
    // Under gRPC's default 4 MiB (docs/api.md §1.1): the next page starts here.
    if (response.records_size() > 0 && bytes + it->value().size() > services::kMaxPageBytes) {
      break;
    }
    ++scanned;
    last_key = std::string(it->key());
    REG_ASSIGN_OR_RETURN(v1::AuditRecord record, ParseStoredRecord(it->key(), it->value()));
    if (MatchesFilters(record, request)) {
      bytes += it->value().size();
      *response.add_records() = std::move(record);
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  if (it->Valid()) response.set_next_page_token(services::EncodePageToken(filters, last_key));
  return response;
}

uint64_t AuditLog::head_sequence() const {
  absl::MutexLock lock(&mu_);
  return head_sequence_;
}

std::string AuditLog::head_hash() const {
  absl::MutexLock lock(&mu_);
  return head_hash_;
}

}  // namespace regulation::audit
