#include "services/scoring/testing/event_history.h"

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "services/access/caller.h"
#include "storage/memory_store.h"
#include "tests/testing/enterprises.h"

namespace regulation::services::testing {

size_t FeatureIndex(absl::string_view name) {
  const auto catalogue = scoring::FeatureCatalogue();
  for (size_t i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].name == name) return i;
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}
namespace {

constexpr absl::string_view kRegion = "330106";

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

v1::Event NewEvent(int serial, absl::string_view event_id, int64_t micros) {
  v1::Event e;
  e.set_event_id(std::string(event_id));
  e.set_source_department("samr");
  e.set_credit_code(EventHistory::Code(serial));
  e.mutable_occur_time()->set_seconds(micros / 1000000);
  e.mutable_occur_time()->set_nanos(static_cast<int>(micros % 1000000) * 1000);
  return e;
}

}  // namespace

EventHistory::EventHistory(int64_t now_micros)
    : store_(storage::NewMemoryStore()),
      clock_(absl::FromUnixMicros(now_micros)),
      directory_(store_.get(), &clock_),
      ingestor_(store_.get(), &clock_) {}

std::string EventHistory::Code(int serial) {
  return ::regulation::testing::MakeCreditCode(kRegion, serial);
}

absl::Status EventHistory::AddEnterprise(int serial) {
  v1::BatchUpsertEnterprisesRequest batch;
  *batch.add_enterprises() = ::regulation::testing::MakeEnterprise(kRegion, serial);
  return directory_.BatchUpsert(Operator(), batch).status();
}

absl::Status EventHistory::AddPenalty(int serial, absl::string_view event_id, int64_t micros) {
  v1::Event e = NewEvent(serial, event_id, micros);
  e.mutable_administrative_penalty()->set_amount_yuan(1000);
  e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
  e.mutable_administrative_penalty()->set_legal_basis("《广告法》第五十五条");
  return Ingest(e);
}

absl::Status EventHistory::AddInspection(int serial, absl::string_view event_id, int64_t micros,
                                         bool problem_found, absl::string_view plan_id) {
  v1::Event e = NewEvent(serial, event_id, micros);
  e.mutable_inspection_outcome()->set_problem_found(problem_found);
  e.mutable_inspection_outcome()->set_result_category(problem_found ? 2 : 1);
  e.mutable_inspection_outcome()->set_plan_id(std::string(plan_id));
  return Ingest(e);
}

absl::Status EventHistory::Ingest(const v1::Event& event) {
  const v1::Event* ptr = &event;
  absl::StatusOr<IngestOutcome> outcome =
      ingestor_.Ingest(Operator(), absl::MakeConstSpan(&ptr, 1), /*single=*/true);
  if (!outcome.ok()) return outcome.status();
  if (outcome->items.empty()) return absl::InternalError("no outcome for the event");
  return outcome->items[0].status;
}

}  // namespace regulation::services::testing
