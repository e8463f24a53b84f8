#include "services/scoring/scoring_service_impl.h"

#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/common/call_liveness.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Into;
using access::Serve;

}  // namespace

grpc::Status ScoringServiceImpl::TrainModel(grpc::ServerContext* context,
                                            const v1::TrainModelRequest* request,
                                            grpc::ServerWriter<v1::TrainModelProgress>* writer) {
  return Serve(context, [&](const Caller& caller) -> absl::Status {
    REG_ASSIGN_OR_RETURN(v1::TrainModelProgress done,
                         training_.Train(
                             caller, *request,
                             [&](const v1::TrainModelProgress& progress) {
                               writer->Write(progress);
                             },
                             WhileCallIsWanted(context)));
    writer->Write(done);
    return absl::OkStatus();
  });
}

grpc::Status ScoringServiceImpl::GetModel(grpc::ServerContext* context,
                                          const v1::GetModelRequest* request, v1::Model* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return registry_->Get(request->version()); });
  });
}

grpc::Status ScoringServiceImpl::ListModels(grpc::ServerContext* context,
                                            const v1::ListModelsRequest* request,
                                            v1::ListModelsResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return registry_->List(*request); });
  });
}

grpc::Status ScoringServiceImpl::ActivateModel(grpc::ServerContext* context,
                                               const v1::ActivateModelRequest* request,
                                               v1::Model* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return registry_->Activate(request->version()); });
  });
}

grpc::Status ScoringServiceImpl::Score(grpc::ServerContext* context,
                                       const v1::ScoreRequest* request, v1::RiskScore* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return scorer_->Score(caller, *request); });
  });
}

grpc::Status ScoringServiceImpl::GetScore(grpc::ServerContext* context,
                                          const v1::GetScoreRequest* request,
                                          v1::RiskScore* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return scorer_->GetScore(caller, request->credit_code()); });
  });
}

grpc::Status ScoringServiceImpl::ScoreAll(grpc::ServerContext* context,
                                          const v1::ScoreAllRequest* request,
                                          grpc::ServerWriter<v1::ScoreAllProgress>* writer) {
  return Serve(context, [&](const Caller&) {
    return scorer_->ScoreAll(
        *request,
        [&](const v1::ScoreAllProgress& progress) {
          return !context->IsCancelled() && writer->Write(progress);
        },
        WhileCallIsWanted(context));
  });
}

grpc::Status ScoringServiceImpl::GetClassDistribution(
    grpc::ServerContext* context, const v1::GetClassDistributionRequest* request,
    v1::GetClassDistributionResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return scorer_->ClassDistribution(caller, *request); });
  });
}

grpc::Status ScoringServiceImpl::ScoreAsOf(grpc::ServerContext* context,
                                           const v1::ScoreAsOfRequest* request,
                                           v1::RiskScore* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return backtester_->ScoreAsOf(caller, *request); });
  });
}

grpc::Status ScoringServiceImpl::Backtest(grpc::ServerContext* context,
                                          const v1::BacktestRequest* request,
                                          v1::BacktestReport* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return backtester_->Backtest(*request); });
  });
}

grpc::Status ScoringServiceImpl::GetRiskClassPolicy(grpc::ServerContext* context,
                                                    const v1::GetRiskClassPolicyRequest*,
                                                    v1::RiskClassPolicy* response) {
  return Serve(context, [&](const Caller&) {
    *response = registry_->Policy();
    return absl::OkStatus();
  });
}

grpc::Status ScoringServiceImpl::UpdateRiskClassPolicy(
    grpc::ServerContext* context, const v1::UpdateRiskClassPolicyRequest* request,
    v1::RiskClassPolicy* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return registry_->UpdatePolicy(request->policy()); });
  });
}

}  // namespace regulation::services
