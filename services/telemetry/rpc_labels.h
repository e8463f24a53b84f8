#ifndef SERVICES_TELEMETRY_RPC_LABELS_H_
#define SERVICES_TELEMETRY_RPC_LABELS_H_

// The labels a call's metrics carry, kept to a bounded set: a method is named only when
// the access table knows it (every regulation.v1 RPC, health checking, reflection);
// any other name a client sends is "unknown", so that a hostile client cannot make the
// server grow a series per made-up method.
//
// Thread safety: pure functions over constant tables.

#include <string>

#include "absl/strings/string_view.h"

namespace regulation::telemetry {

// How the call streams, as go-grpc-prometheus names it.
enum class RpcType { kUnary, kClientStream, kServerStream, kBidiStream };

struct RpcLabels {
  // "regulation.v1.PortraitService", or "unknown".
  std::string service;
  // "IngestEvent", or "unknown".
  std::string method;
  // "unary", "client_stream", "server_stream" or "bidi_stream".
  std::string type;
  // Whether the access table lists the method as changing state (audited).
  bool mutating = false;
};

// The labels of the call to `full_method` ("/regulation.v1.PortraitService/IngestEvent").
RpcLabels RpcLabelsFor(absl::string_view full_method, RpcType type);

// The canonical name of a gRPC status code ("OK", "INVALID_ARGUMENT"); "UNKNOWN" for a
// number outside the 17 codes.
std::string StatusCodeName(int code);

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_RPC_LABELS_H_
