#include "tools/regctl/import/enterprises.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tools/regctl/rpc_call.h"

namespace regulation::regctl {

absl::Status ImportEnterpriseRows(const Connection& connection, const EnterpriseCsvSchema& schema,
                                  CsvReader* reader, ImportLedger* ledger,
                                  const EnterpriseImportSettings& settings) {
  std::unique_ptr<v1::PortraitService::Stub> stub =
      v1::PortraitService::NewStub(connection.channel());
  ImportChunk chunk;
  v1::BatchUpsertEnterprisesRequest request;
  size_t request_bytes = 0;
  absl::flat_hash_set<std::string> codes;  // credit codes in `request`
  int64_t batches = 0;
  bool chunk_has_rows = false;

  auto flush = [&]() -> absl::Status {
    if (!chunk_has_rows) return absl::OkStatus();
    ChunkOutcome outcome;
    if (!chunk.item_lines.empty()) {
      request.set_request_id(NewRequestId());
      v1::BatchUpsertEnterprisesResponse response;
      const grpc::Status status =
          CallRpc(connection, *stub, &v1::PortraitService::Stub::BatchUpsertEnterprises, request,
                  &response, RpcKind::kWrite);
      if (!status.ok()) return CallStatus(status);
      chunk.batch_number = ++batches;
      outcome.accepted = response.upserted_count();
      outcome.changed = response.changed_count();
      outcome.errors.assign(response.errors().begin(), response.errors().end());
    }
    REG_RETURN_IF_ERROR(ledger->Complete(chunk, outcome));
    chunk = ImportChunk();
    request.Clear();
    request_bytes = 0;
    codes.clear();
    chunk_has_rows = false;
    return absl::OkStatus();
  };

  CsvRecord record;
  while (!ledger->error_limit_reached()) {
    const absl::StatusOr<bool> more = reader->Next(&record);
    if (!more.ok()) {
      // Rows read before the failure still get their answer, in line order.
      REG_RETURN_IF_ERROR(flush());
      ledger->ReportInputFailure(record.line, more.status().message());
      return absl::OkStatus();
    }
    if (!*more) break;
    ledger->NoteRead(record.end_offset);
    absl::StatusOr<v1::Enterprise> enterprise =
        record.error.empty() ? schema.ParseRow(record.fields)
                             : absl::InvalidArgumentError(
                                   record.error_field < 0
                                       ? record.error  // the record as a whole
                                       : absl::StrCat(schema.ColumnName(record.error_field), ": ",
                                                      record.error));
    if (enterprise.ok()) {
      const size_t bytes = enterprise->ByteSizeLong() + 8;
      if (codes.contains(enterprise->credit_code()) ||
          (!chunk.item_lines.empty() && request_bytes + bytes > settings.max_request_bytes)) {
        REG_RETURN_IF_ERROR(flush());
      }
      codes.insert(enterprise->credit_code());
      request_bytes += bytes;
      *request.add_enterprises() = *std::move(enterprise);
      chunk.item_lines.push_back(record.line);
    } else {
      chunk.parse_errors.push_back({record.line, std::string(enterprise.status().message())});
    }
    chunk.end_offset = record.end_offset;
    chunk.end_line = record.end_line;
    chunk_has_rows = true;
    if (chunk.item_lines.size() + chunk.parse_errors.size() >=
        static_cast<size_t>(settings.batch_size)) {
      REG_RETURN_IF_ERROR(flush());
    }
  }
  if (ledger->error_limit_reached()) return absl::OkStatus();
  return flush();
}

}  // namespace regulation::regctl
