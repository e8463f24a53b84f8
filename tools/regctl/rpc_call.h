#ifndef TOOLS_REGCTL_RPC_CALL_H_
#define TOOLS_REGCTL_RPC_CALL_H_

// regctl's one way to make a unary call to regulatord: every call gets the same deadline
// (--timeout_seconds) and the same retry rules.
//
// Retry rules: a call is repeated, with a growing pause, only when it failed with
// UNAVAILABLE or DEADLINE_EXCEEDED (the server may not have seen it, or may not have
// answered in time) and repeating it is safe: a read (RpcKind::kRead), or a write whose
// request carries a non-empty `request_id` (the server answers a repeat with the first
// outcome, docs/api.md). A write without one is made exactly once.
//
// Thread safety: stateless; calls are made on the caller's thread. Server-streaming calls
// (assignments watch, import events, admin backup) are not unary and take a context from
// Connection::NewContext() directly.

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <cstdio>
#include <functional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "tools/regctl/connection.h"

namespace regulation::regctl {

// What a call does, which decides whether it may be repeated.
enum class RpcKind {
  // Changes nothing on the server: repeated on UNAVAILABLE or DEADLINE_EXCEEDED.
  kRead,
  // Changes something: repeated only when the request carries a request_id.
  kWrite,
};

// The deadline and retry rules of every unary call.
struct CallPolicy {
  // Deadline of each attempt, from when it starts; absl::InfiniteDuration() for none
  // (backtest, which reads the whole history). Default 60 s (--timeout_seconds).
  absl::Duration deadline = absl::Seconds(60);
  // Attempts of an idempotent call, the first included. Default 3.
  int max_attempts = 3;
  // The pause after the first failed attempt; each later pause doubles. Default 200 ms.
  absl::Duration first_backoff = absl::Milliseconds(200);
  // How to pause; empty means absl::SleepFor. Tests record the pauses instead.
  std::function<void(absl::Duration)> sleep;
};

// The policy for calls over `connection`: its call_timeout as the deadline.
CallPolicy PolicyFor(const Connection& connection);

// True for the codes worth a second attempt: UNAVAILABLE, DEADLINE_EXCEEDED.
bool IsRetryableCode(grpc::StatusCode code);

// True when `request` has a string field `request_id` that is not empty.
bool CarriesRequestId(const google::protobuf::Message& request);

// Runs `call(context)`, each attempt with a fresh context whose deadline is
// policy.deadline from the attempt's start; repeats it per the rules above when
// `idempotent`. Returns the last attempt's status.
grpc::Status RunRpc(const CallPolicy& policy, bool idempotent,
                    absl::FunctionRef<grpc::Status(grpc::ClientContext*)> call);

// `(stub.*method)(context, request, response)` under the connection's policy; idempotent
// when `kind` is kRead or `request` carries a request_id.
template <typename Stub, typename Request, typename Response>
grpc::Status CallRpc(const Connection& connection, Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                     const Request& request, Response* response, RpcKind kind) {
  const bool idempotent = kind == RpcKind::kRead || CarriesRequestId(request);
  return RunRpc(PolicyFor(connection), idempotent, [&](grpc::ClientContext* context) {
    response->Clear();
    return (stub.*method)(context, request, response);
  });
}

// Calls `fetch(token, &page)` from `page_token` on, appending each page's rows to `all`,
// until a page has no next token or, unless `all_pages`, after the first page. `all`'s
// next_page_token is then the last page's (empty at the end). Stops at the first failed
// call and returns its status. `Response` is a List*Response message; `fetch` is
// grpc::Status(const std::string& token, Response* page).
template <typename Response, typename Fetch>
grpc::Status FetchPages(const std::string& page_token, bool all_pages, Fetch&& fetch,
                        Response* all) {
  std::string token = page_token;
  while (true) {
    Response page;
    const grpc::Status status = fetch(token, &page);
    if (!status.ok()) return status;
    std::string next = page.next_page_token();
    all->MergeFrom(page);
    all->set_next_page_token(next);
    if (!all_pages || next.empty()) return grpc::Status::OK;
    token = std::move(next);
  }
}

// FetchPages over a unary List RPC (a read), `(stub.*method)(context, request, page)` with
// request's page_token set to each token in turn (starting from the one `request` holds).
template <typename Stub, typename Request, typename Response>
grpc::Status ListPages(const Connection& connection, Stub& stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
                       Request request, bool all_pages, Response* all) {
  const std::string first = request.page_token();
  return FetchPages(
      first, all_pages,
      [&](const std::string& token, Response* page) {
        request.set_page_token(token);
        return CallRpc(connection, stub, method, request, page, RpcKind::kRead);
      },
      all);
}

// Prints "more: --page_token=T (or --all)" to `out` when `next_page_token` is not empty.
inline void PrintMorePages(const std::string& next_page_token, std::FILE* out) {
  if (next_page_token.empty()) return;
  std::fprintf(out, "more: --page_token=%s (or --all)\n", next_page_token.c_str());
}

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_RPC_CALL_H_
