#include "tools/regctl/service_routing.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace regulation::regctl {

absl::string_view ServiceOfCommand(absl::string_view command) {
  // Every command that calls the server, by the service its RPCs belong to.
  static constexpr std::pair<absl::string_view, absl::string_view> kServiceOf[] = {
      {"enterprise", "portrait"},    {"portrait", "portrait"},       {"import", "portrait"},
      {"train", "scoring"},          {"model", "scoring"},           {"score", "scoring"},
      {"policy", "scoring"},         {"backtest", "scoring"},        {"inspector", "inspection"},
      {"conflict", "inspection"},    {"item", "inspection"},         {"plan", "inspection"},
      {"draw", "inspection"},        {"entropy", "inspection"},      {"assignments", "inspection"},
      {"recusal", "inspection"},     {"my-draws", "inspection"},     {"results", "disclosure"},
      {"withdrawal", "disclosure"},  {"objection", "disclosure"},    {"publish", "disclosure"},
      // Alerts arise where events arrive (and, for ScoreAll's class changes, in scoring:
      // ask scoringd with --server for those).
      {"alerts", "portrait"},
  };
  for (const auto& [name, service] : kServiceOf) {
    if (name == command) return service;
  }
  return "";
}

absl::StatusOr<std::string> ServiceAddressFor(const internal::v1::Topology& topology,
                                              absl::string_view command) {
  const absl::string_view service = ServiceOfCommand(command);
  if (service.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--services: `", command,
        "` is answered by each service for itself (or runs here): give --server=HOST:PORT"));
  }
  const std::string* address = nullptr;
  if (service == "portrait") address = &topology.portrait_address();
  if (service == "scoring") address = &topology.scoring_address();
  if (service == "inspection") address = &topology.inspection_address();
  if (service == "disclosure") address = &topology.disclosure_address();
  if (address == nullptr || address->empty()) {
    return absl::FailedPreconditionError(absl::StrCat("--services: the file names no ", service,
                                                      "_address, which `", command, "` calls"));
  }
  return *address;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> EveryService(
    const internal::v1::Topology& topology) {
  const std::pair<const char*, const std::string*> named[] = {
      {"portrait", &topology.portrait_address()},
      {"scoring", &topology.scoring_address()},
      {"inspection", &topology.inspection_address()},
      {"disclosure", &topology.disclosure_address()}};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [service, address] : named) {
    if (address->empty()) continue;
    bool seen = false;
    for (const auto& listed : out) seen = seen || listed.second == *address;
    if (!seen) out.emplace_back(service, *address);
  }
  if (out.empty()) {
    return absl::FailedPreconditionError(
        "--services: the file names no service address (portrait_address, ...)");
  }
  return out;
}

}  // namespace regulation::regctl
