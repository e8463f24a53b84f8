#ifndef SCHEDULER_POPULATION_CSV_H_
#define SCHEDULER_POPULATION_CSV_H_

// The population file an auditor verifies a draw with (`regctl verify-draw --population`),
// docs/draw-spec.md §10.1:
//
//   credit_code,class,region_code
//   91330106000654337W,B,330106
//   ...
//
// UTF-8 (ASCII in practice), lines ending in LF or CRLF, the last one optionally
// unterminated. The header is exactly "credit_code,class" or
// "credit_code,class,region_code"; every row then has that many fields: a valid credit
// code, a class letter A-D, and (in the three-column form) an empty field or a six-digit
// region code. No quoting, no blank lines, no repeated credit codes; rows in any order.
// WritePopulationCsv writes the canonical form: three columns, rows by credit code, LF.
//
// Thread safety: stateless functions.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/population.h"

namespace regulation::scheduler {

// A frozen population; INVALID_ARGUMENT "population file line N: ..." otherwise.
absl::StatusOr<FrozenPopulation> ParsePopulationCsv(absl::string_view text);

// As ParsePopulationCsv, reading `path` (NOT_FOUND when it cannot be opened).
absl::StatusOr<FrozenPopulation> ReadPopulationCsvFile(const std::string& path);

// The canonical file. REQUIRES: `population` frozen.
std::string WritePopulationCsv(const FrozenPopulation& population);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_POPULATION_CSV_H_
