#ifndef SERVICES_TELEMETRY_RESULT_CENSUS_H_
#define SERVICES_TELEMETRY_RESULT_CENSUS_H_

// Inspection results not yet published, by state and by how their publication
// deadline stands, for the periodic sampler. Asks ResultDesk::ListOverdue (as an
// auditor, who sees every result), so that deadlines are counted exactly as the agencies
// see them: in working days by the holiday calendar, as of the server clock's today.
//
// Thread safety: as ResultDesk.

#include <cstdint>

#include "absl/status/statusor.h"
#include "services/disclosure/result_desk.h"

namespace regulation::telemetry {

struct ResultCensus {
  // Awaiting the agency's approval.
  int64_t submitted = 0;
  // Sent back to the inspectors for rework.
  int64_t returned = 0;
  // Approved, with the public record still queued for the log.
  int64_t approved = 0;
  // Not published and past the deadline (at least one working day late).
  int64_t past_deadline = 0;
  // Not published, not late, and due within `due_soon_working_days` working days.
  int64_t due_soon = 0;
};

// REQUIRES: 0 <= due_soon_working_days <= 250. Errors as ListOverdue returns them.
absl::StatusOr<ResultCensus> CountResults(services::ResultDesk* results,
                                          int due_soon_working_days);

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_RESULT_CENSUS_H_
