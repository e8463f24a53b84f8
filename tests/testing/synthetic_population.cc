#include "tests/testing/synthetic_population.h"

#include <algorithm>

#include "common/clock.h"
#include "common/status_macros.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "testing/fake_clock.h"
#include "tools/synth/history.h"
#include "tools/synth/population.h"

namespace regulation::testing {

absl::StatusOr<LoadedPopulation> LoadSyntheticPopulation(storage::KvStore* store,
                                                         int64_t enterprises, int years,
                                                         uint64_t seed, absl::CivilDay end_date) {
  synth::SynthConfig config;
  config.enterprises = enterprises;
  config.years = years;
  config.seed = seed;
  config.end_date = end_date;
  synth::StreamFactory streams(seed);
  LoadedPopulation population;
  std::vector<v1::Event> events;
  for (int64_t i = 0; i < enterprises; ++i) {
    const synth::EnterpriseProfile profile = synth::GenerateProfile(config, i, &streams);
    synth::History history = synth::SimulateHistory(config, profile, &streams);
    population.enterprises.push_back(synth::EnterpriseRecord(profile, history));
    for (const synth::InspectionRecord& r : history.inspections) {
      population.inspection_truth[r.event_id] = r.p_true;
    }
    for (v1::Event& e : history.events) events.push_back(std::move(e));
  }
  std::stable_sort(events.begin(), events.end(), [](const v1::Event& a, const v1::Event& b) {
    return a.occur_time().seconds() < b.occur_time().seconds();
  });
  population.events = static_cast<int64_t>(events.size());

  access::Caller loader;
  loader.roles = access::RoleSet::All();
  loader.subject = "test-loader";
  FakeClock clock(absl::FromCivil(end_date + 1, ChinaTimeZone()));
  services::EnterpriseDirectory directory(store, &clock);
  services::EventIngestor ingestor(store, &clock);
  for (size_t first = 0; first < population.enterprises.size(); first += 1000) {
    v1::BatchUpsertEnterprisesRequest batch;
    for (size_t i = first; i < std::min(population.enterprises.size(), first + 1000); ++i) {
      *batch.add_enterprises() = population.enterprises[i];
    }
    REG_ASSIGN_OR_RETURN(v1::BatchUpsertEnterprisesResponse response,
                         directory.BatchUpsert(loader, batch));
    if (response.errors_size() > 0) return absl::InternalError(response.errors(0).message());
  }
  std::vector<const v1::Event*> batch;
  for (size_t first = 0; first < events.size(); first += 1000) {
    batch.clear();
    for (size_t i = first; i < std::min(events.size(), first + 1000); ++i)
      batch.push_back(&events[i]);
    REG_ASSIGN_OR_RETURN(services::IngestOutcome outcome,
                         ingestor.Ingest(loader, batch, /*single=*/false));
    for (const auto& item : outcome.items) {
      if (!item.status.ok()) return item.status;
    }
  }
  return population;
}

}  // namespace regulation::testing
