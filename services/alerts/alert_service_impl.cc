#include "services/alerts/alert_service_impl.h"

#include "services/access/serve.h"

namespace regulation::services {

using access::Caller;
using access::Into;
using access::Serve;

grpc::Status AlertServiceImpl::ListAlerts(grpc::ServerContext* context,
                                          const v1::ListAlertsRequest* request,
                                          v1::ListAlertsResponse* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return book_->List(caller, *request); });
  });
}

grpc::Status AlertServiceImpl::WatchAlerts(grpc::ServerContext* context,
                                           const v1::WatchAlertsRequest* request,
                                           grpc::ServerWriter<v1::Alert>* writer) {
  return Serve(context, [&](const Caller& caller) {
    return book_->Watch(
        caller, *request, [&](const v1::Alert& a) { return writer->Write(a); },
        [&]() -> absl::Status {
          if (context->IsCancelled()) return absl::CancelledError("the client went away");
          // A certificate revoked (or expired) while the stream is open ends it.
          return access::StillAuthorized(context);
        });
  });
}

grpc::Status AlertServiceImpl::AcknowledgeAlert(grpc::ServerContext* context,
                                                const v1::AcknowledgeAlertRequest* request,
                                                v1::Alert* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return book_->Acknowledge(caller, *request); });
  });
}

grpc::Status AlertServiceImpl::GetAlertRules(grpc::ServerContext* context,
                                             const v1::GetAlertRulesRequest*,
                                             v1::AlertRules* response) {
  return Serve(context, [&](const Caller&) { return Into(response, [&] { return book_->Rules(); }); });
}

grpc::Status AlertServiceImpl::UpdateAlertRules(grpc::ServerContext* context,
                                                const v1::UpdateAlertRulesRequest* request,
                                                v1::AlertRules* response) {
  return Serve(context, [&](const Caller& caller) {
    return Into(response, [&] { return book_->UpdateRules(caller, *request); });
  });
}

}  // namespace regulation::services
