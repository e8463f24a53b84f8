#include "services/scoring/scoring_service_impl.h"

#include <optional>

#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/common/idempotency.h"
#include "services/scoring/model_trainer.h"

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
    // A retried request (same request_id) gets the first run's result, not a new model.
    REG_RETURN_IF_ERROR(ValidateRequestId(request->request_id()));
    constexpr absl::string_view kRpc = "ScoringService.TrainModel";
    const std::string digest = RequestDigest(*request);
    IdempotencyLedger ledger(store_);
    REG_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                         ledger.Lookup(kRpc, caller.subject, request->request_id(), digest));
    v1::TrainModelProgress done;
    if (replay.has_value()) {
      if (!done.ParseFromString(*replay)) return absl::DataLossError("stored training result");
      writer->Write(done);
      return absl::OkStatus();
    }
    REG_ASSIGN_OR_RETURN(done, TrainAndRegister(store_, registry_, clock_, *request,
                                                [&](const v1::TrainModelProgress& progress) {
                                                  writer->Write(progress);
                                                }));
    if (!request->request_id().empty()) {
      storage::WriteBatch batch;
      IdempotencyLedger::Record(&batch, kRpc, caller.subject, request->request_id(), digest,
                                done.SerializeAsString());
      storage::WriteOptions durable;
      durable.sync = true;
      REG_RETURN_IF_ERROR(store_->Write(batch, durable));
    }
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
    return scorer_->ScoreAll(*request, [&](const v1::ScoreAllProgress& progress) {
      return !context->IsCancelled() && writer->Write(progress);
    });
  });
}

grpc::Status ScoringServiceImpl::GetClassDistribution(
    grpc::ServerContext* context, const v1::GetClassDistributionRequest* request,
    v1::GetClassDistributionResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return scorer_->ClassDistribution(caller, *request); });
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
