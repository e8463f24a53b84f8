#include "tools/regctl/portrait_command.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "tools/regctl/date_time_flag.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using Stub = v1::PortraitService::Stub;

int Usage(absl::string_view message) { return UsageError({"portrait"}, message); }

void PrintPortrait(const v1::Portrait& p, std::FILE* out) {
  std::fprintf(out, "%s as of %s: %lld events, schema %s\n", p.credit_code().c_str(),
               absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", *services::FromProtoTimestamp(p.as_of()),
                                ChinaTimeZone())
                   .c_str(),
               static_cast<long long>(p.event_count()), p.schema_digest().substr(0, 12).c_str());
  Table table({"FEATURE", "VALUE"});
  for (const v1::FeatureValue& f : p.features()) {
    table.AddRow({f.name(), absl::StrFormat("%g", f.value())});
  }
  std::fputs(table.Render().c_str(), out);
}

int Get(const Connection& connection, const std::string& code, const PortraitOptions& options,
        std::FILE* out) {
  auto stub = v1::PortraitService::NewStub(connection.channel());
  v1::Portrait portrait;
  grpc::Status status;
  if (options.as_of.empty()) {
    v1::GetPortraitRequest request;
    request.set_credit_code(code);
    status = CallRpc(connection, *stub, &Stub::GetPortrait, request, &portrait, RpcKind::kRead);
  } else {
    absl::StatusOr<absl::Time> when = ParseAsOfFlag("--as_of", options.as_of, absl::Now());
    if (!when.ok()) return Usage(when.status().message());
    v1::GetPortraitAsOfRequest request;
    request.set_credit_code(code);
    *request.mutable_as_of() = services::ToProtoTimestamp(*when);
    status =
        CallRpc(connection, *stub, &Stub::GetPortraitAsOf, request, &portrait, RpcKind::kRead);
  }
  if (!status.ok()) return ReportFailure(CallStatus(status), connection.options());
  if (options.output == OutputFormat::kJson) {
    std::fputs(ToJson(portrait).c_str(), out);
  } else {
    PrintPortrait(portrait, out);
  }
  return kExitOk;
}

int Verify(const Connection& connection, const PortraitOptions& options, std::FILE* out) {
  auto stub = v1::PortraitService::NewStub(connection.channel());
  v1::ListEnterprisesRequest list;
  list.set_region_prefix(options.region_prefix);
  list.set_page_size(1000);
  int64_t checked = 0, differing = 0;
  absl::Time last_progress = absl::Now();
  do {
    v1::ListEnterprisesResponse page;
    grpc::Status status =
        CallRpc(connection, *stub, &Stub::ListEnterprises, list, &page, RpcKind::kRead);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection.options());
    for (const v1::Enterprise& e : page.enterprises()) {
      v1::GetPortraitRequest current_request;
      current_request.set_credit_code(e.credit_code());
      v1::Portrait current;
      status = CallRpc(connection, *stub, &Stub::GetPortrait, current_request, &current,
                       RpcKind::kRead);
      if (!status.ok()) return ReportFailure(CallStatus(status), connection.options());
      v1::GetPortraitAsOfRequest past_request;
      past_request.set_credit_code(e.credit_code());
      *past_request.mutable_as_of() = current.as_of();
      v1::Portrait recomputed;
      status = CallRpc(connection, *stub, &Stub::GetPortraitAsOf, past_request, &recomputed,
                       RpcKind::kRead);
      if (!status.ok()) return ReportFailure(CallStatus(status), connection.options());
      ++checked;
      if (current.SerializeAsString() != recomputed.SerializeAsString()) {
        ++differing;
        std::fprintf(out, "DIFFERS: %s (kept: %lld events, recomputed: %lld)\n",
                     e.credit_code().c_str(), static_cast<long long>(current.event_count()),
                     static_cast<long long>(recomputed.event_count()));
      }
      if (absl::Now() - last_progress > absl::Seconds(5)) {
        last_progress = absl::Now();
        std::fprintf(stderr, "  %lld portraits checked\n", static_cast<long long>(checked));
      }
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  std::fprintf(out, "%s: %lld portraits checked, %lld differ from their recomputation\n",
               differing == 0 ? "CONSISTENT" : "INCONSISTENT", static_cast<long long>(checked),
               static_cast<long long>(differing));
  return differing == 0 ? kExitOk : kExitServerError;
}

}  // namespace

int RunPortraitCommand(const std::vector<std::string>& args, const PortraitOptions& options,
                       const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  if (args[0] == "get" && args.size() != 2) return Usage("get takes one credit code");
  if (args[0] == "verify" && args.size() != 1) return Usage("verify takes no arguments");
  if (args[0] != "get" && args[0] != "verify") {
    return Usage(absl::StrCat("unknown subcommand \"", args[0], "\""));
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  return args[0] == "get" ? Get(*connection, args[1], options, out)
                          : Verify(*connection, options, out);
}

}  // namespace regulation::regctl
