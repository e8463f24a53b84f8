#ifndef SERVICES_COMMON_NOT_YET_AVAILABLE_H_
#define SERVICES_COMMON_NOT_YET_AVAILABLE_H_

// REG_NOT_YET_AVAILABLE declares a unary RPC handler that admits the call like any
// other (so access control answers first) and then answers UNIMPLEMENTED naming the
// capability that will bring it. Used inside a service class until that capability
// lands; each use disappears when the RPC is implemented.

#include "services/access/serve.h"
#include "services/common/unimplemented.h"

#define REG_NOT_YET_AVAILABLE(Rpc, Request, Response, capability)                         \
  grpc::Status Rpc(grpc::ServerContext* context, const Request*, Response*) override {    \
    return ::regulation::access::Serve(context, [](const ::regulation::access::Caller&) { \
      return ::regulation::services::NotYetAvailable(#Rpc, capability);                   \
    });                                                                                   \
  }

#endif  // SERVICES_COMMON_NOT_YET_AVAILABLE_H_
