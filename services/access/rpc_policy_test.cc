#include "services/access/rpc_policy.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "services/access/caller.h"
#include "tests/testing/api_methods.h"

namespace regulation::access {
namespace {

TEST(RpcPolicy, EveryApiMethodHasARow) {
  const std::vector<std::string> methods = ::regulation::testing::AllApiMethods();
  ASSERT_GT(methods.size(), 40u);  // the services are all there
  for (const std::string& method : methods) {
    EXPECT_NE(FindRpcPolicy(method), nullptr)
        << method << " has no row in the access table (services/access/rpc_policy.cc)";
  }
}

TEST(RpcPolicy, EveryInternalMethodHasARowForTheServicesThatNeedIt) {
  const std::vector<std::string> methods = ::regulation::testing::AllInternalMethods();
  ASSERT_GE(methods.size(), 5u);
  for (const std::string& method : methods) {
    const RpcPolicy* policy = FindRpcPolicy(method);
    ASSERT_NE(policy, nullptr) << method << " has no row in the access table";
    // Only service identities, and only those named.
    EXPECT_TRUE(policy->allowed.Contains(Role::kService)) << method;
    for (Role role : kAllRoles) {
      if (role != Role::kService) {
        EXPECT_FALSE(policy->allowed.Contains(role)) << method;
      }
    }
    EXPECT_FALSE(policy->services.empty()) << method << " names no service";
  }
}

TEST(RpcPolicy, AServiceMakesOnlyTheInternalCallsNamedForIt) {
  const RpcPolicy* features =
      FindRpcPolicy("/regulation.internal.v1.PortraitFeedService/StreamFeatures");
  ASSERT_NE(features, nullptr);
  EXPECT_TRUE(ServiceMayCall(*features, "scoringd"));
  EXPECT_FALSE(ServiceMayCall(*features, "inspectiond"));
  EXPECT_FALSE(ServiceMayCall(*features, "scoring"));
  EXPECT_FALSE(ServiceMayCall(*features, ""));
  // The local operator (insecure loopback) holds every role, as any service.
  EXPECT_TRUE(ServiceMayCall(*features, kAnyService));
  // Public reads are open to any service; nothing else of the API is.
  const RpcPolicy* checkpoint = FindRpcPolicy("/regulation.v1.DisclosureService/GetCheckpoint");
  ASSERT_NE(checkpoint, nullptr);
  EXPECT_TRUE(ServiceMayCall(*checkpoint, "inspectiond"));
  const RpcPolicy* enterprise = FindRpcPolicy("/regulation.v1.PortraitService/GetEnterprise");
  ASSERT_NE(enterprise, nullptr);
  EXPECT_FALSE(ServiceMayCall(*enterprise, "scoringd"));
}

TEST(RpcPolicy, EveryRowNamesAnExistingMethodOnce) {
  std::vector<std::string> methods = ::regulation::testing::AllApiMethods();
  for (std::string& internal : ::regulation::testing::AllInternalMethods()) {
    methods.push_back(std::move(internal));
  }
  const absl::flat_hash_set<std::string> known(methods.begin(), methods.end());
  absl::flat_hash_set<std::string> seen;
  for (const RpcPolicy& policy : AllRpcPolicies()) {
    EXPECT_TRUE(seen.insert(std::string(policy.method)).second)
        << policy.method << " appears twice";
    if (!policy.infrastructure) {
      EXPECT_TRUE(known.contains(policy.method))
          << policy.method << " is in the table but no service defines it";
    }
    EXPECT_FALSE(policy.allowed.empty()) << policy.method << " allows nobody";
  }
}

TEST(RpcPolicy, PublicReachesOnlyDisclosedData) {
  for (const RpcPolicy& policy : AllRpcPolicies()) {
    if (!policy.allowed.Contains(Role::kPublic) || policy.infrastructure) continue;
    EXPECT_FALSE(policy.mutating) << policy.method;
    const bool disclosed =
        absl::StartsWith(policy.method, "/regulation.v1.DisclosureService/Get") ||
        absl::StartsWith(policy.method, "/regulation.v1.DisclosureService/ListPublic") ||
        policy.method == "/regulation.v1.DisclosureService/ExportLogFiles" ||
        policy.method == "/regulation.v1.InspectionService/ListInspectionItems" ||
        // The entropy source registry: public keys and certificates, logged anyway.
        policy.method == "/regulation.v1.InspectionService/ListEntropySources";
    EXPECT_TRUE(disclosed) << policy.method << " is open to the public";
  }
}

// The interceptor scopes an enterprise by its request's credit_code (enterprise_scope.h):
// every RPC it may call must have one request message with that field, and change nothing.
TEST(RpcPolicy, EnterprisesReachOnlyRequestsNamingOneEnterprise) {
  int scoped = 0;
  for (const RpcPolicy& policy : AllRpcPolicies()) {
    if (!policy.allowed.Contains(Role::kEnterprise) || policy.allowed.Contains(Role::kPublic) ||
        policy.infrastructure) {
      continue;
    }
    ++scoped;
    // An enterprise writes only what it files about itself: a recusal request or an
    // objection to a result about it.
    const bool own_filing = policy.method == "/regulation.v1.InspectionService/RequestRecusal" ||
                            policy.method == "/regulation.v1.DisclosureService/FileObjection";
    EXPECT_EQ(policy.mutating, own_filing) << policy.method;
    const std::string name =
        absl::StrReplaceAll(policy.method.substr(1), {{"/", "."}});  // "regulation.v1.S.M"
    const google::protobuf::MethodDescriptor* method =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
    ASSERT_NE(method, nullptr) << name;
    EXPECT_FALSE(method->client_streaming()) << policy.method;
    const google::protobuf::FieldDescriptor* field =
        method->input_type()->FindFieldByName("credit_code");
    ASSERT_NE(field, nullptr) << policy.method << " has no credit_code to scope by";
    EXPECT_EQ(field->type(), google::protobuf::FieldDescriptor::TYPE_STRING) << policy.method;
    EXPECT_FALSE(field->is_repeated()) << policy.method;
  }
  EXPECT_GE(scoped, 6);
}

TEST(RpcPolicy, AuditorsChangeNothing) {
  for (const RpcPolicy& policy : AllRpcPolicies()) {
    if (policy.mutating) {
      EXPECT_FALSE(policy.allowed.Contains(Role::kAuditor)) << policy.method;
    }
  }
}

TEST(RpcPolicy, UnknownMethodHasNoRow) {
  EXPECT_EQ(FindRpcPolicy("/regulation.v1.PortraitService/DropEverything"), nullptr);
}


// disclosured's peers: only disclosured reads plans and assignments from inspection and
// records results' history in portrait; scoringd and inspectiond may not.
TEST(RpcPolicy, OnlyDisclosuredReadsInspectionAndRecordsHistory) {
  for (const char* method :
       {"/regulation.internal.v1.InspectionFeedService/GetPlanFor",
        "/regulation.internal.v1.InspectionFeedService/FindAssignment",
        "/regulation.internal.v1.InspectionFeedService/GetJointPlans",
        "/regulation.internal.v1.EnterpriseHistoryService/GetEnterpriseName",
        "/regulation.internal.v1.EnterpriseHistoryService/RecordResultEvents"}) {
    const RpcPolicy* policy = FindRpcPolicy(method);
    ASSERT_NE(policy, nullptr) << method;
    EXPECT_TRUE(ServiceMayCall(*policy, "disclosured")) << method;
    EXPECT_FALSE(ServiceMayCall(*policy, "scoringd")) << method;
    EXPECT_FALSE(ServiceMayCall(*policy, "inspectiond")) << method;
  }
  // Recording history changes portrait's records: audited.
  EXPECT_TRUE(
      FindRpcPolicy("/regulation.internal.v1.EnterpriseHistoryService/RecordResultEvents")
          ->mutating);
}

}  // namespace
}  // namespace regulation::access
