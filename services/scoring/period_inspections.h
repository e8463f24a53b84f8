#ifndef SERVICES_SCORING_PERIOD_INSPECTIONS_H_
#define SERVICES_SCORING_PERIOD_INSPECTIONS_H_

// The inspections of a period, each with its enterprise's features as of the instant
// before its own day began (00:00 China time, less a microsecond): what a regulator
// planning that day could have known. The inspection itself, and anything later, is not
// in its features. Rows for backtests (backtest.h).
//
// One pass over each enterprise's events in time order, from a snapshot; memory holds
// the rows and one enterprise's events.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/kv_store.h"

namespace regulation::services {

struct PeriodInspection {
  std::string event_id;
  std::string credit_code;
  // The plan that drew it, when the event names one.
  std::string plan_id;
  // Its day, as days since 1970-01-01 (China).
  int64_t day = 0;
  bool violation = false;
  // The feature catalogue's values as of the instant before `day`.
  std::vector<float> features;
};

// Inspection events whose day is in [first_day, last_day] (days since 1970-01-01,
// China), in (credit code, time, event id) order. DATA_LOSS for corrupt records.
absl::StatusOr<std::vector<PeriodInspection>> CollectPeriodInspections(storage::KvStore* store,
                                                                       int64_t first_day,
                                                                       int64_t last_day);

// Microseconds of 00:00 China time on `day` (days since 1970-01-01).
int64_t DayStartMicros(int64_t day);
// The day (days since 1970-01-01, China) holding `micros`.
int64_t DayOf(int64_t micros);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_PERIOD_INSPECTIONS_H_
