#include "services/audit/audit_service_impl.h"

#include "common/status_macros.h"
#include "services/access/serve.h"

namespace regulation::audit {

grpc::Status AuditServiceImpl::ListAuditRecords(grpc::ServerContext* context,
                                                const v1::ListAuditRecordsRequest* request,
                                                v1::ListAuditRecordsResponse* response) {
  return access::Serve(context, [&](const access::Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(*response, log_->List(*request));
    return absl::OkStatus();
  });
}

}  // namespace regulation::audit
