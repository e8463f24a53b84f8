#include "tools/regctl/recusal_command.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

std::string ShortName(const std::string& name, absl::string_view prefix) {
  return name.substr(prefix.size());
}

class RecusalCommand {
 public:
  RecusalCommand(const Connection& connection, const RecusalOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::InspectionService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int Request(const std::string& plan_id) {
    v1::RequestRecusalRequest request;
    request.set_plan_id(plan_id);
    request.set_inspector_id(options_.inspector_id);
    request.set_grounds(options_.grounds);
    request.set_credit_code(options_.credit_code);
    request.set_request_id(NewRequestId());
    v1::Recusal response;
    return Finish(CallRpc(connection_, *stub_, &v1::InspectionService::Stub::RequestRecusal,
                          request, &response, RpcKind::kWrite),
                  response);
  }

  int Decide(const std::string& plan_id, const std::string& recusal_id, bool grant) {
    v1::DecideRecusalRequest request;
    request.set_plan_id(plan_id);
    request.set_recusal_id(recusal_id);
    request.set_grant(grant);
    request.set_reason(options_.reason);
    request.set_request_id(NewRequestId());
    v1::Recusal response;
    return Finish(CallRpc(connection_, *stub_, &v1::InspectionService::Stub::DecideRecusal,
                          request, &response, RpcKind::kWrite),
                  response);
  }

  int List(const std::string& plan_id) {
    v1::ListRecusalsRequest request;
    request.set_plan_id(plan_id);
    request.set_credit_code(options_.credit_code);
    v1::ListRecusalsResponse all;
    const grpc::Status status = ListPages(connection_, *stub_,
                                          &v1::InspectionService::Stub::ListRecusals, request,
                                          /*all_pages=*/true, &all);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table = NewTable();
    for (const v1::Recusal& r : all.recusals()) table.AddRow(Row(r));
    std::fputs(table.Render().c_str(), out_);
    return kExitOk;
  }

  int MyDraws() {
    v1::ListMyDrawsRequest request;
    request.set_credit_code(options_.credit_code);
    v1::ListMyDrawsResponse all;
    const grpc::Status status = ListPages(connection_, *stub_,
                                          &v1::InspectionService::Stub::ListMyDraws, request,
                                          /*all_pages=*/true, &all);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table({"PLAN", "ROUND", "KIND", "RANK", "TICKET", "TEAM", "BUNDLE", "LOG RECORD"});
    for (const v1::EnterpriseDraw& d : all.draws()) {
      table.AddRow({d.plan_id(), absl::StrCat(d.round()), d.round_kind(), absl::StrCat(d.rank()),
                    d.ticket().substr(0, 14),
                    d.inspector_ids().empty() ? "unstaffed" : absl::StrJoin(d.inspector_ids(), ","),
                    d.bundle_digest().substr(0, 16),
                    d.log_index() > 0 ? absl::StrCat(d.log_index()) : "-"});
    }
    std::fputs(table.Render().c_str(), out_);
    if (all.draws_size() > 0) {
      std::fprintf(out_,
                   "check one yourself: its bundle is the attachment of the LOG RECORD on the "
                   "public site; regctl verify-draw BUNDLE --credit_code=C [--risk_class=X]\n");
    }
    return kExitOk;
  }

 private:
  static Table NewTable() {
    return Table({"PLAN", "RECUSAL", "ENTERPRISE", "INSPECTOR", "STATE", "DECISION"});
  }

  static std::vector<std::string> Row(const v1::Recusal& r) {
    return {r.plan_id(), r.recusal_id(), r.credit_code(), r.inspector_id(),
            ShortName(v1::RecusalState_Name(r.state()), "RECUSAL_STATE_"),
            r.decision_reason().empty() ? "-" : r.decision_reason()};
  }

  int Finish(const grpc::Status& status, const v1::Recusal& r) {
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(r).c_str(), out_);
      return kExitOk;
    }
    Table table = NewTable();
    table.AddRow(Row(r));
    std::fputs(table.Render().c_str(), out_);
    return kExitOk;
  }

  const Connection& connection_;
  std::unique_ptr<v1::InspectionService::Stub> stub_;
  const RecusalOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunRecusalCommand(const std::vector<std::string>& args, const RecusalOptions& options,
                      const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return UsageError({"recusal"}, "missing subcommand");
  const bool mine = args[0] == "my-draws";
  auto usage = [&](absl::string_view message) {
    return UsageError({mine ? "my-draws" : "recusal"}, message);
  };
  std::vector<std::string> rest(args.begin() + 1, args.end());
  std::string verb;
  if (mine) {
    if (!rest.empty()) return usage("my-draws takes no arguments");
  } else {
    if (rest.empty()) return usage("missing subcommand: request, grant, refuse or list");
    verb = rest[0];
    rest.erase(rest.begin());
    if (verb == "request") {
      if (rest.size() != 1) return usage("request takes one argument: the plan id");
      if (options.inspector_id.empty() || options.grounds.empty()) {
        return usage("request needs --inspector_id and --grounds");
      }
    } else if (verb == "grant" || verb == "refuse") {
      if (rest.size() != 2) return usage(absl::StrCat(verb, " takes the plan id and the recusal id"));
      if (options.reason.empty()) return usage(absl::StrCat(verb, " needs --reason"));
    } else if (verb == "list") {
      if (rest.size() > 1) return usage("list takes at most one argument: the plan id");
    } else {
      return usage(absl::StrCat("unknown subcommand \"", verb, "\""));
    }
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  RecusalCommand command(*connection, options, out);
  if (mine) return command.MyDraws();
  if (verb == "request") return command.Request(rest[0]);
  if (verb == "grant" || verb == "refuse") return command.Decide(rest[0], rest[1], verb == "grant");
  return command.List(rest.empty() ? "" : rest[0]);
}

}  // namespace regulation::regctl
