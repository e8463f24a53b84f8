#ifndef SERVICES_SCORING_SCORING_SERVICE_IMPL_H_
#define SERVICES_SCORING_SCORING_SERVICE_IMPL_H_

// regulation.v1.ScoringService. Every RPC answers UNIMPLEMENTED until the risk-scoring
// capability lands; access control still answers first.

#include "regulation/v1/scoring_service.grpc.pb.h"
#include "services/common/not_yet_available.h"

namespace regulation::services {

inline constexpr char kScoringCapability[] =
    "risk scoring (XGBoost models, scores with reasons, classes A-D)";

class ScoringServiceImpl final : public v1::ScoringService::Service {
 public:
  grpc::Status TrainModel(grpc::ServerContext* context, const v1::TrainModelRequest*,
                          grpc::ServerWriter<v1::TrainModelProgress>*) override {
    return access::Serve(context, [](const access::Caller&) {
      return NotYetAvailable("TrainModel", kScoringCapability);
    });
  }
  REG_NOT_YET_AVAILABLE(GetModel, v1::GetModelRequest, v1::Model, kScoringCapability)
  REG_NOT_YET_AVAILABLE(ListModels, v1::ListModelsRequest, v1::ListModelsResponse,
                        kScoringCapability)
  REG_NOT_YET_AVAILABLE(ActivateModel, v1::ActivateModelRequest, v1::Model, kScoringCapability)
  REG_NOT_YET_AVAILABLE(Score, v1::ScoreRequest, v1::RiskScore, kScoringCapability)
  REG_NOT_YET_AVAILABLE(GetScore, v1::GetScoreRequest, v1::RiskScore, kScoringCapability)
  grpc::Status ScoreAll(grpc::ServerContext* context, const v1::ScoreAllRequest*,
                        grpc::ServerWriter<v1::ScoreAllProgress>*) override {
    return access::Serve(context, [](const access::Caller&) {
      return NotYetAvailable("ScoreAll", kScoringCapability);
    });
  }
  REG_NOT_YET_AVAILABLE(GetClassDistribution, v1::GetClassDistributionRequest,
                        v1::GetClassDistributionResponse, kScoringCapability)
  REG_NOT_YET_AVAILABLE(GetRiskClassPolicy, v1::GetRiskClassPolicyRequest, v1::RiskClassPolicy,
                        kScoringCapability)
  REG_NOT_YET_AVAILABLE(UpdateRiskClassPolicy, v1::UpdateRiskClassPolicyRequest,
                        v1::RiskClassPolicy, kScoringCapability)
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_SCORING_SERVICE_IMPL_H_
