#ifndef SERVICES_COMMON_GRPC_STATUS_H_
#define SERVICES_COMMON_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status (the codes share numbering).

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"

namespace regulation::services {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

inline absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace regulation::services

#endif  // SERVICES_COMMON_GRPC_STATUS_H_
