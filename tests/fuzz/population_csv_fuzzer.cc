// Fuzz target: the population file of `regctl verify-draw --population`
// (scheduler/population_csv.h). Checks: ParsePopulationCsv answers a frozen population
// of valid rows or INVALID_ARGUMENT "population file ..."; the canonical file of a parsed
// population parses back to the same rows and digests, and is stable.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/credit_code.h"
#include "scheduler/population.h"
#include "scheduler/population_csv.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regulation::scheduler;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<FrozenPopulation> population = ParsePopulationCsv(text);
  if (!population.ok()) {
    FUZZ_CHECK(population.status().code() == absl::StatusCode::kInvalidArgument)
        << population.status();
    FUZZ_CHECK(absl::StartsWith(population.status().message(), "population file"))
        << population.status();
    return 0;
  }
  for (size_t i = 0; i < population->size(); ++i) {
    FUZZ_CHECK(regulation::IsValidCreditCode(population->credit_code(i))) << i;
    FUZZ_CHECK(population->risk_class(i) >= 1 && population->risk_class(i) <= 4) << i;
    FUZZ_CHECK(i == 0 || population->credit_code(i - 1) < population->credit_code(i))
        << "rows not sorted and unique at " << i;
  }
  const std::string canonical = WritePopulationCsv(*population);
  const absl::StatusOr<FrozenPopulation> again = ParsePopulationCsv(canonical);
  FUZZ_CHECK(again.ok()) << again.status();
  FUZZ_CHECK(again->size() == population->size());
  for (size_t i = 0; i < again->size(); ++i) {
    FUZZ_CHECK(again->credit_code(i) == population->credit_code(i) &&
               again->risk_class(i) == population->risk_class(i) &&
               again->region_code(i) == population->region_code(i))
        << "row " << i << " reads back differently";
  }
  FUZZ_CHECK(WritePopulationCsv(*again) == canonical) << "the canonical file is not stable";
  const PopulationDigests digests = population->Digests();
  const PopulationDigests digests_again = again->Digests();
  FUZZ_CHECK(digests.overall == digests_again.overall);
  return 0;
}
