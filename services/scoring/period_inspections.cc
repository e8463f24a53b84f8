#include "services/scoring/period_inspections.h"

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/event.pb.h"
#include "scoring/feature_catalogue.h"
#include "scoring/portrait_state.h"
#include "services/common/proto_time.h"
#include "services/portrait/enterprise_records.h"
#include "services/scoring/enterprise_events.h"

namespace regulation::services {


int64_t DayStartMicros(int64_t day) {
  return absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(1970, 1, 1) + day, ChinaTimeZone()));
}

int64_t DayOf(int64_t micros) {
  return absl::ToCivilDay(absl::FromUnixMicros(micros), ChinaTimeZone()) -
         absl::CivilDay(1970, 1, 1);
}

absl::StatusOr<std::vector<PeriodInspection>> CollectPeriodInspections(storage::KvStore* store,
                                                                       int64_t first_day,
                                                                       int64_t last_day) {
  std::vector<PeriodInspection> out;
  const int64_t first_micros = DayStartMicros(first_day);
  const int64_t end_micros = DayStartMicros(last_day + 1);
  std::unique_ptr<storage::Snapshot> snapshot = store->GetSnapshot();
  storage::IteratorOptions all;
  all.snapshot = snapshot.get();
  storage::ProtoCursor<v1::Enterprise> enterprises = EnterpriseRecords(store).Scan(all);
  std::vector<v1::Event> events;
  std::vector<int64_t> micros;
  v1::Enterprise enterprise;
  for (enterprises.SeekToFirst(); enterprises.Valid(); enterprises.Next()) {
    REG_RETURN_IF_ERROR(enterprises.Read(&enterprise));
    const std::string& code = enterprise.credit_code();
    REG_RETURN_IF_ERROR(ReadEnterpriseEvents(store, snapshot.get(), code, &events, &micros));
    bool any_in_period = false;
    for (size_t i = 0; i < events.size() && !any_in_period; ++i) {
      any_in_period =
          events[i].has_inspection_outcome() && micros[i] >= first_micros && micros[i] < end_micros;
    }
    if (!any_in_period) continue;

    // Events come in time order: fold everything before an inspection's day, then take
    // its features as of the instant before that day.
    internal::PortraitState state;
    state.set_credit_code(code);
    size_t folded = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      if (!events[i].has_inspection_outcome() || micros[i] < first_micros ||
          micros[i] >= end_micros) {
        continue;
      }
      const int64_t day = DayOf(micros[i]);
      const int64_t as_of = DayStartMicros(day) - 1;
      while (folded < events.size() && micros[folded] <= as_of) {
        scoring::FoldEvent(events[folded], micros[folded], &state);
        ++folded;
      }
      PeriodInspection& row = out.emplace_back();
      row.event_id = events[i].event_id();
      row.credit_code = code;
      row.plan_id = events[i].inspection_outcome().plan_id();
      row.day = day;
      row.violation = events[i].inspection_outcome().problem_found();
      for (double f : scoring::ComputeFeatures(enterprise, state, as_of)) {
        row.features.push_back(static_cast<float>(f));
      }
    }
  }
  REG_RETURN_IF_ERROR(enterprises.status());
  return out;
}

}  // namespace regulation::services
