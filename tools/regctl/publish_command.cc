#include "tools/regctl/publish_command.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "disclosure/site/publisher.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using Stub = v1::DisclosureService::Stub;

constexpr int kRecordsPerPage = 1000;
// The ExportLogFiles stream of a large first publish takes longer than one call.
constexpr int kStreamTimeoutFactor = 60;
constexpr absl::Duration kProgressInterval = absl::Seconds(5);

int Usage(absl::string_view message) { return UsageError({"publish"}, message); }

}  // namespace

GrpcSiteSource::GrpcSiteSource(const Connection* connection, std::FILE* progress)
    : connection_(connection),
      progress_(progress),
      stub_(v1::DisclosureService::NewStub(connection->channel())) {}

void GrpcSiteSource::Progress(const std::string& line) {
  const absl::Time now = absl::Now();
  if (progress_ == nullptr || now - last_progress_ < kProgressInterval) return;
  last_progress_ = now;
  absl::FPrintF(progress_, "publish: %s\n", line);
}

absl::StatusOr<v1::Checkpoint> GrpcSiteSource::LatestCheckpoint() {
  v1::Checkpoint checkpoint;
  const grpc::Status status = CallRpc(*connection_, *stub_, &Stub::GetCheckpoint,
                                      v1::GetCheckpointRequest(), &checkpoint, RpcKind::kRead);
  if (!status.ok()) return CallStatus(status);
  return checkpoint;
}

absl::Status GrpcSiteSource::ForEachRecord(int64_t from_index, int64_t to_index,
                                           const RecordVisitor& visit) {
  v1::ListPublicRecordsRequest request;
  request.set_from_index(from_index);
  request.set_page_size(kRecordsPerPage);
  while (true) {
    v1::ListPublicRecordsResponse response;
    const grpc::Status status = CallRpc(*connection_, *stub_, &Stub::ListPublicRecords, request,
                                        &response, RpcKind::kRead);
    if (!status.ok()) return CallStatus(status);
    for (v1::PublicRecord& record : *response.mutable_records()) {
      if (record.log_index() < from_index) continue;  // a server that ignores from_index
      if (record.log_index() >= to_index) return absl::OkStatus();
      if (record.kind() == v1::PUBLIC_RECORD_KIND_DRAW && record.attachment().empty() &&
          record.attachment_parts() == 0) {
        v1::GetPublicRecordRequest get;
        get.set_log_index(record.log_index());
        const grpc::Status got =
            CallRpc(*connection_, *stub_, &Stub::GetPublicRecord, get, &record, RpcKind::kRead);
        if (!got.ok()) return CallStatus(got);
      }
      ++records_fetched_;
      Progress(absl::StrFormat("%d records fetched (up to index %d of %d)", records_fetched_,
                               record.log_index(), to_index));
      if (absl::Status visited = visit(record); !visited.ok()) return visited;
    }
    if (response.next_page_token().empty() || response.records_size() == 0) return absl::OkStatus();
    request.set_page_token(response.next_page_token());
  }
}

absl::Status GrpcSiteSource::ForEachLogFile(int64_t from_size, const LogFileVisitor& visit) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(
      absl::Now() + connection_->options().call_timeout * kStreamTimeoutFactor));
  v1::ExportLogFilesRequest request;
  request.set_from_size(from_size);
  std::unique_ptr<grpc::ClientReader<v1::LogFile>> reader = stub_->ExportLogFiles(&context, request);
  v1::LogFile file;
  absl::Status visited;
  int64_t files = 0;
  while (visited.ok() && reader->Read(&file)) {
    visited = visit(file);
    Progress(absl::StrFormat("%d log files received (%s)", ++files, file.path()));
  }
  if (!visited.ok()) {
    context.TryCancel();
    (void)reader->Finish();
    return visited;
  }
  return CallStatus(reader->Finish());
}

absl::StatusOr<std::string> GrpcSiteSource::AttachmentPart(int64_t log_index, int64_t part) {
  v1::GetPublicAttachmentPartRequest request;
  request.set_log_index(log_index);
  request.set_part(static_cast<int32_t>(part));
  v1::PublicAttachmentPart response;
  const grpc::Status status = CallRpc(*connection_, *stub_, &Stub::GetPublicAttachmentPart,
                                      request, &response, RpcKind::kRead);
  if (!status.ok()) return CallStatus(status);
  return std::move(*response.mutable_data());
}

absl::StatusOr<std::vector<std::string>> GrpcSiteSource::ConsistencyProof(int64_t first,
                                                                           int64_t second) {
  v1::GetConsistencyProofRequest request;
  request.set_first_size(first);
  request.set_second_size(second);
  v1::GetConsistencyProofResponse response;
  const grpc::Status status = CallRpc(*connection_, *stub_, &Stub::GetConsistencyProof, request,
                                      &response, RpcKind::kRead);
  if (!status.ok()) return CallStatus(status);
  if (response.proof().first_size() != first || response.proof().second_size() != second) {
    return absl::DataLossError(absl::StrFormat(
        "asked for a consistency proof from %d to %d, got one from %d to %d", first, second,
        response.proof().first_size(), response.proof().second_size()));
  }
  return std::vector<std::string>(response.proof().hashes().begin(), response.proof().hashes().end());
}

int RunPublishCommand(const std::vector<std::string>& args, const PublishCommandOptions& options,
                      const ConnectionOptions& connection_options, std::FILE* out) {
  std::string dir = options.out_dir;
  if (dir.empty() && args.size() == 1) dir = args[0];
  if (dir.empty() || args.size() > 1 || (!options.out_dir.empty() && !args.empty())) {
    return Usage("publish takes the site directory: --out=DIR");
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  GrpcSiteSource source(&*connection, stderr);

  const absl::Time start = absl::Now();
  absl::Time last_progress = start;
  disclosure::site::PublishOptions publish;
  publish.verifier_key = options.verifier_key;
  publish.witness_keys = options.witness_keys;
  publish.site_url = options.site_url;
  publish.progress = [&](const disclosure::site::PublishProgress& p) {
    const absl::Time now = absl::Now();
    if (now - last_progress < kProgressInterval) return;
    last_progress = now;
    absl::FPrintF(stderr, "publish: %d/%d records published, %d files written, %.0f s\n",
                  p.records_done, p.records_total, p.files_written,
                  absl::ToDoubleSeconds(now - start));
  };
  absl::StatusOr<disclosure::site::PublishReport> report =
      disclosure::site::Publish(source, dir, publish);
  if (!report.ok()) return ReportFailure(report.status(), connection_options);
  if (report->trusted_on_first_use) {
    absl::FPrintF(stderr,
                  "note: trusted the log's key on first use: %s\n"
                  "      check it against one obtained independently, and pin it with "
                  "--verifier_key=KEY\n",
                  report->verifier_key);
  }
  absl::FPrintF(out, "published %s: %d new records (tree size %d, was %d), %d files written, %.1f s\n",
                dir, report->records, report->tree_size, report->previous_size,
                report->files_written, absl::ToDoubleSeconds(absl::Now() - start));
  return kExitOk;
}

}  // namespace regulation::regctl
