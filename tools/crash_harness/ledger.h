#ifndef TOOLS_CRASH_HARNESS_LEDGER_H_
#define TOOLS_CRASH_HARNESS_LEDGER_H_

// What the server has acknowledged to the harness's clients, so far: the promises the
// checks hold it to after every kill.
//
// Thread safety: none of its own. The workload thread writes it while it runs; the
// checks read it only while the workload is paused (Workload::Pause and Resume order
// the two through the workload's mutex).

#include <grpcpp/support/status.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/inspection.pb.h"

namespace regulation::crash {

// A write the server answered, which can be sent again, request_id and all: a retry after
// any number of kills must get the same answer (docs/api.md §1.1, "Idempotency"), except in
// the fields the API says a replay shows as they stand now.
struct AnsweredWrite {
  std::string what;  // e.g. "CommitPlan P20260101-0003"
  // Fields of the answer a replay may show advanced: CreatePlan, SubmitResult and
  // ApproveResult return the plan or result as it stands now (its state, version, review
  // and publication); CommitPlan's stored answer gains logged and log_index once logged.
  std::vector<std::string> may_advance;
  // The first answer.
  std::shared_ptr<const google::protobuf::Message> answer;
  // Sends the identical request again; OK with the answer, or the status.
  std::function<grpc::Status(std::unique_ptr<google::protobuf::Message>* answer)> resend;
};

struct PlanPromise {
  // The state the last acknowledged write left it in (DRAFT after CreatePlan, ...).
  v1::PlanState acknowledged = v1::PLAN_STATE_UNSPECIFIED;
  // The state the last check saw: a plan never goes back.
  v1::PlanState last_seen = v1::PLAN_STATE_UNSPECIFIED;
};

struct ApprovedResult {
  std::string result_id;
  std::string plan_id;
  std::string credit_code;
};

struct Ledger {
  // Every event id sent (acknowledged or not) and those whose batch was acknowledged
  // without an error for them.
  std::set<std::string> events_sent;
  std::set<std::string> events_acknowledged;
  // The enterprises events are sent for.
  std::vector<std::string> event_subjects;

  std::map<std::string, PlanPromise> plans;  // by plan id
  std::vector<ApprovedResult> approved;
  // Every checkpoint the server handed out (GetCheckpoint, consistency proofs).
  std::vector<v1::Checkpoint> checkpoints;
  std::vector<AnsweredWrite> answered_writes;
};

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_LEDGER_H_
