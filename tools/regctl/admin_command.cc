#include "tools/regctl/admin_command.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "regulation/v1/admin_service.grpc.pb.h"
#include "services/backup/backup_receiver.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Backup(const AdminOptions& options, const ConnectionOptions& connection_options,
           std::FILE* out) {
  if (options.out.empty()) {
    return UsageError({"admin"}, "admin backup needs --out=DIR (a directory that does not exist)");
  }
  absl::StatusOr<std::unique_ptr<backup::BackupReceiver>> receiver =
      backup::BackupReceiver::Create(options.out);
  if (!receiver.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(receiver.status().message()).c_str());
    return kExitUsage;
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  auto stub = v1::AdminService::NewStub(connection->channel());
  // No deadline: a backup takes as long as the data takes (Ctrl-C stops it, and then
  // nothing is left behind).
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::BackupChunk>> stream =
      stub->Backup(&context, v1::BackupRequest());
  v1::BackupChunk chunk;
  absl::Status written;
  while (stream->Read(&chunk)) {
    written = (*receiver)->Add(chunk);
    if (!written.ok()) {
      context.TryCancel();
      break;
    }
  }
  const grpc::Status status = stream->Finish();
  if (!written.ok()) {
    std::fprintf(stderr, "error: backup not written: %s\n", written.ToString().c_str());
    return kExitServerError;
  }
  if (!status.ok()) return ReportFailure(CallStatus(status), connection_options);
  absl::StatusOr<v1::BackupManifest> manifest = (*receiver)->Finish();
  if (!manifest.ok()) {
    std::fprintf(stderr, "error: backup not written: %s\n", manifest.status().ToString().c_str());
    return kExitServerError;
  }
  const std::string checkpoint = manifest->log_checkpoint();
  const size_t first = checkpoint.find('\n');
  const size_t second = first == std::string::npos ? first : checkpoint.find('\n', first + 1);
  const std::string log_size = second == std::string::npos
                                   ? "none"
                                   : checkpoint.substr(first + 1, second - first - 1);
  std::fprintf(out,
               "backup written to %s: %d files, %lld bytes; disclosure log at least %s "
               "entries, audit trail at least %llu records\n"
               "restore with: regulatord --restore_from=%s --data_dir=NEW_DIR "
               "--published_checkpoint=SITE/checkpoint (the log signing key goes in NEW_DIR "
               "first)\n",
               options.out.c_str(), manifest->files_size(),
               static_cast<long long>((*receiver)->bytes_received()), log_size.c_str(),
               static_cast<unsigned long long>(manifest->audit_head_sequence()),
               options.out.c_str());
  return kExitOk;
}

}  // namespace

int RunAdminCommand(const std::vector<std::string>& args, const AdminOptions& options,
                    const ConnectionOptions& connection, std::FILE* out) {
  if (args.size() == 2 && args[1] == "backup") return Backup(options, connection, out);
  return UsageError({"admin"}, "admin takes one verb: backup");
}

}  // namespace regulation::regctl
