// The central property of portraits, on a realistic generated population (tools/synth):
// ingest every event in a shuffled arrival order through the real ingestion path over
// RocksDB, then for every enterprise the portrait kept up to date event by event equals
// the portrait recomputed from its stored history, and past portraits count exactly the
// events up to their date.

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_reader.h"
#include "storage/rocksdb_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/synth/history.h"
#include "tools/synth/population.h"

namespace regulation {
namespace {

constexpr int kEnterprises = 3000;

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

TEST(PortraitConsistency, IncrementalEqualsRecomputedForEveryGeneratedEnterprise) {
  synth::SynthConfig config;
  config.enterprises = kEnterprises;
  config.years = 3;
  config.seed = 42;
  config.end_date = absl::CivilDay(2026, 6, 30);
  synth::StreamFactory streams(config.seed);
  std::vector<v1::Enterprise> enterprises;
  std::vector<v1::Event> events;
  for (int64_t i = 0; i < kEnterprises; ++i) {
    const synth::EnterpriseProfile profile = synth::GenerateProfile(config, i, &streams);
    synth::History history = synth::SimulateHistory(config, profile, &streams);
    enterprises.push_back(synth::EnterpriseRecord(profile, history));
    for (v1::Event& e : history.events) events.push_back(std::move(e));
  }
  ASSERT_GT(events.size(), static_cast<size_t>(kEnterprises * 2));

  storage::RocksDbOptions db;
  db.path = testing::NewTempDir() + "/rocksdb";
  std::unique_ptr<storage::KvStore> store = storage::OpenRocksDbStore(db).value();
  // A week after the history ends.
  FakeClock clock(absl::FromCivil(absl::CivilDay(2026, 7, 7), ChinaTimeZone()));
  services::EnterpriseDirectory directory(store.get(), &clock);
  services::EventIngestor ingestor(store.get(), &clock);
  services::PortraitReader reader(store.get(), &directory, &clock, ingestor.portraits());

  for (size_t first = 0; first < enterprises.size(); first += 1000) {
    v1::BatchUpsertEnterprisesRequest batch;
    for (size_t i = first; i < std::min(enterprises.size(), first + 1000); ++i) {
      *batch.add_enterprises() = enterprises[i];
    }
    absl::StatusOr<v1::BatchUpsertEnterprisesResponse> response =
        directory.BatchUpsert(Operator(), batch);
    ASSERT_OK(response);
    ASSERT_EQ(response->errors_size(), 0) << response->errors(0).message();
  }

  // Arrival order is not time order: shuffle, then put list changes (whose validity
  // depends on what came before) back in time order among their own positions.
  std::vector<const v1::Event*> order;
  for (const v1::Event& e : events) order.push_back(&e);
  std::mt19937_64 rng(7);  // test-only: any order is a valid order
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<size_t> list_positions;
  std::vector<const v1::Event*> list_changes;
  for (size_t i = 0; i < order.size(); ++i) {
    const v1::Event& e = *order[i];
    if (e.has_abnormal_operation() || e.has_serious_dishonesty() ||
        e.has_court_dishonest_debtor()) {
      list_positions.push_back(i);
      list_changes.push_back(order[i]);
    }
  }
  std::stable_sort(list_changes.begin(), list_changes.end(),
                   [](const v1::Event* a, const v1::Event* b) {
                     return std::make_pair(a->occur_time().seconds(), a->event_id()) <
                            std::make_pair(b->occur_time().seconds(), b->event_id());
                   });
  for (size_t k = 0; k < list_positions.size(); ++k) order[list_positions[k]] = list_changes[k];

  for (size_t first = 0; first < order.size(); first += 500) {
    const size_t n = std::min<size_t>(500, order.size() - first);
    absl::StatusOr<services::IngestOutcome> outcome =
        ingestor.Ingest(Operator(), absl::MakeConstSpan(order.data() + first, n), false);
    ASSERT_OK(outcome);
    for (const auto& item : outcome->items) ASSERT_OK(item.status);
    ASSERT_EQ(outcome->applied, static_cast<int>(n));
  }

  const int64_t now = absl::ToUnixMicros(clock.Now());
  const int64_t midpoint =
      absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2025, 1, 1), ChinaTimeZone()));
  for (const v1::Enterprise& e : enterprises) {
    const std::string& code = e.credit_code();
    absl::StatusOr<internal::PortraitState> stored = reader.StoredState(code);
    absl::StatusOr<internal::PortraitState> rebuilt = reader.StateFromHistory(code, now);
    ASSERT_OK(stored);
    ASSERT_OK(rebuilt);
    ASSERT_EQ(stored->SerializeAsString(), rebuilt->SerializeAsString()) << code;
    absl::StatusOr<v1::Portrait> current = reader.Current(Operator(), code);
    ASSERT_OK(current);
    absl::StatusOr<v1::Portrait> as_of = reader.AsOf(Operator(), code, current->as_of());
    ASSERT_OK(as_of);
    ASSERT_EQ(current->SerializeAsString(), as_of->SerializeAsString()) << code;

    int64_t before_midpoint = 0;
    for (const v1::Event& event : events) {
      if (event.credit_code() == code && event.occur_time().seconds() * 1000000 <= midpoint) {
        ++before_midpoint;
      }
    }
    ASSERT_EQ(reader.StateFromHistory(code, midpoint)->event_count(), before_midpoint) << code;
  }
}

}  // namespace
}  // namespace regulation
