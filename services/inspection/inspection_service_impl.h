#ifndef SERVICES_INSPECTION_INSPECTION_SERVICE_IMPL_H_
#define SERVICES_INSPECTION_INSPECTION_SERVICE_IMPL_H_

// regulation.v1.InspectionService. Every RPC answers UNIMPLEMENTED until the
// double-random draw capability lands; access control still answers first.

#include "regulation/v1/inspection_service.grpc.pb.h"
#include "services/common/not_yet_available.h"

namespace regulation::services {

inline constexpr char kDrawCapability[] =
    "double-random draws (roster, plans, committed draws, assignments)";

class InspectionServiceImpl final : public v1::InspectionService::Service {
 public:
  REG_NOT_YET_AVAILABLE(UpsertInspector, v1::UpsertInspectorRequest, v1::Inspector, kDrawCapability)
  REG_NOT_YET_AVAILABLE(GetInspector, v1::GetInspectorRequest, v1::Inspector, kDrawCapability)
  REG_NOT_YET_AVAILABLE(ListInspectors, v1::ListInspectorsRequest, v1::ListInspectorsResponse,
                        kDrawCapability)
  REG_NOT_YET_AVAILABLE(DeclareConflict, v1::DeclareConflictRequest, v1::Conflict, kDrawCapability)
  REG_NOT_YET_AVAILABLE(ListConflicts, v1::ListConflictsRequest, v1::ListConflictsResponse,
                        kDrawCapability)
  REG_NOT_YET_AVAILABLE(UpsertInspectionItem, v1::UpsertInspectionItemRequest, v1::InspectionItem,
                        kDrawCapability)
  REG_NOT_YET_AVAILABLE(ListInspectionItems, v1::ListInspectionItemsRequest,
                        v1::ListInspectionItemsResponse, kDrawCapability)
  REG_NOT_YET_AVAILABLE(CreatePlan, v1::CreatePlanRequest, v1::Plan, kDrawCapability)
  REG_NOT_YET_AVAILABLE(GetPlan, v1::GetPlanRequest, v1::Plan, kDrawCapability)
  REG_NOT_YET_AVAILABLE(ListPlans, v1::ListPlansRequest, v1::ListPlansResponse, kDrawCapability)
  REG_NOT_YET_AVAILABLE(CommitPlan, v1::CommitPlanRequest, v1::Commitment, kDrawCapability)
  REG_NOT_YET_AVAILABLE(DrawPlan, v1::DrawPlanRequest, v1::Draw, kDrawCapability)
  REG_NOT_YET_AVAILABLE(DrawReplacements, v1::DrawReplacementsRequest, v1::Draw, kDrawCapability)
  REG_NOT_YET_AVAILABLE(GetDraw, v1::GetDrawRequest, v1::Draw, kDrawCapability)
  REG_NOT_YET_AVAILABLE(ClosePlan, v1::ClosePlanRequest, v1::Plan, kDrawCapability)
  REG_NOT_YET_AVAILABLE(ListMyAssignments, v1::ListMyAssignmentsRequest,
                        v1::ListMyAssignmentsResponse, kDrawCapability)
  grpc::Status WatchAssignments(grpc::ServerContext* context, const v1::WatchAssignmentsRequest*,
                                grpc::ServerWriter<v1::Assignment>*) override {
    return access::Serve(context, [](const access::Caller&) {
      return NotYetAvailable("WatchAssignments", kDrawCapability);
    });
  }
  REG_NOT_YET_AVAILABLE(ListPlanAssignments, v1::ListPlanAssignmentsRequest,
                        v1::ListPlanAssignmentsResponse, kDrawCapability)
};

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_INSPECTION_SERVICE_IMPL_H_
