#include "tools/regctl/server_command.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {

int RunHealthCommand(const std::vector<std::string>& args,
                     const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.size() > 2) {
    return UsageError({"health"}, "health takes at most one argument, the service");
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  auto stub = grpc::health::v1::Health::NewStub(connection->channel());
  grpc::health::v1::HealthCheckRequest request;
  if (args.size() == 2) request.set_service(args[1]);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = CallRpc(*connection, *stub, &grpc::health::v1::Health::Stub::Check,
                                      request, &response, RpcKind::kRead);
  if (!status.ok()) return ReportFailure(CallStatus(status), connection_options);
  std::fprintf(
      out, "%s\n",
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                             : kExitServerError;
}

int RunServicesCommand(const ConnectionOptions& connection_options, std::FILE* out) {
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(connection->channel());
  std::unique_ptr<grpc::ClientContext> context = connection->NewContext();
  auto stream = stub->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  const bool exchanged = stream->Write(request) && stream->WritesDone() && stream->Read(&response);
  grpc::reflection::v1alpha::ServerReflectionResponse extra;
  while (stream->Read(&extra)) {
  }
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return ReportFailure(CallStatus(status), connection_options);
  if (!exchanged || !response.has_list_services_response()) {
    std::fprintf(stderr, "error: the server did not answer the reflection request\n");
    return kExitServerError;
  }
  for (const auto& service : response.list_services_response().service()) {
    std::fprintf(out, "%s\n", service.name().c_str());
  }
  return kExitOk;
}

}  // namespace regulation::regctl
