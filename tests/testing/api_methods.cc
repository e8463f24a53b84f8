#include "tests/testing/api_methods.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "regulation/internal/v1/alert_feed.pb.h"
#include "regulation/internal/v1/log_append.pb.h"
#include "regulation/internal/v1/population_feed.pb.h"
#include "regulation/internal/v1/enterprise_history.pb.h"
#include "regulation/internal/v1/inspection_feed.pb.h"
#include "regulation/internal/v1/portrait_feed.pb.h"
#include "regulation/v1/admin_service.pb.h"
#include "regulation/v1/alert_service.pb.h"
#include "regulation/v1/audit_service.pb.h"
#include "regulation/v1/disclosure_service.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "regulation/v1/portrait_service.pb.h"
#include "regulation/v1/scoring_service.pb.h"

namespace regulation::testing {

namespace {

std::vector<std::string> MethodsOf(
    std::initializer_list<const google::protobuf::FileDescriptor*> files) {
  std::vector<std::string> methods;
  for (const google::protobuf::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back(absl::StrCat("/", service->full_name(), "/", service->method(m)->name()));
      }
    }
  }
  return methods;
}

}  // namespace

std::vector<std::string> AllInternalMethods() {
  return MethodsOf({internal::v1::StreamFeaturesRequest::descriptor()->file(),
                    internal::v1::StreamPopulationRequest::descriptor()->file(),
                    internal::v1::AppendRecordsRequest::descriptor()->file(),
                    // disclosured's peers.
                    internal::v1::GetPlanForRequest::descriptor()->file(),
                    internal::v1::RecordResultEventsRequest::descriptor()->file(),
                    internal::v1::ReportScoreChangesRequest::descriptor()->file()});
}

std::vector<std::string> AllApiMethods() {
  // One message per service file: naming it links the file's descriptors in.
  const google::protobuf::FileDescriptor* files[] = {
      v1::GetEnterpriseRequest::descriptor()->file(), v1::ScoreRequest::descriptor()->file(),
      v1::CreatePlanRequest::descriptor()->file(), v1::SubmitResultRequest::descriptor()->file(),
      v1::ListAuditRecordsRequest::descriptor()->file(), v1::BackupRequest::descriptor()->file(),
      v1::ListAlertsRequest::descriptor()->file()};
  std::vector<std::string> methods;
  for (const google::protobuf::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back(absl::StrCat("/", service->full_name(), "/", service->method(m)->name()));
      }
    }
  }
  return methods;
}

}  // namespace regulation::testing
