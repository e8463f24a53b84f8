#ifndef SERVICES_COMMON_REQUEST_ID_H_
#define SERVICES_COMMON_REQUEST_ID_H_

// The request id of a call: what ties its log lines, its audit record and the client's
// own logs together. A client may send one in the `x-request-id` metadata; otherwise
// (or when the one sent is not a valid id) the server makes one. Either way the server
// returns it in the response's initial metadata.
//
// The call interceptor (services/telemetry) settles the id when the call starts and
// registers it here; anything else that knows the call's context (the access
// interceptor writing the audit record) reads it back.
//
// Not to be confused with the `request_id` field of mutating requests, which makes a
// retry idempotent: that one is part of the request's content.
//
// Thread safety: everything here is safe for concurrent use.

#include <grpcpp/server_context.h>

#include <string>

#include "absl/strings/string_view.h"

namespace regulation::services {

inline constexpr char kRequestIdMetadataKey[] = "x-request-id";
inline constexpr size_t kMaxRequestIdLength = 64;

// 1 to kMaxRequestIdLength characters from [A-Za-z0-9._:-]: safe to log and to store
// as sent.
bool IsValidRequestId(absl::string_view id);

// A new id: 32 lowercase hex digits from OpenSSL's random generator.
std::string NewRequestId();

// The id settled for a call in flight; empty when none was registered (no call
// interceptor installed, or the call has ended).
std::string RequestIdOf(const grpc::ServerContextBase* context);

// Registers `id` for the call of `context` until UnregisterRequestId.
void RegisterRequestId(const grpc::ServerContextBase* context, std::string id);
void UnregisterRequestId(const grpc::ServerContextBase* context);

}  // namespace regulation::services

#endif  // SERVICES_COMMON_REQUEST_ID_H_
