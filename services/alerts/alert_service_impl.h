#ifndef SERVICES_ALERTS_ALERT_SERVICE_IMPL_H_
#define SERVICES_ALERTS_ALERT_SERVICE_IMPL_H_

// regulation.v1.AlertService: the thin gRPC adapter over AlertBook. Access (the role
// table) and the audit record come from the access interceptor, like every call.
//
// Thread safety: safe for concurrent calls. `book` must outlive the service.

#include "regulation/v1/alert_service.grpc.pb.h"
#include "services/alerts/alert_book.h"

namespace regulation::services {

class AlertServiceImpl final : public v1::AlertService::Service {
 public:
  explicit AlertServiceImpl(AlertBook* book) : book_(book) {}

  grpc::Status ListAlerts(grpc::ServerContext* context, const v1::ListAlertsRequest* request,
                          v1::ListAlertsResponse* response) override;
  grpc::Status WatchAlerts(grpc::ServerContext* context, const v1::WatchAlertsRequest* request,
                           grpc::ServerWriter<v1::Alert>* writer) override;
  grpc::Status AcknowledgeAlert(grpc::ServerContext* context,
                                const v1::AcknowledgeAlertRequest* request,
                                v1::Alert* response) override;
  grpc::Status GetAlertRules(grpc::ServerContext* context, const v1::GetAlertRulesRequest* request,
                             v1::AlertRules* response) override;
  grpc::Status UpdateAlertRules(grpc::ServerContext* context,
                                const v1::UpdateAlertRulesRequest* request,
                                v1::AlertRules* response) override;

 private:
  AlertBook* const book_;
};

}  // namespace regulation::services

#endif  // SERVICES_ALERTS_ALERT_SERVICE_IMPL_H_
