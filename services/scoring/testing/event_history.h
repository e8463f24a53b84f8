#ifndef SERVICES_SCORING_TESTING_EVENT_HISTORY_H_
#define SERVICES_SCORING_TESTING_EVENT_HISTORY_H_

// A memory store filled through the real directory and ingestion path, for unit tests of
// the scoring batch libraries (enterprise_events, period_inspections, feature_chunks):
// enterprises in region 330106 by serial, and penalty and inspection events at chosen
// instants (microseconds since 1970).
//
// Thread safety: one test thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/event.pb.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "storage/kv_store.h"
#include "testing/fake_clock.h"

namespace regulation::services::testing {

// A day, and the instant the tests' histories stand at, in microseconds since 1970.
inline constexpr int64_t kDay = int64_t{86400} * 1000000;
inline constexpr int64_t kNow = int64_t{1790000000} * 1000000;

// The position of feature `name` in scoring::FeatureCatalogue() (a test failure, and 0,
// when there is none).
size_t FeatureIndex(absl::string_view name);

class EventHistory {
 public:
  // The clock stands at `now_micros`; events must not be later.
  explicit EventHistory(int64_t now_micros);

  storage::KvStore* store() { return store_.get(); }
  // The portrait states its ingestor keeps (for a PortraitReader over store()).
  LivePortraits* portraits() { return ingestor_.portraits(); }
  // The credit code of enterprise `serial`.
  static std::string Code(int serial);

  absl::Status AddEnterprise(int serial);
  absl::Status AddPenalty(int serial, absl::string_view event_id, int64_t micros);
  absl::Status AddInspection(int serial, absl::string_view event_id, int64_t micros,
                             bool problem_found, absl::string_view plan_id = "");

 private:
  absl::Status Ingest(const v1::Event& event);

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_;
  EnterpriseDirectory directory_;
  EventIngestor ingestor_;
};

}  // namespace regulation::services::testing

#endif  // SERVICES_SCORING_TESTING_EVENT_HISTORY_H_
