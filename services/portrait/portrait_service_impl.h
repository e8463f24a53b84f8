#ifndef SERVICES_PORTRAIT_PORTRAIT_SERVICE_IMPL_H_
#define SERVICES_PORTRAIT_PORTRAIT_SERVICE_IMPL_H_

// regulation.v1.PortraitService over gRPC: each RPC admits the call (serve.h), then
// calls the domain object. No logic of its own.
//
// IngestEvents receives its messages as bytes and parses them itself
// (services/access/parsing_stream.h), so that a message that cannot be parsed ends the
// stream with INVALID_ARGUMENT naming the message and field, rather than looking like the
// end of the stream. Events stored by IngestEvent and IngestEvents are accounted for in
// the audit trail by records written with them (AuditSink::AppendWithBatch).

#include <grpcpp/support/byte_buffer.h>

#include "regulation/v1/portrait_service.grpc.pb.h"
#include "services/access/audit_sink.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_reader.h"

namespace regulation::services {

class PortraitServiceImpl final : public v1::PortraitService::Service {
 public:
  // Everything must outlive the service; `audit` may be null (no records of stored
  // events).
  PortraitServiceImpl(EnterpriseDirectory* directory, EventIngestor* ingestor,
                      PortraitReader* reader, access::AuditSink* audit = nullptr);

  grpc::Status UpsertEnterprise(grpc::ServerContext* context,
                                const v1::UpsertEnterpriseRequest* request,
                                v1::UpsertEnterpriseResponse* response) override;
  grpc::Status BatchUpsertEnterprises(grpc::ServerContext* context,
                                      const v1::BatchUpsertEnterprisesRequest* request,
                                      v1::BatchUpsertEnterprisesResponse* response) override;
  grpc::Status GetEnterprise(grpc::ServerContext* context, const v1::GetEnterpriseRequest* request,
                             v1::Enterprise* response) override;
  grpc::Status ListEnterprises(grpc::ServerContext* context,
                               const v1::ListEnterprisesRequest* request,
                               v1::ListEnterprisesResponse* response) override;
  grpc::Status IngestEvent(grpc::ServerContext* context, const v1::IngestEventRequest* request,
                           v1::IngestEventResponse* response) override;
  grpc::Status ListEvents(grpc::ServerContext* context, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response) override;
  grpc::Status GetPortrait(grpc::ServerContext* context, const v1::GetPortraitRequest* request,
                           v1::Portrait* response) override;
  grpc::Status GetPortraitAsOf(grpc::ServerContext* context,
                               const v1::GetPortraitAsOfRequest* request,
                               v1::Portrait* response) override;

 private:
  // IngestEvents, on the raw messages.
  grpc::Status IngestEventBytes(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::IngestEventsResponse, grpc::ByteBuffer>* stream);

  EnterpriseDirectory* const directory_;
  EventIngestor* const ingestor_;
  PortraitReader* const reader_;
  access::AuditSink* const audit_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_PORTRAIT_SERVICE_IMPL_H_
