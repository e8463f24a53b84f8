#include "services/portrait/state_replay.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "services/portrait/state_from_events.h"

namespace regulation::services {
namespace {

absl::StatusOr<internal::PortraitState> FromHistory(storage::KvStore* store,
                                                    absl::string_view credit_code,
                                                    ReplayCounts* counts) {
  ++counts->rebuilt_states;
  return StateFromEvents(store, credit_code);
}

// `encoded` marked as including the ingest log up to `sequence`, with `event_count`.
void AppendIngestMark(int64_t sequence, int64_t event_count, std::string* encoded) {
  using google::protobuf::io::CodedOutputStream;
  // Two varint fields: a tag and a value of at most 5 and 10 bytes each. Appended at
  // once (a stream over the string would resize it to its capacity and back).
  uint8_t buffer[2 * (5 + 10)];
  uint8_t* end = CodedOutputStream::WriteTagToArray(
      internal::PortraitState::kIngestSequenceFieldNumber << 3, buffer);  // varint
  end = CodedOutputStream::WriteVarint64ToArray(static_cast<uint64_t>(sequence), end);
  end = CodedOutputStream::WriteTagToArray(
      internal::PortraitState::kIngestEventCountFieldNumber << 3, end);
  end = CodedOutputStream::WriteVarint64ToArray(static_cast<uint64_t>(event_count), end);
  encoded->append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(end - buffer));
}

}  // namespace

absl::StatusOr<internal::PortraitState> ReplayState(
    storage::KvStore* store, absl::string_view credit_code,
    const absl::StatusOr<std::string>& stored, const LoggedEvents& logged, ReplayCounts* counts) {
  if (logged.superseded || absl::IsNotFound(stored.status())) {
    return FromHistory(store, credit_code, counts);
  }
  if (!stored.ok()) return stored.status();
  internal::PortraitState state;
  if (!state.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("portrait state of ", credit_code, " is corrupt"));
  }
  const int64_t included = state.ingest_sequence();
  const bool marked_as_is = state.ingest_event_count() == state.event_count();
  if (included == 0 || !marked_as_is) return FromHistory(store, credit_code, counts);
  ClearIngestMark(&state);

  std::vector<std::string> keys;
  for (const auto& [sequence, key] : logged.events) {
    if (sequence > included) keys.push_back(key);
  }
  if (keys.empty()) return state;
  std::vector<absl::StatusOr<std::string>> events =
      store->MultiGet(storage::ColumnFamily::kEvents, keys);
  for (const absl::StatusOr<std::string>& event : events) {
    if (absl::IsNotFound(event.status())) return FromHistory(store, credit_code, counts);
    if (!event.ok()) return event.status();
  }
  for (const absl::StatusOr<std::string>& event : events) {
    REG_RETURN_IF_ERROR(FoldStoredEvent(credit_code, *event, &state));
  }
  counts->replayed_events += static_cast<int64_t>(keys.size());
  return state;
}

void EncodeStateWithIngestMark(const internal::PortraitState& state, int64_t sequence,
                               std::string* encoded) {
  const size_t size = state.ByteSizeLong();
  encoded->clear();
  encoded->reserve(size + 2 * (5 + 10));
  encoded->resize(size);
  state.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(encoded->data()));
  AppendIngestMark(sequence, state.event_count(), encoded);
}

void ClearIngestMark(internal::PortraitState* state) {
  state->clear_ingest_sequence();
  state->clear_ingest_event_count();
}

}  // namespace regulation::services
