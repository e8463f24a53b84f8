// regctl --services: each command goes to the process serving the service it calls.

#include "tools/regctl/service_routing.h"

#include <set>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/regctl/regctl_commands.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

internal::v1::Topology FourServices() {
  internal::v1::Topology topology;
  topology.set_portrait_address("localhost:7101");
  topology.set_scoring_address("localhost:7102");
  topology.set_inspection_address("localhost:7103");
  topology.set_disclosure_address("localhost:7104");
  return topology;
}

TEST(ServiceRoutingTest, EachCommandGoesToTheServiceItCalls) {
  const internal::v1::Topology topology = FourServices();
  const std::pair<const char*, const char*> cases[] = {
      {"import", "localhost:7101"}, {"train", "localhost:7102"},
      {"draw", "localhost:7103"},   {"results", "localhost:7104"}};
  for (const auto& [command, address] : cases) {
    ASSERT_OK_AND_ASSIGN(std::string got, ServiceAddressFor(topology, command));
    EXPECT_EQ(got, address) << command;
  }
}

// A command added to regctl must be placed: with a service, or among those every
// process answers for itself.
TEST(ServiceRoutingTest, EveryServerCommandIsPlaced) {
  const std::set<std::string> per_process = {"audit", "admin", "health", "services"};
  for (const CommandSpec& command : RegctlCommands().commands()) {
    if (command.local) continue;
    if (per_process.count(command.name) > 0) {
      EXPECT_TRUE(ServiceOfCommand(command.name).empty()) << command.name;
    } else {
      EXPECT_FALSE(ServiceOfCommand(command.name).empty())
          << "regctl " << command.name << " calls the server but service_routing.cc does not "
          << "say which service";
    }
  }
}

TEST(ServiceRoutingTest, PerProcessCommandsAndMissingAddressesAreRefusedClearly) {
  EXPECT_THAT(ServiceAddressFor(FourServices(), "audit"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("give --server")));
  internal::v1::Topology only_portrait;
  only_portrait.set_portrait_address("localhost:7101");
  EXPECT_THAT(ServiceAddressFor(only_portrait, "plan"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("inspection_address")));
}

// `audit` asks every process in turn: each service once, in a fixed order, and a process
// serving two services (one address) once.
TEST(ServiceRoutingTest, EveryServiceListsEachProcessOnce) {
  ASSERT_OK_AND_ASSIGN(auto four, EveryService(FourServices()));
  EXPECT_THAT(four, ::testing::ElementsAre(::testing::Pair("portrait", "localhost:7101"),
                                           ::testing::Pair("scoring", "localhost:7102"),
                                           ::testing::Pair("inspection", "localhost:7103"),
                                           ::testing::Pair("disclosure", "localhost:7104")));
  internal::v1::Topology shared = FourServices();
  shared.set_disclosure_address("localhost:7101");
  shared.clear_scoring_address();
  ASSERT_OK_AND_ASSIGN(auto two, EveryService(shared));
  EXPECT_THAT(two, ::testing::ElementsAre(::testing::Pair("portrait", "localhost:7101"),
                                          ::testing::Pair("inspection", "localhost:7103")));
  EXPECT_THAT(EveryService(internal::v1::Topology()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("names no service")));
}

}  // namespace
}  // namespace regulation::regctl
