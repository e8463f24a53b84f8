#ifndef SERVICES_DISCLOSURE_HISTORY_CATCH_UP_H_
#define SERVICES_DISCLOSURE_HISTORY_CATCH_UP_H_

// Sends the history events of approved results that portrait could not take when they
// were approved (disclosured with portrait apart: services/seams/enterprise_history.h).
// A thread runs ResultDesk::RecordHistory as soon as it starts (the events a crash or a
// restart left unsent: the desk's "behind" mark is not stored), then wakes every
// `interval` and runs it again while the result desk says its history is behind
// (ResultDesk::HistoryBehind). RecordHistory sends every approved result's event again;
// portrait keeps each once (idempotent by event id).
//
// Thread safety: construct and destroy on one thread; the destructor stops the thread.

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/disclosure/result_desk.h"

namespace regulation::services {

class HistoryCatchUp {
 public:
  // `results` must outlive this. Starts the thread.
  HistoryCatchUp(ResultDesk* results, absl::Duration interval);
  // Stops the thread (waits for an attempt under way).
  ~HistoryCatchUp();

  HistoryCatchUp(const HistoryCatchUp&) = delete;
  HistoryCatchUp& operator=(const HistoryCatchUp&) = delete;

 private:
  void Run();

  ResultDesk* const results_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_HISTORY_CATCH_UP_H_
