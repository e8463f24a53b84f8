#ifndef SERVICES_DISCLOSURE_DISCLOSURE_SERVICE_IMPL_H_
#define SERVICES_DISCLOSURE_DISCLOSURE_SERVICE_IMPL_H_

// regulation.v1.DisclosureService. Every RPC answers UNIMPLEMENTED until the
// disclosure capability lands; access control still answers first.

#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "services/common/not_yet_available.h"

namespace regulation::services {

inline constexpr char kDisclosureCapability[] =
    "one disclosure (results, redaction, the Merkle transparency log, the public site)";

class DisclosureServiceImpl final : public v1::DisclosureService::Service {
 public:
  REG_NOT_YET_AVAILABLE(SubmitResult, v1::SubmitResultRequest, v1::InspectionResult,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(ApproveResult, v1::ApproveResultRequest, v1::InspectionResult,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(ReturnResult, v1::ReturnResultRequest, v1::InspectionResult,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(GetResult, v1::GetResultRequest, v1::InspectionResult,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(ListResults, v1::ListResultsRequest, v1::ListResultsResponse,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(ListOverdue, v1::ListOverdueRequest, v1::ListOverdueResponse,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(PublishCorrection, v1::PublishCorrectionRequest, v1::PublicRecord,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(GetPublicRecord, v1::GetPublicRecordRequest, v1::PublicRecord,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(ListPublicRecords, v1::ListPublicRecordsRequest,
                        v1::ListPublicRecordsResponse, kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(GetCheckpoint, v1::GetCheckpointRequest, v1::Checkpoint,
                        kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(GetInclusionProof, v1::GetInclusionProofRequest,
                        v1::GetInclusionProofResponse, kDisclosureCapability)
  REG_NOT_YET_AVAILABLE(GetConsistencyProof, v1::GetConsistencyProofRequest,
                        v1::GetConsistencyProofResponse, kDisclosureCapability)
};

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_DISCLOSURE_SERVICE_IMPL_H_
