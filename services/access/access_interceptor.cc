#include "services/access/access_interceptor.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/log.h"
#include "common/quote.h"
#include "common/sha256.h"
#include "google/protobuf/message.h"
#include "google/protobuf/message_lite.h"
#include "services/access/boundary_status.h"
#include "services/access/enterprise_scope.h"
#include "services/access/parse_errors.h"
#include "services/access/parsing_stream.h"
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
    return absl::PermissionDeniedError(
        absl::StrCat(Bounded(method), " is not in the access table"));
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

// Whose limits a call counts against: the certificate's subject, or for the anonymous
// public (who all share one subject) the network address the call comes from.
std::string LimitIdentity(const Caller& caller, const grpc::ServerContextBase& context) {
  if (!caller.anonymous) return caller.subject;
  const std::string peer = context.peer();  // "ipv4:127.0.0.1:53712", "ipv6:[::1]:53712"
  const size_t port = peer.rfind(':');
  return absl::StrCat("anonymous@", port == std::string::npos ? peer : peer.substr(0, port));
}

bool IsStreaming(grpc::experimental::ServerRpcInfo::Type type) {
  return type != grpc::experimental::ServerRpcInfo::Type::UNARY;
}

class AccessInterceptor : public grpc::experimental::Interceptor {
 public:
  AccessInterceptor(grpc::experimental::ServerRpcInfo* info, const AccessOptions& options)
      : info_(info), options_(options) {
    policy_ = FindRpcPolicy(info->method());
    facts_.method = info->method();
    facts_.max_threads = options.max_threads;
    const RpcPolicy* policy = policy_;
    // Calls to unknown methods are audited too: they may be probes for something that
    // changes state.
    if (options_.audit != nullptr && (policy == nullptr || policy->mutating)) {
      request_hasher_ = std::make_unique<Sha256Hasher>();
    }
  }

  ~AccessInterceptor() override {
    if (registered_) DecisionRegistry::Get().Erase(info_->server_context());
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const grpc::ServerContextBase* context = info_->server_context();
      identity_ = options_.resolver->Resolve(*context);
      absl::StatusOr<Caller> admitted = identity_;
      if (identity_.ok()) {
        if (absl::Status decision = Decide(info_->method(), policy_, *identity_); !decision.ok()) {
          admitted = decision;
        } else if (absl::Status within = WithinLimits(*identity_, *context); !within.ok()) {
          admitted = within;
        } else {
          own_enterprise_only_ = AdmittedOnlyAsEnterprise(*policy_, *identity_);
        }
      }
      DecisionRegistry::Get().Put(context, std::move(admitted), options_.resolver);
      registered_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      ReceivedMessage(methods->GetRecvMessage());
      if (own_enterprise_only_) ScopeToOwnEnterprise(methods->GetRecvMessage());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status sent = methods->GetSendStatus();
      const grpc::Status status = StatusForCaller(sent, facts_);
      if (status.error_code() != sent.error_code() ||
          status.error_message() != sent.error_message()) {
        methods->ModifySendStatus(status);
      }
      stream_slot_.Release();  // the handler has returned
      if (request_hasher_ != nullptr) RecordOutcome(status);
    }
    methods->Proceed();
  }

 private:
  // The per-identity limits, for a call already admitted by the role table.
  absl::Status WithinLimits(const Caller& caller, const grpc::ServerContextBase& context) {
    if (options_.limiter == nullptr || policy_ == nullptr) return absl::OkStatus();
    const std::string identity = LimitIdentity(caller, context);
    if (IsStreaming(info_->type())) {
      absl::StatusOr<CallLimiter::StreamSlot> slot = options_.limiter->AcquireStream(identity);
      if (!slot.ok()) return slot.status();
      stream_slot_ = *std::move(slot);
    }
    if (policy_->mutating) return options_.limiter->AdmitWrite(identity);
    return absl::OkStatus();
  }

  // A request message, or null: for a unary or server-streaming call that means gRPC could
  // not parse it (a client stream also ends with null). Audited requests are hashed as
  // serialized, or as received for a method that parses its own (parsing_stream.h).
  void ReceivedMessage(void* message) {
    const std::string invalid_utf8_field = TakeInvalidUtf8Field();
    if (message == nullptr) {
      if (!IsStreamOfRequests(info_->type())) {
        facts_.request_unparsed = true;
        facts_.invalid_utf8_field = invalid_utf8_field;
      }
      return;
    }
    if (request_hasher_ == nullptr) return;
    if (ReadsRawRequests(info_->method())) {
      request_hasher_->Update(ByteBufferBytes(*static_cast<const grpc::ByteBuffer*>(message)));
    } else {
      // Every other audited method takes protobuf messages (the access table lists only
      // regulation.v1 methods as mutating).
      std::string bytes;
      static_cast<const google::protobuf::MessageLite*>(message)->SerializeToString(&bytes);
      request_hasher_->Update(bytes);
    }
    ++request_count_;
  }

  // An enterprise's call about another enterprise is refused before the handler runs
  // (enterprise_scope.h). Every RPC open to enterprises takes one request message.
  void ScopeToOwnEnterprise(void* message) {
    if (message == nullptr) return;  // unparsed: refused as such
    const absl::Status own = WithinOwnEnterprise(
        *static_cast<const google::protobuf::Message*>(message), identity_->credit_code);
    if (!own.ok()) DecisionRegistry::Get().Put(info_->server_context(), own, options_.resolver);
  }

  static bool IsStreamOfRequests(grpc::experimental::ServerRpcInfo::Type type) {
    return type == grpc::experimental::ServerRpcInfo::Type::CLIENT_STREAMING ||
           type == grpc::experimental::ServerRpcInfo::Type::BIDI_STREAMING;
  }

  void RecordOutcome(const grpc::Status& status) {
    AuditEntry entry;
    entry.time = options_.clock->Now();
    entry.caller = identity_.ok() ? *identity_ : UnidentifiedCaller(identity_.status());
    // A method outside the table is whatever the caller sent: kept short.
    entry.method = policy_ != nullptr ? std::string(info_->method()) : Bounded(info_->method());
    entry.request_digest = request_hasher_->FinishString();
    entry.request_count = request_count_;
    entry.outcome =
        absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
    entry.request_id = services::RequestIdOf(info_->server_context());
    const absl::Status appended = options_.audit->Append(entry);
    if (!appended.ok()) {
      LogError(absl::StrCat("audit record of ", entry.method, " by ", entry.caller.subject,
                            " was not written: ", appended.ToString()));
    }
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const AccessOptions& options_;  // owned by the factory, which outlives every call
  bool registered_ = false;
  const RpcPolicy* policy_ = nullptr;
  // Admitted through the enterprise role alone: the request must be about its own code.
  bool own_enterprise_only_ = false;
  // Who the caller is (whether or not the call is admitted), for the audit record.
  absl::StatusOr<Caller> identity_ = absl::UnauthenticatedError("no identity yet");
  // Held while an admitted streaming call runs.
  CallLimiter::StreamSlot stream_slot_;
  // What the interceptor saw, for the status the caller gets.
  CallFacts facts_;
  // Set only for audited calls.
  std::unique_ptr<Sha256Hasher> request_hasher_;
  int64_t request_count_ = 0;
};

}  // namespace

AccessInterceptorFactory::AccessInterceptorFactory(const AccessOptions& options)
    : options_(options) {
  CaptureProtobufParseErrors();
}

grpc::experimental::Interceptor* AccessInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessInterceptor(info, options_);
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAccessInterceptors(const AccessOptions& options) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<AccessInterceptorFactory>(options));
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
