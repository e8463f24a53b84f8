#include "services/scoring/testing/learnable_history.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "services/common/proto_time.h"
#include "services/scoring/model_trainer.h"
#include "testing/status_matchers.h"

namespace regulation::services::testing {

LearnableHistory LearnableWindows(int64_t now_micros, int windows) {
  const absl::CivilDay today = absl::ToCivilDay(absl::FromUnixMicros(now_micros), ChinaTimeZone());
  LearnableHistory out;
  for (int w = windows; w >= 1; --w) {
    out.window_starts.push_back(today - (w + 1) * kLabelWindowDays);
  }
  v1::TrainingConfig* config = out.request.mutable_config();
  for (const absl::CivilDay& day : out.window_starts) *config->add_window_starts() = ToProtoDate(day);
  config->set_label_window_days(kLabelWindowDays);
  config->set_max_rounds(20);
  config->set_early_stopping_rounds(5);
  config->set_max_depth(2);
  config->set_learning_rate(0.3);
  config->set_min_child_weight(1);
  config->set_subsample(1);
  config->set_colsample_bytree(1);
  config->set_seed(7);
  return out;
}

absl::StatusOr<LearnableHistory> AddLearnableHistory(EventHistory* history, int64_t now_micros,
                                                     int enterprises, int windows) {
  if (windows < 2 || enterprises < 2) {
    return absl::InvalidArgumentError("a learnable history needs two windows and two kinds");
  }
  LearnableHistory out = LearnableWindows(now_micros, windows);
  for (int serial = 0; serial < enterprises; ++serial) {
    REG_RETURN_IF_ERROR(history->AddEnterprise(serial));
  }
  for (size_t w = 0; w < out.window_starts.size(); ++w) {
    const int64_t start =
        absl::ToUnixMicros(absl::FromCivil(out.window_starts[w], ChinaTimeZone()));
    for (int serial = 0; serial < enterprises; ++serial) {
      const std::string id = absl::StrCat(serial, "-", w);
      if (IsRisky(serial)) {
        REG_RETURN_IF_ERROR(history->AddPenalty(serial, absl::StrCat("pen-", id), start - 10 * kDay));
      }
      // Spread over the window's first days, so inspections fall on several days.
      REG_RETURN_IF_ERROR(history->AddInspection(serial, absl::StrCat("insp-", id),
                                                 start + (1 + serial % 5) * kDay, IsRisky(serial)));
    }
  }
  return out;
}

access::Caller Admin(absl::string_view subject) {
  access::Caller caller;
  caller.subject = std::string(subject);
  caller.roles = access::RoleSet::All();
  return caller;
}

LearnableHistoryTest::LearnableHistoryTest()
    : history_(kNow),
      clock_(absl::FromUnixMicros(kNow)),
      registry_(ModelRegistry::Open(history_.store(), &clock_).value()) {}

absl::StatusOr<v1::Model> LearnableHistoryTest::TrainLearnableModel(int enterprises, int windows) {
  REG_ASSIGN_OR_RETURN(LearnableHistory h,
                       AddLearnableHistory(&history_, kNow, enterprises, windows));
  REG_ASSIGN_OR_RETURN(v1::TrainModelProgress done,
                       TrainAndRegister(history_.store(), registry_.get(), &clock_, h.request,
                                        [](const v1::TrainModelProgress&) {}));
  return done.model();
}

int LearnableHistoryTest::StoredModels() {
  absl::StatusOr<v1::ListModelsResponse> list = registry_->List(v1::ListModelsRequest());
  EXPECT_OK(list);
  return list.ok() ? list->models_size() : -1;
}

}  // namespace regulation::services::testing
