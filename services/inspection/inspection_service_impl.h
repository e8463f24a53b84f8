#ifndef SERVICES_INSPECTION_INSPECTION_SERVICE_IMPL_H_
#define SERVICES_INSPECTION_INSPECTION_SERVICE_IMPL_H_

// regulation.v1.InspectionService over gRPC: each RPC admits the call (serve.h) and
// hands it to the roster, the entropy source registry, the plan book, the draw desk or
// the assignment board.

#include "regulation/v1/inspection_service.grpc.pb.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_desk.h"
#include "services/inspection/enterprise_draws.h"
#include "services/inspection/entropy_registry.h"
#include "services/inspection/plan_book.h"
#include "services/inspection/recusal_desk.h"
#include "services/inspection/roster.h"

namespace regulation::services {

class InspectionServiceImpl final : public v1::InspectionService::Service {
 public:
  // Everything must outlive the service.
  InspectionServiceImpl(Roster* roster, EntropyRegistry* registry, PlanBook* plans, DrawDesk* desk,
                        AssignmentBoard* board, RecusalDesk* recusals,
                        EnterpriseDraws* enterprise_draws)
      : roster_(roster),
        registry_(registry),
        plans_(plans),
        desk_(desk),
        board_(board),
        recusals_(recusals),
        enterprise_draws_(enterprise_draws) {}

  grpc::Status UpsertInspector(grpc::ServerContext* context,
                               const v1::UpsertInspectorRequest* request,
                               v1::Inspector* response) override;
  grpc::Status GetInspector(grpc::ServerContext* context, const v1::GetInspectorRequest* request,
                            v1::Inspector* response) override;
  grpc::Status ListInspectors(grpc::ServerContext* context,
                              const v1::ListInspectorsRequest* request,
                              v1::ListInspectorsResponse* response) override;
  grpc::Status DeclareConflict(grpc::ServerContext* context,
                               const v1::DeclareConflictRequest* request,
                               v1::Conflict* response) override;
  grpc::Status ListConflicts(grpc::ServerContext* context, const v1::ListConflictsRequest* request,
                             v1::ListConflictsResponse* response) override;
  grpc::Status UpsertInspectionItem(grpc::ServerContext* context,
                                    const v1::UpsertInspectionItemRequest* request,
                                    v1::InspectionItem* response) override;
  grpc::Status ListInspectionItems(grpc::ServerContext* context,
                                   const v1::ListInspectionItemsRequest* request,
                                   v1::ListInspectionItemsResponse* response) override;
  grpc::Status RegisterEntropySource(grpc::ServerContext* context,
                                     const v1::RegisterEntropySourceRequest* request,
                                     v1::RegisteredEntropySource* response) override;
  grpc::Status RetireEntropySource(grpc::ServerContext* context,
                                   const v1::RetireEntropySourceRequest* request,
                                   v1::RegisteredEntropySource* response) override;
  grpc::Status ListEntropySources(grpc::ServerContext* context,
                                  const v1::ListEntropySourcesRequest* request,
                                  v1::ListEntropySourcesResponse* response) override;
  grpc::Status CreatePlan(grpc::ServerContext* context, const v1::CreatePlanRequest* request,
                          v1::Plan* response) override;
  grpc::Status UpdatePlan(grpc::ServerContext* context, const v1::UpdatePlanRequest* request,
                          v1::Plan* response) override;
  grpc::Status GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* request,
                       v1::Plan* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context, const v1::ListPlansRequest* request,
                         v1::ListPlansResponse* response) override;
  grpc::Status CommitPlan(grpc::ServerContext* context, const v1::CommitPlanRequest* request,
                          v1::Commitment* response) override;
  grpc::Status DrawPlan(grpc::ServerContext* context, const v1::DrawPlanRequest* request,
                        v1::Draw* response) override;
  grpc::Status AnnounceReplacements(grpc::ServerContext* context,
                                    const v1::AnnounceReplacementsRequest* request,
                                    v1::ReplacementAnnouncement* response) override;
  grpc::Status DrawReplacements(grpc::ServerContext* context,
                                const v1::DrawReplacementsRequest* request,
                                v1::Draw* response) override;
  grpc::Status GetDraw(grpc::ServerContext* context, const v1::GetDrawRequest* request,
                       v1::Draw* response) override;
  grpc::Status ListDrawTargets(grpc::ServerContext* context,
                               const v1::ListDrawTargetsRequest* request,
                               v1::ListDrawTargetsResponse* response) override;
  grpc::Status GetDrawBundle(grpc::ServerContext* context, const v1::GetDrawBundleRequest* request,
                             grpc::ServerWriter<v1::DrawBundlePart>* writer) override;
  grpc::Status ExportDrawInputs(grpc::ServerContext* context,
                                const v1::ExportDrawInputsRequest* request,
                                grpc::ServerWriter<v1::DrawInputsChunk>* writer) override;
  grpc::Status ClosePlan(grpc::ServerContext* context, const v1::ClosePlanRequest* request,
                         v1::Plan* response) override;
  grpc::Status ListMyAssignments(grpc::ServerContext* context,
                                 const v1::ListMyAssignmentsRequest* request,
                                 v1::ListMyAssignmentsResponse* response) override;
  grpc::Status WatchAssignments(grpc::ServerContext* context,
                                const v1::WatchAssignmentsRequest* request,
                                grpc::ServerWriter<v1::Assignment>* writer) override;
  grpc::Status ListPlanAssignments(grpc::ServerContext* context,
                                   const v1::ListPlanAssignmentsRequest* request,
                                   v1::ListPlanAssignmentsResponse* response) override;
  grpc::Status RequestRecusal(grpc::ServerContext* context,
                              const v1::RequestRecusalRequest* request,
                              v1::Recusal* response) override;
  grpc::Status DecideRecusal(grpc::ServerContext* context, const v1::DecideRecusalRequest* request,
                             v1::Recusal* response) override;
  grpc::Status ListRecusals(grpc::ServerContext* context, const v1::ListRecusalsRequest* request,
                            v1::ListRecusalsResponse* response) override;
  grpc::Status ListMyDraws(grpc::ServerContext* context, const v1::ListMyDrawsRequest* request,
                           v1::ListMyDrawsResponse* response) override;

 private:
  Roster* const roster_;
  EntropyRegistry* const registry_;
  PlanBook* const plans_;
  DrawDesk* const desk_;
  AssignmentBoard* const board_;
  RecusalDesk* const recusals_;
  EnterpriseDraws* const enterprise_draws_;
};

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_INSPECTION_SERVICE_IMPL_H_
