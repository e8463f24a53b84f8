#include "services/telemetry/rpc_labels.h"

#include "absl/status/status.h"
#include "services/access/rpc_policy.h"

namespace regulation::telemetry {
namespace {

absl::string_view TypeName(RpcType type) {
  switch (type) {
    case RpcType::kUnary:
      return "unary";
    case RpcType::kClientStream:
      return "client_stream";
    case RpcType::kServerStream:
      return "server_stream";
    case RpcType::kBidiStream:
      return "bidi_stream";
  }
  return "unary";
}

}  // namespace

RpcLabels RpcLabelsFor(absl::string_view full_method, RpcType type) {
  RpcLabels labels;
  labels.type = std::string(TypeName(type));
  const access::RpcPolicy* policy = access::FindRpcPolicy(full_method);
  // Known methods are "/<service>/<method>" by construction of the table.
  const size_t slash = full_method.rfind('/');
  if (policy == nullptr || slash == 0 || slash == absl::string_view::npos) {
    labels.service = "unknown";
    labels.method = "unknown";
    // Unknown methods are audited as if they changed state (access_interceptor.h).
    labels.mutating = true;
    return labels;
  }
  labels.service = std::string(full_method.substr(1, slash - 1));
  labels.method = std::string(full_method.substr(slash + 1));
  labels.mutating = policy->mutating;
  return labels;
}

std::string StatusCodeName(int code) {
  if (code < 0 || code > 16) return "UNKNOWN";
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace regulation::telemetry
