#ifndef SERVICES_DISCLOSURE_DISCLOSURE_SERVICE_IMPL_H_
#define SERVICES_DISCLOSURE_DISCLOSURE_SERVICE_IMPL_H_

// regulation.v1.DisclosureService over gRPC: each RPC admits the call (serve.h) and
// hands it to the result desk (results and corrections), the withdrawal desk, the
// objection desk, or the public records (the log).

#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "services/disclosure/objection_desk.h"
#include "services/disclosure/public_records.h"
#include "services/disclosure/result_desk.h"
#include "services/disclosure/withdrawal_desk.h"

namespace regulation::services {

class DisclosureServiceImpl final : public v1::DisclosureService::Service {
 public:
  // Everything must outlive the service.
  DisclosureServiceImpl(ResultDesk* results, WithdrawalDesk* withdrawals, PublicRecords* records,
                        ObjectionDesk* objections)
      : results_(results), withdrawals_(withdrawals), records_(records), objections_(objections) {}

  grpc::Status SubmitResult(grpc::ServerContext* context, const v1::SubmitResultRequest* request,
                            v1::InspectionResult* response) override;
  grpc::Status PreviewPublication(grpc::ServerContext* context,
                                  const v1::PreviewPublicationRequest* request,
                                  v1::PublicationPreview* response) override;
  grpc::Status ApproveResult(grpc::ServerContext* context, const v1::ApproveResultRequest* request,
                             v1::InspectionResult* response) override;
  grpc::Status ReturnResult(grpc::ServerContext* context, const v1::ReturnResultRequest* request,
                            v1::InspectionResult* response) override;
  grpc::Status GetResult(grpc::ServerContext* context, const v1::GetResultRequest* request,
                         v1::InspectionResult* response) override;
  grpc::Status ListResults(grpc::ServerContext* context, const v1::ListResultsRequest* request,
                           v1::ListResultsResponse* response) override;
  grpc::Status ListOverdue(grpc::ServerContext* context, const v1::ListOverdueRequest* request,
                           v1::ListOverdueResponse* response) override;
  grpc::Status PublishCorrection(grpc::ServerContext* context,
                                 const v1::PublishCorrectionRequest* request,
                                 v1::PublicRecord* response) override;
  grpc::Status RequestWithdrawal(grpc::ServerContext* context,
                                 const v1::RequestWithdrawalRequest* request,
                                 v1::Withdrawal* response) override;
  grpc::Status ApproveWithdrawal(grpc::ServerContext* context,
                                 const v1::ApproveWithdrawalRequest* request,
                                 v1::Withdrawal* response) override;
  grpc::Status ListWithdrawals(grpc::ServerContext* context,
                               const v1::ListWithdrawalsRequest* request,
                               v1::ListWithdrawalsResponse* response) override;
  grpc::Status GetPublicAttachmentPart(grpc::ServerContext* context,
                                       const v1::GetPublicAttachmentPartRequest* request,
                                       v1::PublicAttachmentPart* response) override;
  grpc::Status GetPublicRecord(grpc::ServerContext* context,
                               const v1::GetPublicRecordRequest* request,
                               v1::PublicRecord* response) override;
  grpc::Status ListPublicRecords(grpc::ServerContext* context,
                                 const v1::ListPublicRecordsRequest* request,
                                 v1::ListPublicRecordsResponse* response) override;
  grpc::Status GetCheckpoint(grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
                             v1::Checkpoint* response) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* context,
                                 const v1::GetInclusionProofRequest* request,
                                 v1::GetInclusionProofResponse* response) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* context,
                                   const v1::GetConsistencyProofRequest* request,
                                   v1::GetConsistencyProofResponse* response) override;
  grpc::Status ExportLogFiles(grpc::ServerContext* context,
                              const v1::ExportLogFilesRequest* request,
                              grpc::ServerWriter<v1::LogFile>* writer) override;
  grpc::Status FileObjection(grpc::ServerContext* context, const v1::FileObjectionRequest* request,
                             v1::Objection* response) override;
  grpc::Status AnswerObjection(grpc::ServerContext* context,
                               const v1::AnswerObjectionRequest* request,
                               v1::Objection* response) override;
  grpc::Status GetObjection(grpc::ServerContext* context, const v1::GetObjectionRequest* request,
                            v1::Objection* response) override;
  grpc::Status ListObjections(grpc::ServerContext* context,
                              const v1::ListObjectionsRequest* request,
                              v1::ListObjectionsResponse* response) override;

 private:
  ResultDesk* const results_;
  WithdrawalDesk* const withdrawals_;
  PublicRecords* const records_;
  ObjectionDesk* const objections_;
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_DISCLOSURE_SERVICE_IMPL_H_
