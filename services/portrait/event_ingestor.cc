#include "services/portrait/event_ingestor.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/portrait_state.h"
#include "services/access/jurisdiction.h"
#include "services/common/proto_time.h"
#include "services/portrait/event_keys.h"
#include "services/portrait/event_validation.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// SHA-256 of the event as submitted: deterministic bytes without ingest_time.
std::string ContentDigest(const v1::Event& event) {
  v1::Event copy = event;
  copy.clear_ingest_time();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  return Sha256(bytes);
}

// What ingestion needs to know about one enterprise of the batch.
struct Subject {
  absl::Status found;  // NOT_FOUND / PERMISSION_DENIED, or OK
  int64_t established_micros = 0;
  internal::PortraitState state;
  bool dirty = false;
};

}  // namespace

absl::StatusOr<IngestOutcome> EventIngestor::Ingest(const access::Caller& caller,
                                                    absl::Span<const v1::Event* const> events,
                                                    bool single) {
  const absl::Time now = clock_->Now();
  IngestOutcome outcome;
  outcome.items.resize(events.size());
  auto prefix = [&](size_t i) {
    return single ? std::string("event") : absl::StrCat("events[", i, "]");
  };
  auto reject = [&](size_t i, absl::Status status) {
    outcome.items[i].kind = IngestOutcome::Kind::kRejected;
    outcome.items[i].status = std::move(status);
  };

  // 1. Checks that need nothing stored.
  std::vector<int64_t> micros(events.size(), 0);
  std::vector<std::string> digests(events.size());
  std::vector<bool> pending(events.size(), false);
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<int64_t> when = ValidateEvent(*events[i], prefix(i), now);
    if (!when.ok()) {
      reject(i, when.status());
      continue;
    }
    micros[i] = *when;
    digests[i] = ContentDigest(*events[i]);
    pending[i] = true;
  }

  absl::MutexLock lock(&mu_);
  // 2. Event ids seen before, stored or earlier in this batch.
  std::vector<std::string> id_keys;
  std::vector<size_t> id_index;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!pending[i]) continue;
    id_keys.push_back(events[i]->event_id());
    id_index.push_back(i);
  }
  std::vector<absl::StatusOr<std::string>> stored_ids =
      store_->MultiGet(ColumnFamily::kEventIds, id_keys);
  absl::flat_hash_map<std::string, size_t> first_in_batch;
  for (size_t k = 0; k < id_index.size(); ++k) {
    const size_t i = id_index[k];
    const std::string& id = events[i]->event_id();
    std::string earlier_digest;
    bool seen = false;
    if (stored_ids[k].ok()) {
      internal::EventIdRecord record;
      if (!record.ParseFromString(*stored_ids[k])) {
        return absl::DataLossError(absl::StrCat("event id record ", id, " is corrupt"));
      }
      earlier_digest = record.content_digest();
      seen = true;
    } else if (!absl::IsNotFound(stored_ids[k].status())) {
      return stored_ids[k].status();
    } else if (auto it = first_in_batch.find(id); it != first_in_batch.end()) {
      earlier_digest = digests[it->second];
      seen = true;
    }
    if (!seen) {
      first_in_batch.emplace(id, i);
      continue;
    }
    pending[i] = false;
    if (earlier_digest == digests[i]) {
      outcome.items[i].kind = IngestOutcome::Kind::kDuplicate;
      ++outcome.duplicates;
    } else {
      reject(i, absl::AlreadyExistsError(absl::StrCat(
                    prefix(i), ".event_id: \"", id, "\" was already used for a different event")));
    }
  }

  // 3. The enterprises: they exist, are in the caller's jurisdiction, and their states.
  absl::flat_hash_map<std::string, Subject> subjects;
  std::vector<std::string> codes;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!pending[i] && outcome.items[i].kind != IngestOutcome::Kind::kDuplicate) continue;
    if (subjects.try_emplace(events[i]->credit_code()).second) {
      codes.push_back(events[i]->credit_code());
    }
  }
  std::vector<absl::StatusOr<std::string>> records =
      store_->MultiGet(ColumnFamily::kEnterprises, codes);
  std::vector<absl::StatusOr<std::string>> states =
      store_->MultiGet(ColumnFamily::kPortraits, codes);
  for (size_t c = 0; c < codes.size(); ++c) {
    Subject& subject = subjects[codes[c]];
    if (absl::IsNotFound(records[c].status())) {
      subject.found = absl::NotFoundError(
          absl::StrCat("credit_code: no enterprise ", codes[c], " in the directory"));
      continue;
    }
    if (!records[c].ok()) return records[c].status();
    v1::Enterprise enterprise;
    if (!enterprise.ParseFromString(*records[c])) {
      return absl::DataLossError(absl::StrCat("stored enterprise ", codes[c], " is corrupt"));
    }
    if (!access::InJurisdiction(caller, enterprise.region_code())) {
      subject.found = access::OutsideJurisdiction("credit_code");
      continue;
    }
    const v1::Date& d = enterprise.establishment_date();
    subject.established_micros = absl::ToUnixMicros(
        absl::FromCivil(absl::CivilDay(d.year(), d.month(), d.day()), ChinaTimeZone()));
    if (states[c].ok()) {
      if (!subject.state.ParseFromString(*states[c])) {
        return absl::DataLossError(absl::StrCat("portrait state of ", codes[c], " is corrupt"));
      }
    } else if (!absl::IsNotFound(states[c].status())) {
      return states[c].status();
    } else {
      subject.state.set_credit_code(codes[c]);
    }
  }

  // 4. Apply in order.
  storage::WriteBatch batch;
  const google::protobuf::Timestamp ingest_time = ToProtoTimestamp(now);
  for (size_t i = 0; i < events.size(); ++i) {
    const bool duplicate = outcome.items[i].kind == IngestOutcome::Kind::kDuplicate;
    if (!pending[i] && !duplicate) continue;
    const v1::Event& event = *events[i];
    Subject& subject = subjects[event.credit_code()];
    if (!subject.found.ok()) {
      if (duplicate) {
        --outcome.duplicates;  // a replay is still refused outside the jurisdiction
      }
      reject(i, absl::Status(subject.found.code(),
                             absl::StrCat(prefix(i), ".", subject.found.message())));
      continue;
    }
    if (duplicate) {
      outcome.items[i].portrait_version = subject.state.event_count();
      continue;
    }
    if (micros[i] < subject.established_micros - scoring::kMicrosPerDay) {
      reject(i, InvalidField(absl::StrCat(prefix(i), ".occur_time"),
                             "is before the enterprise's establishment date"));
      continue;
    }
    absl::Status list_change = scoring::CheckListChange(event, micros[i], subject.state);
    if (!list_change.ok()) {
      reject(i, absl::InvalidArgumentError(absl::StrCat(prefix(i), ".", list_change.message())));
      continue;
    }
    scoring::FoldEvent(event, micros[i], &subject.state);
    subject.dirty = true;
    const std::string key = EventKey(event.credit_code(), micros[i], event.event_id());
    v1::Event stored = event;
    *stored.mutable_ingest_time() = ingest_time;
    batch.Put(ColumnFamily::kEvents, key, stored.SerializeAsString());
    internal::EventIdRecord id_record;
    id_record.set_event_key(key);
    id_record.set_content_digest(digests[i]);
    batch.Put(ColumnFamily::kEventIds, event.event_id(), id_record.SerializeAsString());
    outcome.items[i].kind = IngestOutcome::Kind::kApplied;
    outcome.items[i].portrait_version = subject.state.event_count();
    ++outcome.applied;
  }
  for (auto& [code, subject] : subjects) {
    if (subject.dirty) batch.Put(ColumnFamily::kPortraits, code, subject.state.SerializeAsString());
  }
  if (!batch.empty()) {
    storage::WriteOptions durable;
    durable.sync = true;
    REG_RETURN_IF_ERROR(store_->Write(batch, durable));
  }
  return outcome;
}

}  // namespace regulation::services
