#include "services/portrait/state_from_events.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/v1/event.pb.h"
#include "scoring/portrait_state.h"
#include "services/common/proto_time.h"
#include "services/portrait/event_keys.h"

namespace regulation::services {

absl::StatusOr<internal::PortraitState> StateFromEvents(storage::KvStore* store,
                                                        absl::string_view credit_code,
                                                        int64_t through_micros,
                                                        absl::string_view skip_key) {
  internal::PortraitState state;
  state.set_credit_code(std::string(credit_code));
  storage::IteratorOptions range;
  range.lower_bound = std::string(credit_code);
  range.upper_bound = EventKeyAfter(credit_code, through_micros);
  std::unique_ptr<storage::Iterator> it = store->NewIterator(storage::ColumnFamily::kEvents, range);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!skip_key.empty() && it->key() == skip_key) continue;
    REG_RETURN_IF_ERROR(FoldStoredEvent(credit_code, it->value(), &state));
  }
  REG_RETURN_IF_ERROR(it->status());
  return state;
}

absl::Status FoldStoredEvent(absl::string_view credit_code, absl::string_view stored,
                             internal::PortraitState* state) {
  v1::Event event;
  if (!event.ParseFromArray(stored.data(), static_cast<int>(stored.size()))) {
    return absl::DataLossError(absl::StrCat("a stored event of ", credit_code, " is corrupt"));
  }
  absl::StatusOr<absl::Time> when = FromProtoTimestamp(event.occur_time());
  if (!when.ok()) {
    return absl::DataLossError(absl::StrCat("a stored event of ", credit_code,
                                            " has no valid time: ", when.status().message()));
  }
  scoring::FoldEvent(event, EventTimeMicros(*when), state);
  return absl::OkStatus();
}

}  // namespace regulation::services
