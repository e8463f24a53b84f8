#include "services/disclosure/history_catch_up.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace regulation::services {

HistoryCatchUp::HistoryCatchUp(ResultDesk* results, absl::Duration interval)
    : results_(results), interval_(interval), thread_([this] { Run(); }) {}

HistoryCatchUp::~HistoryCatchUp() {
  stop_.Notify();
  thread_.join();
}

void HistoryCatchUp::Run() {
  // Once at start (events a crash or restart left unsent), then while behind.
  bool first = true;
  for (; first || !stop_.WaitForNotificationWithTimeout(interval_); first = false) {
    if (!first && !results_->HistoryBehind()) continue;
    absl::StatusOr<int64_t> recorded = results_->RecordHistory();
    if (recorded.ok()) {
      LogInfo(absl::StrCat("approved results' history caught up: ", *recorded,
                           " events recorded"));
    } else {
      LogWarning(absl::StrCat("approved results' history still waits: ",
                              recorded.status().ToString()));
    }
  }
}

}  // namespace regulation::services
