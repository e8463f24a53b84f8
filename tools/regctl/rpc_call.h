#ifndef TOOLS_REGCTL_RPC_CALL_H_
#define TOOLS_REGCTL_RPC_CALL_H_

// Calling regulatord's unary RPCs from regctl: one call with CallWithRetry, and the
// List* RPCs (responses of repeated rows plus `next_page_token`) page by page.
//
// Thread safety: stateless; calls are made on the caller's thread.

#include <grpcpp/support/status.h>

#include <cstdio>
#include <string>

#include "tools/regctl/connection.h"

namespace regulation::regctl {

// `(stub.*method)(context, request, response)` with CallWithRetry: only for reads and
// for writes that carry a request_id (or `attempts` = 1).
template <typename Stub, typename Request, typename Response>
grpc::Status CallRpc(const Connection& connection, Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                     const Request& request, Response* response, int attempts = 3) {
  return CallWithRetry(
      connection,
      [&](grpc::ClientContext* context) { return (stub.*method)(context, request, response); },
      attempts);
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

// FetchPages over a unary List RPC, `(stub.*method)(context, request, page)` with
// request's page_token set to each token in turn (starting from the one `request`
// holds), each page fetched with CallRpc.
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
        return CallRpc(connection, stub, method, request, page);
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
