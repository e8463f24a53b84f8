#include "services/inspection/inspection_service_impl.h"

#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/common/call_liveness.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Into;
using access::Serve;

}  // namespace

grpc::Status InspectionServiceImpl::UpsertInspector(grpc::ServerContext* context,
                                                    const v1::UpsertInspectorRequest* request,
                                                    v1::Inspector* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return roster_->UpsertInspector(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::GetInspector(grpc::ServerContext* context,
                                                 const v1::GetInspectorRequest* request,
                                                 v1::Inspector* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return roster_->GetInspector(request->inspector_id()); });
  });
}

grpc::Status InspectionServiceImpl::ListInspectors(grpc::ServerContext* context,
                                                   const v1::ListInspectorsRequest* request,
                                                   v1::ListInspectorsResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return roster_->ListInspectors(*request); });
  });
}

grpc::Status InspectionServiceImpl::DeclareConflict(grpc::ServerContext* context,
                                                    const v1::DeclareConflictRequest* request,
                                                    v1::Conflict* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return roster_->DeclareConflict(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ListConflicts(grpc::ServerContext* context,
                                                  const v1::ListConflictsRequest* request,
                                                  v1::ListConflictsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return roster_->ListConflicts(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::UpsertInspectionItem(
    grpc::ServerContext* context, const v1::UpsertInspectionItemRequest* request,
    v1::InspectionItem* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return roster_->UpsertItem(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ListInspectionItems(
    grpc::ServerContext* context, const v1::ListInspectionItemsRequest* request,
    v1::ListInspectionItemsResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return roster_->ListItems(*request); });
  });
}

grpc::Status InspectionServiceImpl::RegisterEntropySource(
    grpc::ServerContext* context, const v1::RegisterEntropySourceRequest* request,
    v1::RegisteredEntropySource* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return registry_->Register(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::RetireEntropySource(
    grpc::ServerContext* context, const v1::RetireEntropySourceRequest* request,
    v1::RegisteredEntropySource* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return registry_->Retire(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ListEntropySources(
    grpc::ServerContext* context, const v1::ListEntropySourcesRequest* request,
    v1::ListEntropySourcesResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return registry_->List(*request); });
  });
}

grpc::Status InspectionServiceImpl::CreatePlan(grpc::ServerContext* context,
                                               const v1::CreatePlanRequest* request,
                                               v1::Plan* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return plans_->Create(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::UpdatePlan(grpc::ServerContext* context,
                                               const v1::UpdatePlanRequest* request,
                                               v1::Plan* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return plans_->Update(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::GetPlan(grpc::ServerContext* context,
                                            const v1::GetPlanRequest* request,
                                            v1::Plan* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return plans_->Get(caller, request->plan_id()); });
  });
}

grpc::Status InspectionServiceImpl::ListPlans(grpc::ServerContext* context,
                                              const v1::ListPlansRequest* request,
                                              v1::ListPlansResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return plans_->List(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::CommitPlan(grpc::ServerContext* context,
                                               const v1::CommitPlanRequest* request,
                                               v1::Commitment* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response,
                [&] { return desk_->Commit(caller, *request, WhileCallIsWanted(context)); });
  });
}

grpc::Status InspectionServiceImpl::DrawPlan(grpc::ServerContext* context,
                                             const v1::DrawPlanRequest* request,
                                             v1::Draw* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response,
                [&] { return desk_->Draw(caller, *request, WhileCallIsWanted(context)); });
  });
}

grpc::Status InspectionServiceImpl::AnnounceReplacements(
    grpc::ServerContext* context, const v1::AnnounceReplacementsRequest* request,
    v1::ReplacementAnnouncement* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return desk_->Announce(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::DrawReplacements(grpc::ServerContext* context,
                                                     const v1::DrawReplacementsRequest* request,
                                                     v1::Draw* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response,
                [&] { return desk_->Replace(caller, *request, WhileCallIsWanted(context)); });
  });
}

grpc::Status InspectionServiceImpl::GetDraw(grpc::ServerContext* context,
                                            const v1::GetDrawRequest* request,
                                            v1::Draw* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return desk_->GetDraw(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ExportDrawInputs(
    grpc::ServerContext* context, const v1::ExportDrawInputsRequest* request,
    grpc::ServerWriter<v1::DrawInputsChunk>* writer) {
  return Serve(context, [&](const Caller& caller) {
    return desk_->ExportInputs(caller, *request, [&](const v1::DrawInputsChunk& chunk) {
      return writer->Write(chunk);
    });
  });
}

grpc::Status InspectionServiceImpl::ListDrawTargets(grpc::ServerContext* context,
                                                    const v1::ListDrawTargetsRequest* request,
                                                    v1::ListDrawTargetsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return desk_->ListDrawTargets(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::GetDrawBundle(grpc::ServerContext* context,
                                                  const v1::GetDrawBundleRequest* request,
                                                  grpc::ServerWriter<v1::DrawBundlePart>* writer) {
  return Serve(context, [&](const Caller& caller) {
    return desk_->StreamBundle(caller, *request, [&](const v1::DrawBundlePart& part) {
      return writer->Write(part);
    });
  });
}

grpc::Status InspectionServiceImpl::ClosePlan(grpc::ServerContext* context,
                                              const v1::ClosePlanRequest* request,
                                              v1::Plan* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return plans_->Close(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ListMyAssignments(grpc::ServerContext* context,
                                                      const v1::ListMyAssignmentsRequest* request,
                                                      v1::ListMyAssignmentsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return board_->ListMine(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::WatchAssignments(grpc::ServerContext* context,
                                                     const v1::WatchAssignmentsRequest*,
                                                     grpc::ServerWriter<v1::Assignment>* writer) {
  return Serve(context, [&](const Caller& caller) {
    return board_->Watch(
        caller, [&](const v1::Assignment& a) { return writer->Write(a); },
        [&]() -> absl::Status {
          if (context->IsCancelled()) return absl::CancelledError("the client went away");
          // A certificate revoked (or expired) while the stream is open ends it.
          return access::StillAuthorized(context);
        });
  });
}

grpc::Status InspectionServiceImpl::ListPlanAssignments(
    grpc::ServerContext* context, const v1::ListPlanAssignmentsRequest* request,
    v1::ListPlanAssignmentsResponse* response) {
  return Serve(context, [&](const Caller& caller) -> absl::Status {
    // An inspector (no reader role) sees only their own assignments in the plan.
    if (!caller.roles.Contains(access::Role::kAgency) &&
        !caller.roles.Contains(access::Role::kAuditor) &&
        !caller.roles.Contains(access::Role::kAdmin)) {
      v1::ListMyAssignmentsRequest mine;
      mine.set_plan_id(request->plan_id());
      mine.set_page_size(request->page_size());
      mine.set_page_token(request->page_token());
      REG_ASSIGN_OR_RETURN(v1::ListMyAssignmentsResponse own, board_->ListMine(caller, mine));
      response->mutable_assignments()->Swap(own.mutable_assignments());
      response->set_next_page_token(own.next_page_token());
      return absl::OkStatus();
    }
    // Only who may see the plan sees its assignments.
    REG_RETURN_IF_ERROR(plans_->Get(caller, request->plan_id()).status());
    return Into(response, [&] { return board_->ListForPlan(*request); });
  });
}

grpc::Status InspectionServiceImpl::RequestRecusal(grpc::ServerContext* context,
                                                   const v1::RequestRecusalRequest* request,
                                                   v1::Recusal* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return recusals_->Request(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::DecideRecusal(grpc::ServerContext* context,
                                                  const v1::DecideRecusalRequest* request,
                                                  v1::Recusal* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return recusals_->Decide(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ListRecusals(grpc::ServerContext* context,
                                                 const v1::ListRecusalsRequest* request,
                                                 v1::ListRecusalsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return recusals_->List(caller, *request); });
  });
}

grpc::Status InspectionServiceImpl::ListMyDraws(grpc::ServerContext* context,
                                                const v1::ListMyDrawsRequest* request,
                                                v1::ListMyDrawsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return enterprise_draws_->List(caller, *request); });
  });
}

}  // namespace regulation::services
