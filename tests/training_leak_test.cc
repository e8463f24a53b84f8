// Training never sees the future (issue 15): a TrainModel run whose hyper-parameters are
// chosen by rolling validation gives the same model, byte for byte, whatever happens
// after its latest window start: the held-out window's labels and everything after it
// decide nothing, not the trees, not the number of rounds, not the chosen shape. Only the
// held-out evaluation changes. A change just before that start does change the model, so
// the comparison can fail.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure.pb.h"
#include "services/portrait/event_ingestor.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/model_trainer.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "tests/testing/synthetic_population.h"

namespace regulation {
namespace {

constexpr int kEnterprises = 6000;
const absl::CivilDay kHistoryEnd(2026, 6, 30);

access::Caller Loader() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "leak-test";
  return caller;
}

struct TrainedRun {
  v1::Model model;
  std::string report_json;
};

class TrainingLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::NewMemoryStore();
    absl::StatusOr<testing::LoadedPopulation> population =
        testing::LoadSyntheticPopulation(store_.get(), kEnterprises, 5, /*seed=*/8, kHistoryEnd);
    ASSERT_TRUE(population.ok()) << population.status();
    // Enterprises established before the earliest finding this test adds.
    for (const v1::Enterprise& e : population->enterprises) {
      const absl::CivilDay established(e.establishment_date().year(),
                                       e.establishment_date().month(),
                                       e.establishment_date().day());
      if (established < absl::CivilDay(2026, 1, 1)) codes_.push_back(e.credit_code());
    }
  }

  // Default windows: 12 quarters ending today; the latest (from today - 91 days) is held
  // out. No hyper-parameter given, so they are tuned on the training windows.
  TrainedRun Train() {
    std::unique_ptr<services::ModelRegistry> registry =
        services::ModelRegistry::Open(store_.get(), &clock_).value();
    absl::StatusOr<v1::TrainModelProgress> done = services::TrainAndRegister(
        store_.get(), registry.get(), &clock_, v1::TrainModelRequest(),
        [](const v1::TrainModelProgress&) {});
    EXPECT_TRUE(done.ok()) << done.status();
    if (!done.ok()) return {};
    return {done->model(), done->report_json()};
  }

  // An inspection that found a problem for every `every`-th enterprise, at `at`.
  void AddFindings(absl::Time at, int every, absl::string_view tag) {
    services::EventIngestor ingestor(store_.get(), &clock_);
    std::vector<v1::Event> events;
    for (size_t i = 0; i < codes_.size(); i += every) {
      v1::Event& e = events.emplace_back();
      e.set_event_id(absl::StrCat("leak-", tag, "-", i));
      e.set_credit_code(codes_[i]);
      e.set_source_department("samr");
      e.mutable_occur_time()->set_seconds(absl::ToUnixSeconds(at));
      e.mutable_inspection_outcome()->set_problem_found(true);
      e.mutable_inspection_outcome()->set_result_category(v1::PROBLEM_CORRECTED_ON_ORDER);
    }
    std::vector<const v1::Event*> batch;
    for (const v1::Event& e : events) batch.push_back(&e);
    absl::StatusOr<services::IngestOutcome> outcome =
        ingestor.Ingest(Loader(), batch, /*single=*/false);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    for (const auto& item : outcome->items) ASSERT_TRUE(item.status.ok()) << item.status;
  }

  // The latest window's start: today (2026-07-01, China) - 91 days.
  absl::Time HeldOutStart() const {
    return absl::FromCivil(absl::CivilDay(2026, 7, 1) - 91, ChinaTimeZone());
  }

  std::unique_ptr<storage::KvStore> store_;
  FakeClock clock_{absl::FromCivil(kHistoryEnd + 1, ChinaTimeZone())};
  std::vector<std::string> codes_;
};

TEST_F(TrainingLeakTest, WhatHappensAfterTheLatestWindowStartChangesNothingButTheEvaluation) {
  const TrainedRun before = Train();
  ASSERT_FALSE(before.model.version().empty());
  ASSERT_NE(before.report_json.find("\"tuning\""), std::string::npos)
      << "the run should have tuned its hyper-parameters";

  // Findings one second after the held-out window starts and in its middle: they are
  // held-out labels (and later history), never training data.
  AddFindings(HeldOutStart() + absl::Seconds(1), 3, "future-1");
  AddFindings(HeldOutStart() + absl::Hours(24 * 40), 5, "future-2");
  const TrainedRun after = Train();
  EXPECT_EQ(after.model.model_digest(), before.model.model_digest());
  EXPECT_EQ(after.model.config().max_depth(), before.model.config().max_depth());
  EXPECT_EQ(after.model.config().max_rounds(), before.model.config().max_rounds());
  EXPECT_EQ(after.model.best_iteration(), before.model.best_iteration());
  // The evaluation did see them.
  EXPECT_GT(after.model.metrics().base_rate(), before.model.metrics().base_rate() + 0.1);
  EXPECT_NE(after.model.metrics().auc(), before.model.metrics().auc());

  // The control: the same kind of findings a day before the held-out window starts are
  // labels of the last training window, and the model changes.
  AddFindings(HeldOutStart() - absl::Hours(24), 3, "past");
  const TrainedRun control = Train();
  EXPECT_NE(control.model.model_digest(), before.model.model_digest());
}

}  // namespace
}  // namespace regulation
