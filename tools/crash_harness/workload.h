#ifndef TOOLS_CRASH_HARNESS_WORKLOAD_H_
#define TOOLS_CRASH_HARNESS_WORKLOAD_H_

// The work the server is killed in the middle of, chosen step by step from a seeded
// generator: streaming ingestion (IngestEvents, unacknowledged batches sent again after a
// kill), a plan's life (create, commit naming the harness's witness, the witness's signed
// statement after the minimum delay, draw), results (an assigned inspector submits, the
// agency approves, which queues the public record), checkpoints fetched, and the public
// site published with `regctl publish`. Every write carries a request_id and is repeated
// as it was until the server answers; what it answered goes into the Ledger.
//
// Thread safety: Start runs the steps on a thread of its own; Pause, Resume, Activity and
// Stop may be called from any other thread. ledger() may be read only while paused.

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/crash_harness/endpoint.h"
#include "tools/crash_harness/ledger.h"

namespace regulation::crash {

struct WorkloadOptions {
  uint64_t seed = 1;
  std::string regctl;        // for `witness sign` and `publish`
  std::string pki_dir;       // the identities' TLS directories
  std::string witness_key;   // the witness's private key file
  std::string witness_id;    // its registered source id
  std::string work_dir;      // statements are written here
  std::string site_dir;      // where `regctl publish` mirrors the log
  absl::Duration min_entropy_delay = absl::Seconds(1);
  // Enterprises events are sent for; and the region the agency plans in.
  std::vector<std::string> enterprises;
  std::string plan_region = "3301";
  std::vector<std::string> item_ids;
  // Results submitted per drawn plan (at most).
  int results_per_plan = 3;
};

class Workload {
 public:
  // `endpoint` must outlive the workload and know the identities "admin", "agency",
  // "public" and "inspector-<ID>".
  Workload(WorkloadOptions options, Endpoint* endpoint);
  ~Workload();  // stops

  void Start();
  // Returns once the step in flight has finished (its writes answered, however long the
  // server takes to come back) and no other has begun.
  void Pause();
  void Resume();
  // Finishes the step in flight and stops.
  void Stop();

  // What the step in flight is doing, e.g. "IngestEvents: 6 batches, 1500 events".
  std::string Activity() const;
  // Steps finished, and failures (a write the server refused, which no step expects).
  int steps() const;
  std::vector<std::string> TakeFailures();

  Ledger& ledger() { return ledger_; }

 private:
  void Run();
  void Step();
  void SetActivity(std::string activity);
  void Fail(std::string what);

  void IngestStep();
  void PlanStep();
  void CreatePlan();
  void CommitPlan();
  void DrawPlan();
  void ReportResult();
  void PublishSite();
  void FetchCheckpoint();

  std::string NextRequestId(const std::string& what);

  const WorkloadOptions options_;
  Endpoint* const endpoint_;
  std::mt19937_64 random_;
  Ledger ledger_;
  uint64_t next_event_ = 0;
  uint64_t next_request_ = 0;

  // The plan in progress.
  std::string plan_id_;
  v1::PlanState plan_state_ = v1::PLAN_STATE_UNSPECIFIED;
  std::string commitment_digest_;
  absl::Time commit_time_;
  std::vector<v1::Assignment> to_report_;

  mutable absl::Mutex mutex_;
  bool stop_ ABSL_GUARDED_BY(mutex_) = false;
  bool pause_requested_ ABSL_GUARDED_BY(mutex_) = false;
  bool paused_ ABSL_GUARDED_BY(mutex_) = false;
  std::string activity_ ABSL_GUARDED_BY(mutex_) = "starting";
  int steps_ ABSL_GUARDED_BY(mutex_) = 0;
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_WORKLOAD_H_
