#ifndef TESTS_SITE_BROWSER_TEST_SERVICE_H_
#define TESTS_SITE_BROWSER_TEST_SERVICE_H_

// The public half of DisclosureService (GetCheckpoint, ListPublicRecords,
// GetPublicRecord, GetConsistencyProof, ExportLogFiles) over a site test source (a
// TransparencyLog in memory), so that the browser test publishes through `regctl
// publish`'s gRPC client. Lists leave draw bundles out, so the client's
// GetPublicRecord path runs too. Everything else answers UNIMPLEMENTED.
//
// Thread safety: calls are serialised by a mutex.

#include <mutex>

#include "disclosure/site/testing/log_site_source.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"

namespace regulation::testing {

class PublicDisclosureService : public v1::DisclosureService::Service {
 public:
  // `log` must outlive the service.
  explicit PublicDisclosureService(disclosure::site::testing::SampleLog* log) : log_(log) {}

  grpc::Status GetCheckpoint(grpc::ServerContext*, const v1::GetCheckpointRequest*,
                             v1::Checkpoint* response) override;
  grpc::Status ListPublicRecords(grpc::ServerContext*, const v1::ListPublicRecordsRequest* request,
                                 v1::ListPublicRecordsResponse* response) override;
  grpc::Status GetPublicRecord(grpc::ServerContext*, const v1::GetPublicRecordRequest* request,
                               v1::PublicRecord* response) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext*,
                                   const v1::GetConsistencyProofRequest* request,
                                   v1::GetConsistencyProofResponse* response) override;
  grpc::Status ExportLogFiles(grpc::ServerContext*, const v1::ExportLogFilesRequest* request,
                              grpc::ServerWriter<v1::LogFile>* writer) override;

 private:
  std::mutex mu_;
  disclosure::site::testing::SampleLog* log_;
};

}  // namespace regulation::testing

#endif  // TESTS_SITE_BROWSER_TEST_SERVICE_H_
