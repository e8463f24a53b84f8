#include "services/portrait/portrait_service_impl.h"

#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "services/access/parsing_stream.h"
#include "services/access/serve.h"
#include "services/portrait/ingest_stream.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Into;
using access::Serve;

constexpr absl::string_view kIngestEventMethod = "/regulation.v1.PortraitService/IngestEvent";

// The index of IngestEvents among the service's methods (the generated code registers
// them in the order of the .proto file).
int IngestEventsIndex() {
  return v1::IngestEventsRequest::descriptor()
      ->file()
      ->FindServiceByName("PortraitService")
      ->FindMethodByName("IngestEvents")
      ->index();
}

}  // namespace

PortraitServiceImpl::PortraitServiceImpl(EnterpriseDirectory* directory, EventIngestor* ingestor,
                                         PortraitReader* reader, access::AuditSink* audit)
    : directory_(directory), ingestor_(ingestor), reader_(reader), audit_(audit) {
  MarkMethodStreamed(
      IngestEventsIndex(),
      new grpc::internal::BidiStreamingHandler<PortraitServiceImpl, grpc::ByteBuffer,
                                               v1::IngestEventsResponse>(
          &PortraitServiceImpl::IngestEventBytes, this));
}

grpc::Status PortraitServiceImpl::UpsertEnterprise(grpc::ServerContext* context,
                                                   const v1::UpsertEnterpriseRequest* request,
                                                   v1::UpsertEnterpriseResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return directory_->Upsert(caller, *request); });
  });
}

grpc::Status PortraitServiceImpl::BatchUpsertEnterprises(
    grpc::ServerContext* context, const v1::BatchUpsertEnterprisesRequest* request,
    v1::BatchUpsertEnterprisesResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return directory_->BatchUpsert(caller, *request); });
  });
}

grpc::Status PortraitServiceImpl::GetEnterprise(grpc::ServerContext* context,
                                                const v1::GetEnterpriseRequest* request,
                                                v1::Enterprise* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return directory_->Get(caller, request->credit_code()); });
  });
}

grpc::Status PortraitServiceImpl::ListEnterprises(grpc::ServerContext* context,
                                                  const v1::ListEnterprisesRequest* request,
                                                  v1::ListEnterprisesResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return directory_->List(caller, *request); });
  });
}

grpc::Status PortraitServiceImpl::IngestEvent(grpc::ServerContext* context,
                                              const v1::IngestEventRequest* request,
                                              v1::IngestEventResponse* response) {
  return Serve(context, [&](const Caller& caller) -> absl::Status {
    const v1::Event* event = &request->event();
    EventIngestor::BatchWriter audited;
    if (audit_ != nullptr) {
      audited = [&](storage::WriteBatch batch, const storage::WriteOptions& options,
                    int64_t events) {
        const std::string serialized = request->SerializeAsString();
        const absl::string_view requests[] = {serialized};
        return audit_->AppendWithBatch(
            StoredEventsEntry(caller, kIngestEventMethod, requests, events), std::move(batch),
            options);
      };
    }
    REG_ASSIGN_OR_RETURN(IngestOutcome outcome,
                         ingestor_->Ingest(caller, absl::MakeConstSpan(&event, 1), true, audited));
    const IngestOutcome::Item& item = outcome.items.front();
    if (item.kind == IngestOutcome::Kind::kRejected) return item.status;
    response->set_applied(item.kind == IngestOutcome::Kind::kApplied);
    response->set_portrait_version(item.portrait_version);
    return absl::OkStatus();
  });
}

grpc::Status PortraitServiceImpl::IngestEventBytes(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::IngestEventsResponse, grpc::ByteBuffer>* raw) {
  return Serve(context, [&](const Caller& caller) -> absl::Status {
    access::ParsingStream<v1::IngestEventsResponse, v1::IngestEventsRequest> stream(raw);
    IngestStreamHooks hooks;
    hooks.cancel = [context] { context->TryCancel(); };
    hooks.still_authorized = [context] { return access::StillAuthorized(context); };
    hooks.audit = audit_;
    const absl::Status ended = RunIngestStream(ingestor_, caller, &stream, std::move(hooks));
    if (!ended.ok()) return ended;
    if (!stream.error().ok()) return stream.error();  // every message before it is acknowledged
    if (context->IsCancelled()) {
      // Read ends the same way when the client goes away (or its deadline passes) as when
      // it half-closes: the trail should say the stream did not end normally.
      return absl::CancelledError("the client went away or its deadline passed");
    }
    return absl::OkStatus();
  });
}

grpc::Status PortraitServiceImpl::ListEvents(grpc::ServerContext* context,
                                             const v1::ListEventsRequest* request,
                                             v1::ListEventsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return reader_->ListEvents(caller, *request); });
  });
}

grpc::Status PortraitServiceImpl::GetPortrait(grpc::ServerContext* context,
                                              const v1::GetPortraitRequest* request,
                                              v1::Portrait* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return reader_->Current(caller, request->credit_code()); });
  });
}

grpc::Status PortraitServiceImpl::GetPortraitAsOf(grpc::ServerContext* context,
                                                  const v1::GetPortraitAsOfRequest* request,
                                                  v1::Portrait* response) {
  return Serve(context, [&](const Caller& caller) -> absl::Status {
    if (!request->has_as_of()) return InvalidField("as_of", "is required");
    return Into(response,
                [&] { return reader_->AsOf(caller, request->credit_code(), request->as_of()); });
  });
}

}  // namespace regulation::services
