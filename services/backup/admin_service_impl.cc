#include "services/backup/admin_service_impl.h"

#include "services/access/serve.h"

namespace regulation::backup {

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context, const v1::BackupRequest*,
                                      grpc::ServerWriter<v1::BackupChunk>* writer) {
  return access::Serve(context, [&](const access::Caller&) {
    return backups_->Run([&](const v1::BackupChunk& chunk) {
      return !context->IsCancelled() && writer->Write(chunk);
    });
  });
}

}  // namespace regulation::backup
