#include "services/disclosure/disclosure_service_impl.h"

#include "services/access/serve.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Into;
using access::Serve;

}  // namespace

grpc::Status DisclosureServiceImpl::SubmitResult(grpc::ServerContext* context,
                                                 const v1::SubmitResultRequest* request,
                                                 v1::InspectionResult* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->Submit(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::PreviewPublication(grpc::ServerContext* context,
                                                       const v1::PreviewPublicationRequest* request,
                                                       v1::PublicationPreview* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->Preview(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::ApproveResult(grpc::ServerContext* context,
                                                  const v1::ApproveResultRequest* request,
                                                  v1::InspectionResult* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->Approve(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::ReturnResult(grpc::ServerContext* context,
                                                 const v1::ReturnResultRequest* request,
                                                 v1::InspectionResult* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->Return(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::GetResult(grpc::ServerContext* context,
                                              const v1::GetResultRequest* request,
                                              v1::InspectionResult* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->Get(caller, request->result_id()); });
  });
}

grpc::Status DisclosureServiceImpl::ListResults(grpc::ServerContext* context,
                                                const v1::ListResultsRequest* request,
                                                v1::ListResultsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->List(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::ListOverdue(grpc::ServerContext* context,
                                                const v1::ListOverdueRequest* request,
                                                v1::ListOverdueResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->ListOverdue(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::PublishCorrection(grpc::ServerContext* context,
                                                      const v1::PublishCorrectionRequest* request,
                                                      v1::PublicRecord* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return results_->PublishCorrection(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::RequestWithdrawal(grpc::ServerContext* context,
                                                      const v1::RequestWithdrawalRequest* request,
                                                      v1::Withdrawal* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return withdrawals_->Request(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::ApproveWithdrawal(grpc::ServerContext* context,
                                                      const v1::ApproveWithdrawalRequest* request,
                                                      v1::Withdrawal* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return withdrawals_->Approve(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::ListWithdrawals(grpc::ServerContext* context,
                                                    const v1::ListWithdrawalsRequest* request,
                                                    v1::ListWithdrawalsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return withdrawals_->List(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::GetPublicRecord(grpc::ServerContext* context,
                                                    const v1::GetPublicRecordRequest* request,
                                                    v1::PublicRecord* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return records_->Get(request->log_index()); });
  });
}

grpc::Status DisclosureServiceImpl::GetPublicAttachmentPart(
    grpc::ServerContext* context, const v1::GetPublicAttachmentPartRequest* request,
    v1::PublicAttachmentPart* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return records_->AttachmentPart(*request); });
  });
}

grpc::Status DisclosureServiceImpl::ListPublicRecords(grpc::ServerContext* context,
                                                      const v1::ListPublicRecordsRequest* request,
                                                      v1::ListPublicRecordsResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return records_->List(*request); });
  });
}

grpc::Status DisclosureServiceImpl::GetCheckpoint(grpc::ServerContext* context,
                                                  const v1::GetCheckpointRequest*,
                                                  v1::Checkpoint* response) {
  return Serve(context, [&](const Caller&) {
    *response = records_->Checkpoint();
    return absl::OkStatus();
  });
}

grpc::Status DisclosureServiceImpl::GetInclusionProof(grpc::ServerContext* context,
                                                      const v1::GetInclusionProofRequest* request,
                                                      v1::GetInclusionProofResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return records_->InclusionProof(*request); });
  });
}

grpc::Status DisclosureServiceImpl::GetConsistencyProof(
    grpc::ServerContext* context, const v1::GetConsistencyProofRequest* request,
    v1::GetConsistencyProofResponse* response) {
  return Serve(context, [&](const Caller&) {
    return Into(response, [&] { return records_->ConsistencyProof(*request); });
  });
}

grpc::Status DisclosureServiceImpl::ExportLogFiles(grpc::ServerContext* context,
                                                   const v1::ExportLogFilesRequest* request,
                                                   grpc::ServerWriter<v1::LogFile>* writer) {
  return Serve(context, [&](const Caller&) {
    return records_->ExportFiles(request->from_size(),
                                 [&](const v1::LogFile& file) { return writer->Write(file); });
  });
}

grpc::Status DisclosureServiceImpl::FileObjection(grpc::ServerContext* context,
                                                  const v1::FileObjectionRequest* request,
                                                  v1::Objection* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return objections_->File(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::AnswerObjection(grpc::ServerContext* context,
                                                    const v1::AnswerObjectionRequest* request,
                                                    v1::Objection* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return objections_->Answer(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::GetObjection(grpc::ServerContext* context,
                                                 const v1::GetObjectionRequest* request,
                                                 v1::Objection* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return objections_->Get(caller, *request); });
  });
}

grpc::Status DisclosureServiceImpl::ListObjections(grpc::ServerContext* context,
                                                   const v1::ListObjectionsRequest* request,
                                                   v1::ListObjectionsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return objections_->List(caller, *request); });
  });
}

}  // namespace regulation::services
