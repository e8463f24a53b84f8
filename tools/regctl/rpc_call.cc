#include "tools/regctl/rpc_call.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"

namespace regulation::regctl {

CallPolicy PolicyFor(const Connection& connection) {
  CallPolicy policy;
  policy.deadline = connection.options().call_timeout;
  return policy;
}

bool IsRetryableCode(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

bool CarriesRequestId(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return false;
  }
  return !request.GetReflection()->GetString(request, field).empty();
}

grpc::Status RunRpc(const CallPolicy& policy, bool idempotent,
                    absl::FunctionRef<grpc::Status(grpc::ClientContext*)> call) {
  const int attempts = idempotent ? std::max(1, policy.max_attempts) : 1;
  absl::Duration backoff = policy.first_backoff;
  grpc::Status status;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    grpc::ClientContext context;
    if (policy.deadline != absl::InfiniteDuration()) {
      context.set_deadline(absl::ToChronoTime(absl::Now() + policy.deadline));
    }
    status = call(&context);
    if (!IsRetryableCode(status.error_code()) || attempt == attempts) break;
    if (policy.sleep) {
      policy.sleep(backoff);
    } else {
      absl::SleepFor(backoff);
    }
    backoff *= 2;
  }
  return status;
}

}  // namespace regulation::regctl
