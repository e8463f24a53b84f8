#ifndef SERVICES_BACKUP_ADMIN_SERVICE_IMPL_H_
#define SERVICES_BACKUP_ADMIN_SERVICE_IMPL_H_

// regulation.v1.AdminService: the gRPC adapter over BackupMaker. Access (admin only)
// and the audit record come from the access interceptor, like every call.
//
// Thread safety: safe for concurrent calls. `backups` must outlive the service.

#include "regulation/v1/admin_service.grpc.pb.h"
#include "services/backup/backup_maker.h"

namespace regulation::backup {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  explicit AdminServiceImpl(BackupMaker* backups) : backups_(backups) {}

  grpc::Status Backup(grpc::ServerContext* context, const v1::BackupRequest* request,
                      grpc::ServerWriter<v1::BackupChunk>* writer) override;

 private:
  BackupMaker* const backups_;
};

}  // namespace regulation::backup

#endif  // SERVICES_BACKUP_ADMIN_SERVICE_IMPL_H_
