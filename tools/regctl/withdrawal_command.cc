#include "tools/regctl/withdrawal_command.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "tools/regctl/enum_flag.h"
#include "tools/regctl/output.h"
#include "tools/regctl/proto_text.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"withdrawal"}, message); }

std::string ShortState(v1::WithdrawalState state) {
  return ShortEnumName(v1::WithdrawalState_Name(state), "WITHDRAWAL_STATE_");
}

class WithdrawalCommand {
 public:
  WithdrawalCommand(const Connection& connection, const WithdrawalOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::DisclosureService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int Request(int64_t index) {
    if (options_.reason.empty() || options_.legal_basis.empty()) {
      return Usage("request needs --reason and --legal_basis");
    }
    v1::RequestWithdrawalRequest request;
    request.set_log_index(index);
    request.set_reason(options_.reason);
    request.set_legal_basis(options_.legal_basis);
    request.set_request_id(NewRequestId());
    v1::Withdrawal response;
    return Finish(CallRpc(connection_, *stub_, &v1::DisclosureService::Stub::RequestWithdrawal,
                          request, &response, RpcKind::kWrite),
                  response);
  }

  int Approve(int64_t index) {
    v1::ApproveWithdrawalRequest request;
    request.set_log_index(index);
    request.set_comment(options_.comment);
    request.set_request_id(NewRequestId());
    v1::Withdrawal response;
    return Finish(CallRpc(connection_, *stub_, &v1::DisclosureService::Stub::ApproveWithdrawal,
                          request, &response, RpcKind::kWrite),
                  response);
  }

  int List() {
    v1::ListWithdrawalsRequest request;
    if (!options_.state.empty()) {
      absl::StatusOr<v1::WithdrawalState> state =
          ParseEnumFlag<v1::WithdrawalState>("WITHDRAWAL_STATE_", "--state", options_.state);
      if (!state.ok()) return Usage(state.status().message());
      request.set_state(*state);
    }
    v1::ListWithdrawalsResponse all;
    const grpc::Status status = ListPages(connection_, *stub_,
                                          &v1::DisclosureService::Stub::ListWithdrawals, request,
                                          /*all_pages=*/true, &all);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    Table table = NewTable();
    for (const v1::Withdrawal& w : all.withdrawals()) table.AddRow(Row(w));
    PrintJsonOrTable(out_, options_.output, all, table);
    return kExitOk;
  }

 private:
  static Table NewTable() {
    return Table({"RECORD", "KEY", "STATE", "LEGAL BASIS", "ASKED BY", "APPROVED BY", "WITHDRAWAL"});
  }

  static std::vector<std::string> Row(const v1::Withdrawal& w) {
    return {absl::StrCat(w.log_index()), w.record_key(), ShortState(w.state()), w.legal_basis(),
            w.requested_by(), w.approved_by().empty() ? "-" : w.approved_by(),
            w.withdrawal_logged() ? absl::StrCat("record ", w.withdrawal_index())
            : w.state() == v1::WITHDRAWAL_STATE_WITHDRAWN ? "queued"
                                                          : "-"};
  }

  int Finish(const grpc::Status& status, const v1::Withdrawal& w) {
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(w).c_str(), out_);
      return kExitOk;
    }
    Table table = NewTable();
    table.AddRow(Row(w));
    std::fputs(table.Render().c_str(), out_);
    if (w.state() == v1::WITHDRAWAL_STATE_REQUESTED) {
      std::fprintf(out_, "asked; an admin approves it: regctl withdrawal approve %lld\n",
                   static_cast<long long>(w.log_index()));
    } else {
      std::fprintf(out_,
                   "the body of record %lld is withdrawn; `regctl publish` removes it from the "
                   "public site\n",
                   static_cast<long long>(w.log_index()));
    }
    return kExitOk;
  }

  const Connection& connection_;
  std::unique_ptr<v1::DisclosureService::Stub> stub_;
  const WithdrawalOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunWithdrawalCommand(const std::vector<std::string>& args, const WithdrawalOptions& options,
                         const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  const std::string& verb = args[0];
  int64_t index = -1;
  if (verb == "request" || verb == "approve") {
    if (args.size() != 2 || !absl::SimpleAtoi(args[1], &index) || index < 0) {
      return Usage(absl::StrCat(verb, " takes one argument: the record's log index"));
    }
  } else if (verb != "list") {
    return Usage(absl::StrCat("unknown subcommand \"", verb, "\""));
  } else if (args.size() != 1) {
    return Usage("list takes no arguments");
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  WithdrawalCommand command(*connection, options, out);
  if (verb == "request") return command.Request(index);
  if (verb == "approve") return command.Approve(index);
  return command.List();
}

}  // namespace regulation::regctl
