#ifndef TOOLS_REGCTL_SERVICE_ROUTING_H_
#define TOOLS_REGCTL_SERVICE_ROUTING_H_

// regctl against the services run apart (`--services=FILE`, docs/deploy.md §4): each
// command goes to the process serving the service it calls, by the addresses of a
// topology file (regulation.internal.v1.Topology, text format: the same file the
// services read with --peers). Commands every process answers for itself (admin,
// health, services) have no one address: they take --server; `audit` asks every process
// in turn (EveryService), since each keeps the trail of the calls it serves. Alerts go to
// portrait, where events raise them.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/internal/v1/topology.pb.h"

namespace regulation::regctl {

// The service `command` calls: "portrait", "scoring", "inspection" or "disclosure";
// empty for a command that runs locally or that every process serves.
absl::string_view ServiceOfCommand(absl::string_view command);

// The address in `topology` of the service `command` calls. FAILED_PRECONDITION when
// the command calls no single service (give --server), or the topology names no
// address for its service (naming the field to add).
absl::StatusOr<std::string> ServiceAddressFor(const internal::v1::Topology& topology,
                                              absl::string_view command);

// The services `topology` names an address for, as (service, address) in the order
// portrait, scoring, inspection, disclosure; a process named twice (two services at one
// address) is listed once, under the first. FAILED_PRECONDITION when it names none.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> EveryService(
    const internal::v1::Topology& topology);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_SERVICE_ROUTING_H_
