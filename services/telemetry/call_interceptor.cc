#include "services/telemetry/call_interceptor.h"

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "common/utf8.h"
#include "services/access/access_interceptor.h"
#include "services/common/request_id.h"

namespace regulation::telemetry {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;
using grpc::experimental::ServerRpcInfo;

// A status message is the server's own words (it names a field and a reason), but it
// is bounded all the same: a line stays a line.
constexpr size_t kMaxLoggedMessageBytes = 512;

RpcType TypeOf(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return RpcType::kUnary;
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return RpcType::kClientStream;
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return RpcType::kServerStream;
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return RpcType::kBidiStream;
  }
  return RpcType::kUnary;
}

// Server faults are errors; refusals of identity or access are warnings (they may be
// probes); the rest (bad input, missing records, wrong state) is the caller's business.
LogLevel LevelOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNIMPLEMENTED:
      return LogLevel::kError;
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
      return LogLevel::kWarning;
    default:
      return LogLevel::kInfo;
  }
}

// "agency", or "admin+auditor" for a caller with several roles.
std::string RolesOf(const access::Caller& caller) {
  std::string roles;
  for (access::Role role : access::kAllRoles) {
    if (!caller.roles.Contains(role)) continue;
    if (!roles.empty()) roles += "+";
    roles += std::string(access::RoleName(role));
  }
  return roles;
}

std::string Bounded(const std::string& text) {
  if (text.size() <= kMaxLoggedMessageBytes) return text;
  return absl::StrCat(Utf8Prefix(text, kMaxLoggedMessageBytes), "...");
}

class CallInterceptor : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(ServerRpcInfo* info, ServerMetrics* metrics, CallLogOptions options)
      : info_(info),
        metrics_(metrics),
        options_(options),
        labels_(RpcLabelsFor(info->method(), TypeOf(info->type()))),
        start_(std::chrono::steady_clock::now()) {
    metrics_->CallStarted(labels_);
  }

  ~CallInterceptor() override {
    if (registered_) services::UnregisterRequestId(info_->server_context());
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      SettleRequestId(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA) &&
        !request_id_.empty()) {
      methods->GetSendInitialMetadata()->emplace(services::kRequestIdMetadataKey, request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void SettleRequestId(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    auto it = metadata.find(services::kRequestIdMetadataKey);
    if (it != metadata.end()) {
      std::string sent(it->second.data(), it->second.size());
      if (services::IsValidRequestId(sent)) request_id_ = std::move(sent);
    }
    if (request_id_.empty()) request_id_ = services::NewRequestId();
    services::RegisterRequestId(info_->server_context(), request_id_);
    registered_ = true;
  }

  void Finish(const grpc::Status& status) {
    const absl::Duration duration =
        absl::FromChrono(std::chrono::steady_clock::now() - start_);
    metrics_->CallHandled(labels_, status.error_code(), duration);
    if (status.ok() && !labels_.mutating && !options_.log_reads) return;

    LogRecord line;
    line.level = LevelOf(status.error_code());
    line.component = "rpc";
    // The method as called when the table knows it; an unknown name is not repeated.
    line.method = labels_.service == "unknown" ? "unknown" : info_->method();
    line.request_id = request_id_;
    // Admitted calls only: a refused caller's identity is in its audit record.
    if (absl::StatusOr<access::Caller> caller =
            access::AuthorizedCaller(info_->server_context());
        caller.ok()) {
      line.caller_role = RolesOf(*caller);
      line.caller_department = caller->department;
    }
    line.status = StatusCodeName(status.error_code());
    line.duration = duration;
    line.message = Bounded(status.error_message());
    Log(line);
  }

  ServerRpcInfo* const info_;
  ServerMetrics* const metrics_;
  const CallLogOptions options_;
  const RpcLabels labels_;
  const std::chrono::steady_clock::time_point start_;
  std::string request_id_;
  bool registered_ = false;
};

}  // namespace

grpc::experimental::Interceptor* CallInterceptorFactory::CreateServerInterceptor(
    ServerRpcInfo* info) {
  return new CallInterceptor(info, metrics_, options_);
}

}  // namespace regulation::telemetry
