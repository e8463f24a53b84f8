#ifndef SERVICES_COMMON_CALL_LIVENESS_H_
#define SERVICES_COMMON_CALL_LIVENESS_H_

// Whether a call's result is still wanted: the KeepGoing (common/keep_going.h) a handler
// hands to a long job, so that ScoreAll, TrainModel and CommitPlan stop once their client
// has gone or their deadline has passed, instead of working on for nobody.

#include <grpcpp/server_context.h>

#include <chrono>

#include "absl/status/status.h"
#include "common/keep_going.h"

namespace regulation::services {

// OK while `context`'s call is live; DEADLINE_EXCEEDED once its deadline has passed;
// CANCELLED when the client went away or the call was cancelled. `context` must outlive
// the returned function.
inline KeepGoing WhileCallIsWanted(const grpc::ServerContextBase* context) {
  return [context]() -> absl::Status {
    if (std::chrono::system_clock::now() > context->deadline()) {
      return absl::DeadlineExceededError("the call's deadline passed; nothing more was done");
    }
    if (context->IsCancelled()) {
      return absl::CancelledError("the client went away; nothing more was done");
    }
    return absl::OkStatus();
  };
}

}  // namespace regulation::services

#endif  // SERVICES_COMMON_CALL_LIVENESS_H_
