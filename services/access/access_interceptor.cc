#include "services/access/access_interceptor.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/access/rpc_policy.h"

namespace regulation::access {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

// Decisions of the calls in flight, by call context.
class DecisionRegistry {
 public:
  static DecisionRegistry& Get() {
    static DecisionRegistry* registry = new DecisionRegistry();
    return *registry;
  }

  void Put(const grpc::ServerContextBase* context, absl::StatusOr<Caller> decision) {
    absl::MutexLock lock(&mu_);
    decisions_.insert_or_assign(context, std::move(decision));
  }

  void Erase(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    decisions_.erase(context);
  }

  absl::StatusOr<Caller> Find(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    auto it = decisions_.find(context);
    if (it == decisions_.end()) {
      return absl::PermissionDeniedError("the call was not admitted by access control");
    }
    return it->second;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, absl::StatusOr<Caller>> decisions_
      ABSL_GUARDED_BY(mu_);
};

// Decides whether `caller` may call `method`.
absl::StatusOr<Caller> Decide(absl::string_view method, const IdentityResolver& resolver,
                              const grpc::ServerContextBase& context) {
  const RpcPolicy* policy = FindRpcPolicy(method);
  if (policy == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(method, " is not in the access table"));
  }
  absl::StatusOr<Caller> caller = resolver.Resolve(context);
  if (!caller.ok()) return caller.status();
  for (Role role : kAllRoles) {
    if (caller->roles.Contains(role) && policy->allowed.Contains(role)) return caller;
  }
  return absl::PermissionDeniedError(absl::StrCat(method,
                                                  " may be called by: ", policy->allowed.ToString(),
                                                  "; you are ", caller->roles.ToString()));
}

class AccessInterceptor : public grpc::experimental::Interceptor {
 public:
  AccessInterceptor(grpc::experimental::ServerRpcInfo* info, const IdentityResolver* resolver)
      : info_(info), resolver_(resolver) {}

  ~AccessInterceptor() override {
    if (registered_) DecisionRegistry::Get().Erase(info_->server_context());
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const grpc::ServerContextBase* context = info_->server_context();
      DecisionRegistry::Get().Put(context, Decide(info_->method(), *resolver_, *context));
      registered_ = true;
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* const info_;
  const IdentityResolver* const resolver_;
  bool registered_ = false;
};

}  // namespace

grpc::experimental::Interceptor* AccessInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessInterceptor(info, resolver_);
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAccessInterceptors(const IdentityResolver* resolver) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<AccessInterceptorFactory>(resolver));
  return factories;
}

absl::StatusOr<Caller> AuthorizedCaller(const grpc::ServerContextBase* context) {
  return DecisionRegistry::Get().Find(context);
}

}  // namespace regulation::access
