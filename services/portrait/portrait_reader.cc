#include "services/portrait/portrait_reader.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "scoring/feature_catalogue.h"
#include "scoring/portrait_state.h"
#include "services/common/pagination.h"
#include "services/common/scan_page.h"
#include "services/portrait/state_replay.h"
#include "services/common/proto_time.h"
#include "services/portrait/event_keys.h"
#include "services/portrait/state_from_events.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

absl::StatusOr<v1::Event> ParseEvent(absl::string_view bytes) {
  v1::Event event;
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored event is corrupt");
  }
  return event;
}

}  // namespace

v1::Portrait MakePortrait(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                          int64_t as_of_micros) {
  v1::Portrait portrait;
  portrait.set_credit_code(enterprise.credit_code());
  *portrait.mutable_as_of() = ToProtoTimestamp(absl::FromUnixMicros(as_of_micros));
  const std::vector<double> values = scoring::ComputeFeatures(enterprise, state, as_of_micros);
  const auto catalogue = scoring::FeatureCatalogue();
  for (size_t i = 0; i < catalogue.size(); ++i) {
    v1::FeatureValue* f = portrait.add_features();
    f->set_name(std::string(catalogue[i].name));
    f->set_value(values[i]);
  }
  portrait.set_schema_digest(scoring::FeatureSchemaDigest());
  portrait.set_event_count(state.event_count());
  portrait.set_version(state.event_count());
  const scoring::OfficialClassAt official = scoring::OfficialClassAsOf(state, as_of_micros);
  if (official.risk_class != 0) {
    portrait.set_official_class(static_cast<v1::RiskClass>(official.risk_class));
    *portrait.mutable_official_class_since() =
        ToProtoTimestamp(absl::FromUnixMicros(official.since_micros));
  }
  portrait.set_dishonest_listed(
      scoring::ListedAt(state, scoring::ListKind::kSeriousDishonesty, as_of_micros));
  return portrait;
}

absl::StatusOr<internal::PortraitState> PortraitReader::StoredState(absl::string_view code) {
  if (portraits_ != nullptr) return portraits_->Get(code);
  internal::PortraitState state;
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPortraits, code);
  if (absl::IsNotFound(bytes.status())) {
    state.set_credit_code(std::string(code));
    return state;
  }
  if (!bytes.ok()) return bytes.status();
  if (!state.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("portrait state of ", code, " is corrupt"));
  }
  ClearIngestMark(&state);
  return state;
}

absl::Status PortraitReader::WriteBackStates() {
  return portraits_ != nullptr ? portraits_->Checkpoint() : absl::OkStatus();
}

absl::StatusOr<internal::PortraitState> PortraitReader::StateFromHistory(absl::string_view code,
                                                                         int64_t micros) {
  return StateFromEvents(store_, code, micros);
}

absl::StatusOr<v1::Portrait> PortraitReader::Current(const access::Caller& caller,
                                                     absl::string_view code) {
  REG_ASSIGN_OR_RETURN(v1::Enterprise enterprise, directory_->Get(caller, code));
  REG_ASSIGN_OR_RETURN(internal::PortraitState state, StoredState(code));
  return MakePortrait(enterprise, state, absl::ToUnixMicros(clock_->Now()));
}

absl::StatusOr<v1::Portrait> PortraitReader::AsOf(const access::Caller& caller,
                                                  absl::string_view code,
                                                  const google::protobuf::Timestamp& as_of) {
  REG_ASSIGN_OR_RETURN(v1::Enterprise enterprise, directory_->Get(caller, code));
  absl::StatusOr<absl::Time> when = FromProtoTimestamp(as_of);
  if (!when.ok()) return ForField("as_of", when.status());
  if (*when > clock_->Now()) return InvalidField("as_of", "is in the future");
  const int64_t micros = absl::ToUnixMicros(*when);
  REG_ASSIGN_OR_RETURN(internal::PortraitState state, StateFromHistory(code, micros));
  return MakePortrait(enterprise, state, micros);
}

absl::StatusOr<v1::ListEventsResponse> PortraitReader::ListEvents(
    const access::Caller& caller, const v1::ListEventsRequest& request) {
  REG_RETURN_IF_ERROR(directory_->Get(caller, request.credit_code()).status());
  const std::string& code = request.credit_code();
  storage::IteratorOptions range;
  range.lower_bound = code;
  range.upper_bound = storage::PrefixSuccessor(code);
  if (request.has_start_time()) {
    absl::StatusOr<absl::Time> start = FromProtoTimestamp(request.start_time());
    if (!start.ok()) return ForField("start_time", start.status());
    range.lower_bound = EventKeyFrom(code, absl::ToUnixMicros(*start));
  }
  if (request.has_end_time()) {
    absl::StatusOr<absl::Time> end = FromProtoTimestamp(request.end_time());
    if (!end.ok()) return ForField("end_time", end.status());
    range.upper_bound = EventKeyFrom(code, absl::ToUnixMicros(*end));
  }
  if (request.has_start_time() && request.has_end_time() &&
      range.lower_bound >= range.upper_bound) {
    return v1::ListEventsResponse();  // an empty interval holds no events (docs/api.md)
  }
  v1::ListEventsResponse response;
  PageRequest page{request.page_size(), request.page_token(),
                   absl::StrCat("events|", range.lower_bound, "|", range.upper_bound)};
  REG_ASSIGN_OR_RETURN(
      *response.mutable_next_page_token(),
      ScanPage(store_, ColumnFamily::kEvents, range, page,
               [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
                 REG_ASSIGN_OR_RETURN(*response.add_events(), ParseEvent(value));
                 return true;
               }));
  return response;
}

}  // namespace regulation::services
