#include "services/access/access_interceptor.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/log.h"
#include "common/sha256.h"
#include "google/protobuf/message_lite.h"
#include "services/access/rpc_policy.h"
#include "services/common/request_id.h"

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

  void Put(const grpc::ServerContextBase* context, absl::StatusOr<Caller> decision,
           const IdentityResolver* resolver) {
    absl::MutexLock lock(&mu_);
    decisions_.insert_or_assign(context, Decision{std::move(decision), resolver});
  }

  void Erase(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    decisions_.erase(context);
  }

  struct Decision {
    absl::StatusOr<Caller> caller;
    const IdentityResolver* resolver = nullptr;
  };

  // PERMISSION_DENIED (in `caller`) when no decision exists for `context`.
  Decision Find(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    auto it = decisions_.find(context);
    if (it == decisions_.end()) {
      return {absl::PermissionDeniedError("the call was not admitted by access control"), nullptr};
    }
    return it->second;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, Decision> decisions_ ABSL_GUARDED_BY(mu_);
};

// Whether `caller` may call `method` (whose row is `policy`, null when it has none).
absl::Status Decide(absl::string_view method, const RpcPolicy* policy, const Caller& caller) {
  if (policy == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(method, " is not in the access table"));
  }
  for (Role role : kAllRoles) {
    if (caller.roles.Contains(role) && policy->allowed.Contains(role)) return absl::OkStatus();
  }
  if (caller.anonymous) {
    return absl::UnauthenticatedError(absl::StrCat(
        method, " needs a client certificate of one of the roles: ", policy->allowed.ToString()));
  }
  return absl::PermissionDeniedError(absl::StrCat(method,
                                                  " may be called by: ", policy->allowed.ToString(),
                                                  "; you are ", caller.roles.ToString()));
}

// What an audit record says about a caller that could not be identified.
Caller UnidentifiedCaller(const absl::Status& why) {
  Caller caller;
  caller.subject = absl::StrCat("unauthenticated: ", why.message());
  return caller;
}

class AccessInterceptor : public grpc::experimental::Interceptor {
 public:
  AccessInterceptor(grpc::experimental::ServerRpcInfo* info, const IdentityResolver* resolver,
                    AuditSink* audit, Clock* clock)
      : info_(info), resolver_(resolver), audit_(audit), clock_(clock) {
    policy_ = FindRpcPolicy(info->method());
    const RpcPolicy* policy = policy_;
    // Calls to unknown methods are audited too: they may be probes for something that
    // changes state.
    if (audit_ != nullptr && (policy == nullptr || policy->mutating)) {
      request_hasher_ = std::make_unique<Sha256Hasher>();
    }
  }

  ~AccessInterceptor() override {
    if (registered_) DecisionRegistry::Get().Erase(info_->server_context());
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const grpc::ServerContextBase* context = info_->server_context();
      identity_ = resolver_->Resolve(*context);
      absl::StatusOr<Caller> admitted = identity_;
      if (identity_.ok()) {
        if (absl::Status decision = Decide(info_->method(), policy_, *identity_); !decision.ok()) {
          admitted = decision;
        }
      }
      DecisionRegistry::Get().Put(context, std::move(admitted), resolver_);
      registered_ = true;
    }
    if (request_hasher_ != nullptr &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      HashRequest(methods->GetRecvMessage());
    }
    if (request_hasher_ != nullptr &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      RecordOutcome(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  // Every audited method takes protobuf messages (the access table lists only
  // regulation.v1 methods as mutating).
  void HashRequest(void* message) {
    if (message == nullptr) return;
    std::string bytes;
    static_cast<const google::protobuf::MessageLite*>(message)->SerializeToString(&bytes);
    request_hasher_->Update(bytes);
    ++request_count_;
  }

  void RecordOutcome(const grpc::Status& status) {
    AuditEntry entry;
    entry.time = clock_->Now();
    entry.caller = identity_.ok() ? *identity_ : UnidentifiedCaller(identity_.status());
    entry.method = info_->method();
    entry.request_digest = request_hasher_->FinishString();
    entry.request_count = request_count_;
    entry.outcome =
        absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
    entry.request_id = services::RequestIdOf(info_->server_context());
    const absl::Status appended = audit_->Append(entry);
    if (!appended.ok()) {
      LogError(absl::StrCat("audit record of ", entry.method, " by ", entry.caller.subject,
                            " was not written: ", appended.ToString()));
    }
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const IdentityResolver* const resolver_;
  AuditSink* const audit_;
  Clock* const clock_;
  bool registered_ = false;
  const RpcPolicy* policy_ = nullptr;
  // Who the caller is (whether or not the call is admitted), for the audit record.
  absl::StatusOr<Caller> identity_ = absl::UnauthenticatedError("no identity yet");
  // Set only for audited calls.
  std::unique_ptr<Sha256Hasher> request_hasher_;
  int64_t request_count_ = 0;
};

}  // namespace

grpc::experimental::Interceptor* AccessInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessInterceptor(info, resolver_, audit_, clock_);
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAccessInterceptors(const IdentityResolver* resolver, AuditSink* audit, Clock* clock) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<AccessInterceptorFactory>(resolver, audit, clock));
  return factories;
}

absl::StatusOr<Caller> AuthorizedCaller(const grpc::ServerContextBase* context) {
  return DecisionRegistry::Get().Find(context).caller;
}

absl::Status StillAuthorized(const grpc::ServerContextBase* context) {
  const DecisionRegistry::Decision decision = DecisionRegistry::Get().Find(context);
  if (!decision.caller.ok()) return decision.caller.status();
  if (decision.resolver == nullptr) return absl::OkStatus();
  return decision.resolver->Resolve(*context).status();
}

}  // namespace regulation::access
