#ifndef SERVICES_AUDIT_AUDIT_SERVICE_IMPL_H_
#define SERVICES_AUDIT_AUDIT_SERVICE_IMPL_H_

// regulation.v1.AuditService over gRPC: each RPC admits the call (serve.h), then calls
// the AuditLog. No logic of its own.
//
// Thread safety: safe for concurrent calls (AuditLog is).

#include "regulation/v1/audit_service.grpc.pb.h"
#include "services/audit/audit_log.h"

namespace regulation::audit {

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  // `log` must outlive the service.
  explicit AuditServiceImpl(AuditLog* log) : log_(log) {}

  grpc::Status ListAuditRecords(grpc::ServerContext* context,
                                const v1::ListAuditRecordsRequest* request,
                                v1::ListAuditRecordsResponse* response) override;

 private:
  AuditLog* const log_;
};

}  // namespace regulation::audit

#endif  // SERVICES_AUDIT_AUDIT_SERVICE_IMPL_H_
