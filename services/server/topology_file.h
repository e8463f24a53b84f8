#ifndef SERVICES_SERVER_TOPOLOGY_FILE_H_
#define SERVICES_SERVER_TOPOLOGY_FILE_H_

// The topology file of the services run apart (docs/deploy.md §4): each service's peers
// (--peers) and regctl's per-service addresses (--services), one text-format
// regulation.internal.v1.Topology.
//
// Thread safety: a stateless function.

#include <string>

#include "absl/status/statusor.h"
#include "regulation/internal/v1/topology.pb.h"

namespace regulation::services {

// Parses the file at `path`. INVALID_ARGUMENT naming the file and protobuf's complaint
// (line and column) when it does not parse; NOT_FOUND when there is no such file.
absl::StatusOr<internal::v1::Topology> LoadTopology(const std::string& path);

}  // namespace regulation::services

#endif  // SERVICES_SERVER_TOPOLOGY_FILE_H_
