#include "services/scoring/enterprise_events.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/common/proto_time.h"

namespace regulation::services {

absl::Status ReadEnterpriseEvents(storage::KvStore* store, const storage::Snapshot* snapshot,
                                  absl::string_view code, std::vector<v1::Event>* events,
                                  std::vector<int64_t>* micros) {
  events->clear();
  micros->clear();
  std::unique_ptr<storage::Iterator> it =
      store->NewIterator(storage::ColumnFamily::kEvents, storage::PrefixBounds(code, snapshot));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::Event& event = events->emplace_back();
    if (!event.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("a stored event of ", code, " is corrupt"));
    }
    REG_ASSIGN_OR_RETURN(absl::Time when, FromProtoTimestamp(event.occur_time()));
    micros->push_back(EventTimeMicros(when));
  }
  return it->status();
}

}  // namespace regulation::services
