#ifndef SERVICES_SEAMS_ENTERPRISE_HISTORY_SERVICE_H_
#define SERVICES_SEAMS_ENTERPRISE_HISTORY_SERVICE_H_

// The server side of regulation.internal.v1.EnterpriseHistoryService: whoever serves
// portrait serves enterprise names and takes approved results' events (a
// LocalEnterpriseHistory) for disclosured. Who may call is the access interceptor's
// business (only the disclosured service identity). Events are checked as an event of
// the API is (ValidateEvent), and must carry the derived-result id prefix "result:".
//
// Thread safety: as grpc services; the history must be safe for concurrent use.

#include <grpcpp/grpcpp.h>

#include "common/clock.h"
#include "regulation/internal/v1/enterprise_history.grpc.pb.h"
#include "services/seams/enterprise_history.h"

namespace regulation::services {

class EnterpriseHistoryServiceImpl final
    : public internal::v1::EnterpriseHistoryService::Service {
 public:
  // Both must outlive the service.
  EnterpriseHistoryServiceImpl(EnterpriseHistory* history, Clock* clock)
      : history_(history), clock_(clock) {}

  grpc::Status GetEnterpriseName(grpc::ServerContext* context,
                                 const internal::v1::GetEnterpriseNameRequest* request,
                                 internal::v1::EnterpriseName* response) override;
  // INVALID_ARGUMENT "events[i]...." for an event that is not a valid derived result
  // event, or more than kMaxResultEventsPerCall events; nothing is recorded then.
  grpc::Status RecordResultEvents(grpc::ServerContext* context,
                                  const internal::v1::RecordResultEventsRequest* request,
                                  internal::v1::RecordResultEventsResponse* response) override;

 private:
  EnterpriseHistory* const history_;
  Clock* const clock_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ENTERPRISE_HISTORY_SERVICE_H_
