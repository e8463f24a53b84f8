#include "tools/regctl/entropy_command.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "tools/regctl/jsonl_upsert.h"
#include "tools/regctl/plan_format.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using Stub = v1::InspectionService::Stub;

int Usage(absl::string_view message) { return UsageError({"entropy"}, message); }

// The source to register: the file, and the certificate file when given.
absl::StatusOr<v1::RegisteredEntropySource> ReadSource(const EntropyOptions& options) {
  if (options.file.empty()) return absl::InvalidArgumentError("register needs --file=SOURCE.json");
  absl::StatusOr<std::string> text = ReadWholeFile(options.file);
  if (!text.ok())
    return absl::InvalidArgumentError(absl::StrCat("--file: ", text.status().message()));
  v1::RegisteredEntropySource source;
  if (absl::Status parsed = ParseCanonicalJson(*text, &source); !parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--file: ", options.file, ": ", parsed.message()));
  }
  if (!options.cert.empty()) {
    absl::StatusOr<std::string> pem = ReadWholeFile(options.cert);
    if (!pem.ok())
      return absl::InvalidArgumentError(absl::StrCat("--cert: ", pem.status().message()));
    source.set_certificate_pem(*pem);
  }
  return source;
}

}  // namespace

int RunEntropyCommand(const std::vector<std::string>& args, const EntropyOptions& options,
                      const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("entropy: missing verb");
  const std::string& verb = args[0];
  if (verb != "register" && verb != "list" && verb != "retire") {
    return Usage(absl::StrCat("unknown command \"entropy ", verb, "\""));
  }
  if (args.size() != (verb == "retire" ? 2u : 1u)) {
    return Usage(verb == "retire" ? "entropy retire takes one source id"
                                  : absl::StrCat("entropy ", verb, " takes flags, not arguments"));
  }
  v1::RegisteredEntropySource source;
  if (verb == "register") {
    absl::StatusOr<v1::RegisteredEntropySource> read = ReadSource(options);
    if (!read.ok()) return Usage(read.status().message());
    source = *std::move(read);
  }
  if (verb == "retire" && options.reason.empty()) {
    return Usage("entropy retire needs --reason=TEXT (published)");
  }

  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  std::unique_ptr<Stub> stub = v1::InspectionService::NewStub(connection->channel());
  auto print = [&](const google::protobuf::Message& message, const std::string& text) {
    std::fputs(options.output == OutputFormat::kJson ? ToJson(message).c_str() : text.c_str(), out);
  };
  auto fail = [&](const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_options);
  };
  if (verb == "register") {
    v1::RegisterEntropySourceRequest request;
    *request.mutable_source() = source;
    request.set_request_id(NewRequestId());
    v1::RegisteredEntropySource response;
    const grpc::Status status =
        CallRpc(*connection, *stub, &Stub::RegisterEntropySource, request, &response, RpcKind::kWrite);
    if (!status.ok()) return fail(status);
    print(response, FormatEntropySource(response));
    return kExitOk;
  }
  if (verb == "retire") {
    v1::RetireEntropySourceRequest request;
    request.set_source_id(args[1]);
    request.set_reason(options.reason);
    request.set_request_id(NewRequestId());
    v1::RegisteredEntropySource response;
    const grpc::Status status =
        CallRpc(*connection, *stub, &Stub::RetireEntropySource, request, &response, RpcKind::kWrite);
    if (!status.ok()) return fail(status);
    print(response, FormatEntropySource(response));
    return kExitOk;
  }
  v1::ListEntropySourcesRequest request;
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  v1::ListEntropySourcesResponse all;
  const grpc::Status status =
      ListPages(*connection, *stub, &Stub::ListEntropySources, request, options.all_pages, &all);
  if (!status.ok()) return fail(status);
  print(all, FormatEntropySourceTable(all.sources()));
  if (options.output == OutputFormat::kTable) PrintMorePages(all.next_page_token(), out);
  return kExitOk;
}

}  // namespace regulation::regctl
