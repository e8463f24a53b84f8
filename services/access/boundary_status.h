#ifndef SERVICES_ACCESS_BOUNDARY_STATUS_H_
#define SERVICES_ACCESS_BOUNDARY_STATUS_H_

// The status a call ends with, made readable for the caller at the server's edge. Three
// kinds of answer come from gRPC itself rather than from a handler, and say little:
//   - a request that cannot be parsed (malformed wire format, a string field with invalid
//     UTF-8, nesting deeper than protobuf's limit of 100) is INTERNAL with an empty
//     message: it becomes INVALID_ARGUMENT naming the problem, and the field when protobuf
//     names it;
//   - a call refused because every server thread is busy is RESOURCE_EXHAUSTED "Server
//     Threadpool Exhausted": it names the limit and its flag;
//   - any message longer than kMaxStatusMessageBytes is cut (gRPC sends the message in a
//     header, and a header over the peer's limit turns the whole answer into a
//     RESOURCE_EXHAUSTED about metadata size).
// The access interceptor applies this at PRE_SEND_STATUS, before the audit trail records
// the outcome, so the caller and the trail see the same status.
//
// Thread safety: stateless functions.

#include <grpcpp/support/status.h>

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation::access {

inline constexpr size_t kMaxStatusMessageBytes = 1024;

// What the interceptor saw of the call.
struct CallFacts {
  // Full method name, "/regulation.v1.PortraitService/GetEnterprise".
  absl::string_view method;
  // A request message arrived and gRPC could not parse it.
  bool request_unparsed = false;
  // Protobuf's name for the string field with invalid UTF-8 (parse_errors.h), if any.
  std::string invalid_utf8_field;
  // The server's thread limit (--max_threads); 0 when unknown.
  int max_threads = 0;
};

// The status to send instead of `status` (often `status` itself).
grpc::Status StatusForCaller(const grpc::Status& status, const CallFacts& facts);

// The message an unparseable request gets (without the code), e.g.
// "request: field regulation.v1.Enterprise.name is not valid UTF-8 ...".
std::string UnparseableRequestMessage(const CallFacts& facts);

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_BOUNDARY_STATUS_H_
