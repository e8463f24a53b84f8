#include "tools/regctl/objection_command.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "tools/regctl/result_content_flags.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"objection"}, message); }

std::string ShortState(v1::ObjectionState state) {
  const std::string name = v1::ObjectionState_Name(state);
  return name.substr(std::string("OBJECTION_STATE_").size());
}

std::string Day(const v1::Date& d) {
  return d.year() == 0 ? "-" : absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

class ObjectionCommand {
 public:
  ObjectionCommand(const Connection& connection, const ObjectionOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::DisclosureService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int File(const std::string& result_id) {
    if (options_.credit_code.empty() || options_.grounds.empty()) {
      return Usage("file needs --credit_code (your own) and --grounds");
    }
    v1::FileObjectionRequest request;
    request.set_credit_code(options_.credit_code);
    request.set_result_id(result_id);
    request.set_grounds(options_.grounds);
    for (const std::string& ref : options_.evidence) request.add_evidence_refs(ref);
    request.set_request_id(NewRequestId());
    v1::Objection response;
    return Finish(CallRpc(connection_, *stub_, &v1::DisclosureService::Stub::FileObjection,
                          request, &response, RpcKind::kWrite),
                  response);
  }

  int Answer(const std::string& objection_id) {
    v1::AnswerObjectionRequest request;
    request.set_objection_id(objection_id);
    const std::string decision = absl::AsciiStrToLower(options_.decision);
    if (decision == "upheld") {
      request.set_decision(v1::OBJECTION_STATE_UPHELD);
      absl::StatusOr<v1::InspectionResult> content = ParseResultContent(
          options_.category, options_.findings, options_.follow_up, options_.end_date);
      if (!content.ok()) {
        return Usage(absl::StrCat("upheld needs the corrected content: ", content.status().message()));
      }
      *request.mutable_corrected() = *content;
    } else if (decision == "rejected") {
      request.set_decision(v1::OBJECTION_STATE_REJECTED);
    } else {
      return Usage("answer needs --decision=upheld or --decision=rejected");
    }
    if (options_.reason.empty()) return Usage("answer needs --reason (published)");
    request.set_reason(options_.reason);
    request.set_request_id(NewRequestId());
    v1::Objection response;
    return Finish(CallRpc(connection_, *stub_, &v1::DisclosureService::Stub::AnswerObjection,
                          request, &response, RpcKind::kWrite),
                  response);
  }

  int Get(const std::string& objection_id) {
    v1::GetObjectionRequest request;
    request.set_objection_id(objection_id);
    request.set_credit_code(options_.credit_code);
    v1::Objection response;
    return Finish(CallRpc(connection_, *stub_, &v1::DisclosureService::Stub::GetObjection,
                          request, &response, RpcKind::kRead),
                  response);
  }

  int List() {
    v1::ListObjectionsRequest request;
    request.set_credit_code(options_.credit_code);
    request.set_overdue_only(options_.overdue);
    if (!options_.state.empty()) {
      v1::ObjectionState state;
      if (!v1::ObjectionState_Parse(
              absl::StrCat("OBJECTION_STATE_", absl::AsciiStrToUpper(options_.state)), &state) ||
          state == v1::OBJECTION_STATE_UNSPECIFIED) {
        return Usage("--state: open, upheld or rejected");
      }
      request.set_state(state);
    }
    v1::ListObjectionsResponse all;
    const grpc::Status status = ListPages(connection_, *stub_,
                                          &v1::DisclosureService::Stub::ListObjections, request,
                                          /*all_pages=*/true, &all);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table = NewTable();
    for (const v1::Objection& o : all.objections()) table.AddRow(Row(o));
    std::fputs(table.Render().c_str(), out_);
    return kExitOk;
  }

 private:
  static Table NewTable() {
    return Table({"OBJECTION", "ENTERPRISE", "STATE", "DUE", "DAYS LEFT", "OUTCOME RECORD",
                  "CORRECTION RECORD"});
  }

  static std::string RecordCell(const std::string& key, bool logged, int64_t index) {
    if (key.empty()) return "-";
    return logged ? absl::StrCat("record ", index) : "queued";
  }

  static std::vector<std::string> Row(const v1::Objection& o) {
    const bool open = o.state() == v1::OBJECTION_STATE_OPEN;
    return {o.objection_id(), o.credit_code(),
            absl::StrCat(ShortState(o.state()), o.overdue() ? " (OVERDUE)" : ""),
            Day(o.answer_deadline()), open ? absl::StrCat(o.working_days_left()) : "-",
            RecordCell(o.outcome_key(), o.outcome_logged(), o.outcome_index()),
            RecordCell(o.correction_key(), o.correction_logged(), o.correction_index())};
  }

  int Finish(const grpc::Status& status, const v1::Objection& o) {
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(o).c_str(), out_);
      return kExitOk;
    }
    Table table = NewTable();
    table.AddRow(Row(o));
    std::fputs(table.Render().c_str(), out_);
    if (o.state() == v1::OBJECTION_STATE_OPEN) {
      std::fprintf(out_, "open; the result's agency answers by %s: regctl objection answer %s\n",
                   Day(o.answer_deadline()).c_str(), o.objection_id().c_str());
    } else {
      std::fprintf(out_, "%s; `regctl publish` shows the outcome%s on the public site\n",
                   ShortState(o.state()).c_str(),
                   o.correction_key().empty() ? "" : " and the correction");
    }
    return kExitOk;
  }

  const Connection& connection_;
  std::unique_ptr<v1::DisclosureService::Stub> stub_;
  const ObjectionOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunObjectionCommand(const std::vector<std::string>& args, const ObjectionOptions& options,
                        const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  const std::string& verb = args[0];
  if (verb == "file" || verb == "answer" || verb == "get") {
    if (args.size() != 2 || args[1].empty()) {
      return Usage(absl::StrCat(verb, " takes one argument: the ",
                                verb == "file" ? "result id" : "objection id"));
    }
  } else if (verb != "list") {
    return Usage(absl::StrCat("unknown subcommand \"", verb, "\""));
  } else if (args.size() != 1) {
    return Usage("list takes no arguments");
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  ObjectionCommand command(*connection, options, out);
  if (verb == "file") return command.File(args[1]);
  if (verb == "answer") return command.Answer(args[1]);
  if (verb == "get") return command.Get(args[1]);
  return command.List();
}

}  // namespace regulation::regctl
