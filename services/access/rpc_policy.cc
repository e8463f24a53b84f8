#include "services/access/rpc_policy.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"
#include "services/access/caller.h"

namespace regulation::access {
namespace {

constexpr RoleSet kReaders = {Role::kAgency, Role::kAuditor, Role::kAdmin};
// Reads an enterprise may make about itself: the access interceptor admits it only when
// the request's credit_code is its own (enterprise_scope.h).
constexpr RoleSet kReadersAndOwnEnterprise = {Role::kAgency, Role::kAuditor, Role::kAdmin,
                                              Role::kEnterprise};
constexpr RoleSet kAgency = {Role::kAgency};
constexpr RoleSet kAgencyOrAdmin = {Role::kAgency, Role::kAdmin};
constexpr RoleSet kAdmin = {Role::kAdmin};
constexpr RoleSet kInspector = {Role::kInspector};
constexpr RoleSet kEveryone = RoleSet::All();
constexpr RoleSet kService = {Role::kService};

constexpr bool kWrite = true;
constexpr bool kRead = false;

#define PORTRAIT "/regulation.v1.PortraitService/"
#define SCORING "/regulation.v1.ScoringService/"
#define INSPECTION "/regulation.v1.InspectionService/"
#define DISCLOSURE "/regulation.v1.DisclosureService/"

// The table. Keep it in the order of the .proto files so that a reviewer can read the
// two side by side.
constexpr RpcPolicy kPolicies[] = {
    // PortraitService
    {PORTRAIT "UpsertEnterprise", kAgencyOrAdmin, kWrite},
    {PORTRAIT "BatchUpsertEnterprises", kAgencyOrAdmin, kWrite},
    {PORTRAIT "GetEnterprise", kReadersAndOwnEnterprise, kRead},
    {PORTRAIT "ListEnterprises", kReaders, kRead},
    {PORTRAIT "IngestEvent", kAgencyOrAdmin, kWrite},
    {PORTRAIT "IngestEvents", kAgencyOrAdmin, kWrite},
    {PORTRAIT "ListEvents", kReadersAndOwnEnterprise, kRead},
    {PORTRAIT "GetPortrait", kReadersAndOwnEnterprise, kRead},
    {PORTRAIT "GetPortraitAsOf", kReadersAndOwnEnterprise, kRead},
    // ScoringService
    {SCORING "TrainModel", kAdmin, kWrite},
    {SCORING "GetModel", kReaders, kRead},
    {SCORING "ListModels", kReaders, kRead},
    {SCORING "ActivateModel", kAdmin, kWrite},
    {SCORING "Score", kReadersAndOwnEnterprise, kRead},
    {SCORING "GetScore", kReadersAndOwnEnterprise, kRead},
    {SCORING "ScoreAll", kAdmin, kWrite},
    {SCORING "GetClassDistribution", kReaders, kRead},
    {SCORING "ScoreAsOf", kReaders, kRead},
    // A backtest reads every enterprise's history: not for one region's agency.
    {SCORING "Backtest", {Role::kAuditor, Role::kAdmin}, kRead},
    {SCORING "GetRiskClassPolicy", kReaders, kRead},
    {SCORING "UpdateRiskClassPolicy", kAdmin, kWrite},
    // InspectionService
    {INSPECTION "UpsertInspector", kAdmin, kWrite},
    {INSPECTION "GetInspector", kReaders, kRead},
    {INSPECTION "ListInspectors", kReaders, kRead},
    {INSPECTION "DeclareConflict", {Role::kInspector, Role::kAdmin}, kWrite},
    {INSPECTION "ListConflicts",
     {Role::kAgency, Role::kAuditor, Role::kAdmin, Role::kInspector},
     kRead},
    {INSPECTION "UpsertInspectionItem", kAgencyOrAdmin, kWrite},
    {INSPECTION "ListInspectionItems", kEveryone, kRead},
    // Entropy sources: an admin registers and retires them; the registry is public, so
    // that anyone can check statements against the registered keys.
    {INSPECTION "RegisterEntropySource", kAdmin, kWrite},
    {INSPECTION "RetireEntropySource", kAdmin, kWrite},
    {INSPECTION "ListEntropySources", kEveryone, kRead},
    {INSPECTION "CreatePlan", kAgency, kWrite},
    {INSPECTION "UpdatePlan", kAgency, kWrite},
    {INSPECTION "GetPlan", kReaders, kRead},
    {INSPECTION "ListPlans", kReaders, kRead},
    {INSPECTION "CommitPlan", kAgency, kWrite},
    {INSPECTION "DrawPlan", kAgency, kWrite},
    {INSPECTION "AnnounceReplacements", kAgency, kWrite},
    {INSPECTION "DrawReplacements", kAgency, kWrite},
    {INSPECTION "GetDraw", kReaders, kRead},
    {INSPECTION "ExportDrawInputs", kReaders, kRead},
    {INSPECTION "ListDrawTargets", kReaders, kRead},
    {INSPECTION "GetDrawBundle", kReaders, kRead},
    {INSPECTION "ClosePlan", kAgency, kWrite},
    {INSPECTION "ListMyAssignments", kInspector, kRead},
    {INSPECTION "WatchAssignments", kInspector, kRead},
    // An inspector may ask too, and gets only their own assignments in the plan.
    {INSPECTION "ListPlanAssignments",
     {Role::kAgency, Role::kAuditor, Role::kAdmin, Role::kInspector},
     kRead},
    // Recusal requests (回避申请) and "its draws": an enterprise for itself (its own code,
    // enterprise_scope.h); the plan's agency decides.
    {INSPECTION "RequestRecusal", {Role::kEnterprise}, kWrite},
    {INSPECTION "DecideRecusal", kAgency, kWrite},
    {INSPECTION "ListRecusals", kReadersAndOwnEnterprise, kRead},
    {INSPECTION "ListMyDraws", {Role::kAuditor, Role::kAdmin, Role::kEnterprise}, kRead},
    // DisclosureService
    {DISCLOSURE "SubmitResult", kInspector, kWrite},
    // Shows the original text of what redaction removes: those who may read results.
    {DISCLOSURE "PreviewPublication", kReaders, kRead},
    {DISCLOSURE "ApproveResult", kAgency, kWrite},
    {DISCLOSURE "ReturnResult", kAgency, kWrite},
    {DISCLOSURE "GetResult",
     {Role::kAgency, Role::kAuditor, Role::kAdmin, Role::kInspector},
     kRead},
    {DISCLOSURE "ListResults",
     {Role::kAgency, Role::kAuditor, Role::kAdmin, Role::kInspector},
     kRead},
    {DISCLOSURE "ListOverdue", kReaders, kRead},
    {DISCLOSURE "PublishCorrection", kAgency, kWrite},
    // Withdrawal: the record's department asks, an admin approves (two parties).
    {DISCLOSURE "RequestWithdrawal", kAgency, kWrite},
    {DISCLOSURE "ApproveWithdrawal", kAdmin, kWrite},
    {DISCLOSURE "ListWithdrawals", kReaders, kRead},
    {DISCLOSURE "GetPublicRecord", kEveryone, kRead},
    {DISCLOSURE "GetPublicAttachmentPart", kEveryone, kRead},
    {DISCLOSURE "ListPublicRecords", kEveryone, kRead},
    {DISCLOSURE "GetCheckpoint", kEveryone, kRead},
    {DISCLOSURE "GetInclusionProof", kEveryone, kRead},
    {DISCLOSURE "GetConsistencyProof", kEveryone, kRead},
    {DISCLOSURE "ExportLogFiles", kEveryone, kRead},
    // Objections: the enterprise a published result is about files one (its own code
    // only, enterprise_scope.h); the result's department answers; readers and the
    // enterprise itself read them (the desk narrows an agency to its plans).
    {DISCLOSURE "FileObjection", {Role::kEnterprise}, kWrite},
    {DISCLOSURE "AnswerObjection", kAgency, kWrite},
    {DISCLOSURE "GetObjection", kReadersAndOwnEnterprise, kRead},
    {DISCLOSURE "ListObjections", kReadersAndOwnEnterprise, kRead},
    // AlertService. Agencies read and acknowledge their region's and department's alerts
    // (the scope is applied in services/alerts); only an admin changes the rules.
    {"/regulation.v1.AlertService/ListAlerts", kReaders, kRead},
    {"/regulation.v1.AlertService/WatchAlerts", kReaders, kRead},
    {"/regulation.v1.AlertService/AcknowledgeAlert", kAgency, kWrite},
    {"/regulation.v1.AlertService/GetAlertRules", kReaders, kRead},
    {"/regulation.v1.AlertService/UpdateAlertRules", kAdmin, kWrite},
    // AuditService
    {"/regulation.v1.AuditService/ListAuditRecords", {Role::kAuditor, Role::kAdmin}, kRead},
    // AdminService. A backup changes nothing, but copies everything out: audited.
    {"/regulation.v1.AdminService/Backup", kAdmin, kWrite},
    // Internal calls between the services when they run as separate processes
    // (regulation.internal.v1, docs/deploy.md): each only by the service that needs it.
    // scoringd reads portraits from portraitd (services/seams/portrait_feed.h).
    {"/regulation.internal.v1.PortraitFeedService/StreamFeatures", kService, kRead, false,
     "scoringd"},
    {"/regulation.internal.v1.PortraitFeedService/StreamEnterpriseKeys", kService, kRead, false,
     "scoringd"},
    {"/regulation.internal.v1.PortraitFeedService/EstimateEnterpriseCount", kService, kRead,
     false, "scoringd"},
    {"/regulation.internal.v1.PortraitFeedService/LookupEnterprise", kService, kRead, false,
     "scoringd"},
    {"/regulation.internal.v1.PortraitFeedService/GetPortraitFor", kService, kRead, false,
     "scoringd"},
    // scoringd trains and scores the past from portraitd's events (TrainModel, ScoreAsOf).
    {"/regulation.internal.v1.PortraitFeedService/StreamTrainingRows", kService, kRead, false,
     "scoringd"},
    {"/regulation.internal.v1.PortraitFeedService/GetPortraitAsOfFor", kService, kRead, false,
     "scoringd"},
    // inspectiond reads the population a plan freezes from portraitd and scoringd, and
    // enterprise records from portraitd (services/seams/population_feed.h).
    {"/regulation.internal.v1.PortraitPopulationService/StreamPopulation", kService, kRead, false,
     "inspectiond"},
    {"/regulation.internal.v1.PortraitPopulationService/GetEnterprises", kService, kRead, false,
     "inspectiond"},
    {"/regulation.internal.v1.StoredClassService/StreamClasses", kService, kRead, false,
     "inspectiond"},
    // inspectiond publishes its public records in the disclosure log (services/seams/
    // log_append_service.h): a write, idempotent by record key.
    {"/regulation.internal.v1.LogAppendService/AppendRecords", kService, kWrite, false,
     "inspectiond"},
    // disclosured reads plans and assignments from inspection
    // (services/seams/inspection_feed.h), and names enterprises and records approved
    // results' history events in portrait (services/seams/enterprise_history.h).
    {"/regulation.internal.v1.InspectionFeedService/GetPlanFor", kService, kRead, false,
     "disclosured"},
    {"/regulation.internal.v1.InspectionFeedService/FindAssignment", kService, kRead, false,
     "disclosured"},
    {"/regulation.internal.v1.InspectionFeedService/GetJointPlans", kService, kRead, false,
     "disclosured"},
    // ... and the draw rounds and bundles its public records of draws carry.
    {"/regulation.internal.v1.InspectionFeedService/GetDrawnRound", kService, kRead, false,
     "disclosured"},
    {"/regulation.internal.v1.InspectionFeedService/GetBundlePart", kService, kRead, false,
     "disclosured"},
    {"/regulation.internal.v1.EnterpriseHistoryService/GetEnterpriseName", kService, kRead,
     false, "disclosured"},
    {"/regulation.internal.v1.EnterpriseHistoryService/RecordResultEvents", kService, kWrite,
     false, "disclosured"},
    // scoringd reports ScoreAll's score changes where the alerts live, with portrait
    // (services/seams/alert_feed.h): a write, idempotent by alert id.
    {"/regulation.internal.v1.AlertFeedService/ReportScoreChanges", kService, kWrite, false,
     "scoringd"},
    // Infrastructure: standard health checking and server reflection.
    {"/grpc.health.v1.Health/Check", kEveryone, kRead, true},
    {"/grpc.health.v1.Health/Watch", kEveryone, kRead, true},
    {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", kEveryone, kRead, true},
};

#undef PORTRAIT
#undef SCORING
#undef INSPECTION
#undef DISCLOSURE

}  // namespace

const RpcPolicy* FindRpcPolicy(absl::string_view method) {
  static const auto* index = [] {
    auto* map = new absl::flat_hash_map<absl::string_view, const RpcPolicy*>();
    for (const RpcPolicy& policy : kPolicies) map->emplace(policy.method, &policy);
    return map;
  }();
  auto it = index->find(method);
  return it == index->end() ? nullptr : it->second;
}

absl::Span<const RpcPolicy> AllRpcPolicies() { return kPolicies; }

bool ServiceMayCall(const RpcPolicy& policy, absl::string_view service_name) {
  if (!policy.allowed.Contains(Role::kService)) return false;
  if (policy.services.empty()) return true;  // a public read any service may make
  if (service_name == kAnyService) return true;
  for (absl::string_view name : absl::StrSplit(policy.services, ' ', absl::SkipEmpty())) {
    if (name == service_name) return true;
  }
  return false;
}

}  // namespace regulation::access
