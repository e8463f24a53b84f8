#ifndef SERVICES_SCORING_TESTING_LEARNABLE_HISTORY_H_
#define SERVICES_SCORING_TESTING_LEARNABLE_HISTORY_H_

// A small history a model can learn, for the unit tests of the training, scoring and
// backtest libraries: monthly windows ending a month before the history's clock, and
// enterprises of two kinds. Risky ones (odd serials) get a penalty ten days before each
// window and an inspection that finds a problem inside it; clean ones (even serials) are
// inspected without a finding. A few boosting rounds separate them perfectly.
//
// Thread safety: one test thread.

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "regulation/v1/scoring_service.pb.h"
#include "services/access/caller.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/testing/event_history.h"
#include "testing/fake_clock.h"

namespace regulation::services::testing {

inline constexpr int kLabelWindowDays = 30;

struct LearnableHistory {
  // The windows' first days (China), oldest first; the last one validates.
  std::vector<absl::CivilDay> window_starts;
  // A request that trains on exactly these windows: small, fast, deterministic trees.
  v1::TrainModelRequest request;
};

// `windows` windows of kLabelWindowDays days, the last ending kLabelWindowDays days
// before `now_micros`, and the request that trains on them; no events.
LearnableHistory LearnableWindows(int64_t now_micros, int windows);

// Adds enterprises 0..enterprises-1 and their events in LearnableWindows(now_micros,
// windows). `now_micros` is the history's clock. INVALID_ARGUMENT for fewer than two
// windows or enterprises; else the statuses of EventHistory.
absl::StatusOr<LearnableHistory> AddLearnableHistory(EventHistory* history, int64_t now_micros,
                                                     int enterprises, int windows);

// Whether enterprise `serial` is one of the risky kind.
inline bool IsRisky(int serial) { return serial % 2 == 1; }

// A caller with every role, named `subject`.
access::Caller Admin(absl::string_view subject = "operator");

// The pieces the scoring libraries take: an EventHistory, a clock and a model registry,
// all at kNow.
class LearnableHistoryTest : public ::testing::Test {
 protected:
  LearnableHistoryTest();

  // Fills the history (AddLearnableHistory) and trains a model on it, READY, not active.
  absl::StatusOr<v1::Model> TrainLearnableModel(int enterprises, int windows);
  // The models the registry holds (-1, and a test failure, when it cannot list them).
  int StoredModels();

  EventHistory history_;
  FakeClock clock_;
  std::unique_ptr<ModelRegistry> registry_;
};

}  // namespace regulation::services::testing

#endif  // SERVICES_SCORING_TESTING_LEARNABLE_HISTORY_H_
