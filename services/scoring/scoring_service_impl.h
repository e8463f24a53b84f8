#ifndef SERVICES_SCORING_SCORING_SERVICE_IMPL_H_
#define SERVICES_SCORING_SCORING_SERVICE_IMPL_H_

// regulation.v1.ScoringService over gRPC: each RPC admits the call (serve.h) and calls
// the registry, the trainer or the scorer.

#include <utility>

#include "regulation/v1/scoring_service.grpc.pb.h"
#include "services/scoring/backtest.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/risk_scorer.h"
#include "services/scoring/training_desk.h"
#include "storage/kv_store.h"

namespace regulation::services {

class ScoringServiceImpl final : public v1::ScoringService::Service {
 public:
  // Everything must outlive the service. `training_rows` builds TrainModel's rows
  // (TrainingDesk).
  ScoringServiceImpl(storage::KvStore* store, TrainingRowSource training_rows,
                     ModelRegistry* registry, RiskScorer* scorer, Backtester* backtester,
                     Clock* clock)
      : registry_(registry),
        scorer_(scorer),
        backtester_(backtester),
        training_(store, std::move(training_rows), registry, clock) {}

  grpc::Status TrainModel(grpc::ServerContext* context, const v1::TrainModelRequest* request,
                          grpc::ServerWriter<v1::TrainModelProgress>* writer) override;
  grpc::Status GetModel(grpc::ServerContext* context, const v1::GetModelRequest* request,
                        v1::Model* response) override;
  grpc::Status ListModels(grpc::ServerContext* context, const v1::ListModelsRequest* request,
                          v1::ListModelsResponse* response) override;
  grpc::Status ActivateModel(grpc::ServerContext* context, const v1::ActivateModelRequest* request,
                             v1::Model* response) override;
  grpc::Status Score(grpc::ServerContext* context, const v1::ScoreRequest* request,
                     v1::RiskScore* response) override;
  grpc::Status GetScore(grpc::ServerContext* context, const v1::GetScoreRequest* request,
                        v1::RiskScore* response) override;
  grpc::Status ScoreAll(grpc::ServerContext* context, const v1::ScoreAllRequest* request,
                        grpc::ServerWriter<v1::ScoreAllProgress>* writer) override;
  grpc::Status GetClassDistribution(grpc::ServerContext* context,
                                    const v1::GetClassDistributionRequest* request,
                                    v1::GetClassDistributionResponse* response) override;
  grpc::Status ScoreAsOf(grpc::ServerContext* context, const v1::ScoreAsOfRequest* request,
                         v1::RiskScore* response) override;
  grpc::Status Backtest(grpc::ServerContext* context, const v1::BacktestRequest* request,
                        v1::BacktestReport* response) override;
  grpc::Status GetRiskClassPolicy(grpc::ServerContext* context,
                                  const v1::GetRiskClassPolicyRequest* request,
                                  v1::RiskClassPolicy* response) override;
  grpc::Status UpdateRiskClassPolicy(grpc::ServerContext* context,
                                     const v1::UpdateRiskClassPolicyRequest* request,
                                     v1::RiskClassPolicy* response) override;

 private:
  ModelRegistry* const registry_;
  RiskScorer* const scorer_;
  Backtester* const backtester_;
  TrainingDesk training_;
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_SCORING_SERVICE_IMPL_H_
