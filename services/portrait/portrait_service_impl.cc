#include "services/portrait/portrait_service_impl.h"

#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/common/unimplemented.h"

namespace regulation::services {
namespace {

using access::Caller;
using access::Serve;

constexpr absl::string_view kPortraits =
    "event ingestion and credit portraits (the portraits capability)";

// Runs `produce` and moves its value into `*out` when it succeeds.
template <typename T, typename Produce>
absl::Status Into(T* out, Produce&& produce) {
  REG_ASSIGN_OR_RETURN(*out, produce());
  return absl::OkStatus();
}

}  // namespace

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
                                              const v1::IngestEventRequest*,
                                              v1::IngestEventResponse*) {
  return Serve(context, [](const Caller&) { return NotYetAvailable("IngestEvent", kPortraits); });
}

grpc::Status PortraitServiceImpl::IngestEvents(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::IngestEventsResponse, v1::IngestEventsRequest>*) {
  return Serve(context, [](const Caller&) { return NotYetAvailable("IngestEvents", kPortraits); });
}

grpc::Status PortraitServiceImpl::ListEvents(grpc::ServerContext* context,
                                             const v1::ListEventsRequest*,
                                             v1::ListEventsResponse*) {
  return Serve(context, [](const Caller&) { return NotYetAvailable("ListEvents", kPortraits); });
}

grpc::Status PortraitServiceImpl::GetPortrait(grpc::ServerContext* context,
                                              const v1::GetPortraitRequest*, v1::Portrait*) {
  return Serve(context, [](const Caller&) { return NotYetAvailable("GetPortrait", kPortraits); });
}

grpc::Status PortraitServiceImpl::GetPortraitAsOf(grpc::ServerContext* context,
                                                  const v1::GetPortraitAsOfRequest*,
                                                  v1::Portrait*) {
  return Serve(context,
               [](const Caller&) { return NotYetAvailable("GetPortraitAsOf", kPortraits); });
}

}  // namespace regulation::services
