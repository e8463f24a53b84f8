#include "tools/regctl/result_command.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "services/disclosure/publication_preview.h"
#include "tools/regctl/date_time_flag.h"
#include "tools/regctl/result_content_flags.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"results"}, message); }

std::string ShortState(v1::ResultState state) {
  std::string name = v1::ResultState_Name(state);
  return absl::StartsWith(name, "RESULT_STATE_") ? name.substr(13) : name;
}

std::string FormatDate(const v1::Date& d) {
  return d.year() == 0 ? "" : absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

class ResultCommand {
  using Stub = v1::DisclosureService::Stub;

 public:
  ResultCommand(const Connection& connection, const ResultOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::DisclosureService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  // The content flags (--category, --findings, --follow_up, --inspection_end) as a result.
  absl::StatusOr<v1::InspectionResult> Content() {
    return ParseResultContent(options_.category, options_.findings, options_.follow_up,
                              options_.end_date);
  }

  int Submit() {
    if (options_.plan.empty() || options_.credit_code.empty()) {
      return Usage("submit needs --plan and --credit_code");
    }
    absl::StatusOr<v1::InspectionResult> content = Content();
    if (!content.ok()) return Usage(content.status().message());
    v1::SubmitResultRequest request;
    *request.mutable_result() = *content;
    request.mutable_result()->set_plan_id(options_.plan);
    request.mutable_result()->set_credit_code(options_.credit_code);
    request.set_request_id(NewRequestId());
    v1::InspectionResult response;
    return Finish(CallRpc(connection_, *stub_, &Stub::SubmitResult, request, &response, RpcKind::kWrite),
                  response);
  }

  // Prints what approval would publish. The digest is checked here too, over the body
  // received: the approver's digest must cover the bytes shown, not others.
  int Preview(const std::string& id) {
    v1::PreviewPublicationRequest request;
    request.set_result_id(id);
    v1::PublicationPreview preview;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::PreviewPublication, request, &preview, RpcKind::kRead);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (services::PreviewDigest(preview.result_id(), preview.result_version(),
                                preview.body_json()) != preview.preview_digest()) {
      std::fprintf(stderr,
                   "error: the server's preview_digest does not cover the body it sent; do not "
                   "approve\n");
      return kExitServerError;
    }
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(preview).c_str(), out_);
      return kExitOk;
    }
    std::fprintf(out_, "result %s (version %lld): %d removal(s) of personal data\n",
                 preview.result_id().c_str(), static_cast<long long>(preview.result_version()),
                 preview.redactions_size());
    if (preview.redactions_size() > 0) {
      Table table({"FIELD", "KIND", "REMOVED (never published)", "PUBLISHED AS"});
      for (const v1::PreviewRedaction& r : preview.redactions()) {
        table.AddRow({r.field(), r.kind(), r.original(), r.mask()});
      }
      std::fputs(table.Render().c_str(), out_);
    }
    std::string later;
    for (const std::string& field : preview.set_at_approval()) {
      absl::StrAppend(&later, later.empty() ? "" : " and ", field);
    }
    std::fprintf(out_,
                 "the public record, byte for byte (approval adds %s, the approval time):\n%s\n"
                 "preview_digest: %s\n"
                 "approve with: regctl results approve %s --preview_digest=%s\n",
                 later.c_str(), preview.body_json().c_str(), preview.preview_digest().c_str(),
                 preview.result_id().c_str(), preview.preview_digest().c_str());
    return kExitOk;
  }

  int Approve(const std::string& id) {
    if (options_.preview_digest.empty()) {
      return Usage(
          "approve needs --preview_digest: run `regctl results preview RESULT_ID`, check what "
          "will be published, and pass the digest it prints");
    }
    v1::ApproveResultRequest request;
    request.set_result_id(id);
    request.set_comment(options_.comment);
    request.set_preview_digest(options_.preview_digest);
    request.set_request_id(NewRequestId());
    v1::InspectionResult response;
    return Finish(CallRpc(connection_, *stub_, &Stub::ApproveResult, request, &response, RpcKind::kWrite),
                  response);
  }

  int Return(const std::string& id) {
    v1::ReturnResultRequest request;
    request.set_result_id(id);
    request.set_comment(options_.comment);
    request.set_request_id(NewRequestId());
    v1::InspectionResult response;
    return Finish(CallRpc(connection_, *stub_, &Stub::ReturnResult, request, &response, RpcKind::kWrite),
                  response);
  }

  int Correct(const std::string& id) {
    if (options_.corrects_index < 0) return Usage("correct needs --corrects_index");
    absl::StatusOr<v1::InspectionResult> content = Content();
    if (!content.ok()) return Usage(content.status().message());
    v1::PublishCorrectionRequest request;
    *request.mutable_result() = *content;
    request.mutable_result()->set_result_id(id);
    request.set_corrects_index(options_.corrects_index);
    request.set_reason(options_.reason);
    request.set_request_id(NewRequestId());
    v1::PublicRecord response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::PublishCorrection, request, &response, RpcKind::kWrite);
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(response).c_str(), out_);
    } else {
      if (response.logged()) {
        std::fprintf(out_, "correction published as log record %lld (corrects %lld)\n",
                     static_cast<long long>(response.log_index()),
                     static_cast<long long>(response.corrects_index()));
      } else {
        std::fprintf(out_,
                     "correction accepted and queued: the log will take it on its next write "
                     "(corrects %lld)\n",
                     static_cast<long long>(response.corrects_index()));
      }
    }
    return kExitOk;
  }

  int Get(const std::string& id) {
    v1::GetResultRequest request;
    request.set_result_id(id);
    v1::InspectionResult response;
    return Finish(CallRpc(connection_, *stub_, &Stub::GetResult, request, &response, RpcKind::kRead),
                  response);
  }

  int List() {
    v1::ListResultsRequest request;
    request.set_plan_id(options_.plan);
    request.set_credit_code(options_.credit_code);
    if (!options_.state.empty()) {
      v1::ResultState state;
      if (!v1::ResultState_Parse(absl::StrCat("RESULT_STATE_", absl::AsciiStrToUpper(options_.state)),
                                 &state)) {
        return Usage("--state: SUBMITTED, RETURNED, APPROVED or PUBLISHED");
      }
      request.set_state(state);
    }
    v1::ListResultsResponse all;
    while (true) {
      v1::ListResultsResponse page;
      const grpc::Status status = CallRpc(connection_, *stub_, &Stub::ListResults, request, &page, RpcKind::kRead);
      if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
      all.mutable_results()->MergeFrom(page.results());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table({"RESULT", "CATEGORY", "STATE", "ENDED", "DEADLINE", "LOG"});
    for (const v1::InspectionResult& r : all.results()) table.AddRow(Row(r));
    std::fputs(table.Render().c_str(), out_);
    return kExitOk;
  }

  int Overdue() {
    v1::ListOverdueRequest request;
    request.set_within_working_days(options_.within);
    if (!options_.as_of.empty()) {
      absl::StatusOr<v1::Date> day = ParseDate("--as_of", options_.as_of);
      if (!day.ok()) return Usage(day.status().message());
      *request.mutable_as_of() = *day;
    }
    v1::ListOverdueResponse all;
    while (true) {
      v1::ListOverdueResponse page;
      const grpc::Status status = CallRpc(connection_, *stub_, &Stub::ListOverdue, request, &page, RpcKind::kRead);
      if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
      all.mutable_results()->MergeFrom(page.results());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table({"RESULT", "STATE", "DEADLINE", "WORKING DAYS LEFT"});
    for (const v1::OverdueResult& o : all.results()) {
      table.AddRow({o.result().result_id(), ShortState(o.result().state()),
                    FormatDate(o.result().publish_deadline()),
                    o.working_days_left() < 0 ? absl::StrCat(-o.working_days_left(), " LATE")
                                              : absl::StrCat(o.working_days_left())});
    }
    std::fputs(table.Render().c_str(), out_);
    std::fprintf(out_, "%d result(s)\n", all.results_size());
    return kExitOk;
  }

 private:
  static std::vector<std::string> Row(const v1::InspectionResult& r) {
    return {r.result_id(), v1::InspectionResultCategory_Name(r.category()), ShortState(r.state()),
            FormatDate(r.inspection_end_date()), FormatDate(r.publish_deadline()),
            r.state() == v1::RESULT_STATE_PUBLISHED ? absl::StrCat(r.log_index()) : "-"};
  }

  int Finish(const grpc::Status& status, const v1::InspectionResult& r) {
    if (!status.ok()) return ReportFailure(CallStatus(status), connection_.options());
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(r).c_str(), out_);
      return kExitOk;
    }
    Table table({"RESULT", "CATEGORY", "STATE", "ENDED", "DEADLINE", "LOG"});
    table.AddRow(Row(r));
    std::fputs(table.Render().c_str(), out_);
    // The text itself, not only in --output=json: what was found is the point of a result.
    std::fprintf(out_, "plan: %s  enterprise: %s\n", r.plan_id().c_str(), r.credit_code().c_str());
    std::fprintf(out_, "findings: %s\n", r.findings().empty() ? "-" : r.findings().c_str());
    std::fprintf(out_, "follow-up: %s\n",
                 r.follow_up_measures().empty() ? "-" : r.follow_up_measures().c_str());
    if (!r.review_comment().empty()) {
      std::fprintf(out_, "review comment: %s\n", r.review_comment().c_str());
    }
    return kExitOk;
  }

  const Connection& connection_;
  std::unique_ptr<v1::DisclosureService::Stub> stub_;
  const ResultOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunResultCommand(const std::vector<std::string>& args, const ResultOptions& options,
                     const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  const std::string& verb = args[0];
  const bool takes_id = verb == "preview" || verb == "approve" || verb == "return" ||
                        verb == "correct" || verb == "get";
  const bool takes_none = verb == "submit" || verb == "list" || verb == "overdue";
  if (!takes_id && !takes_none) return Usage(absl::StrCat("unknown subcommand \"", verb, "\""));
  if (takes_id && args.size() != 2) return Usage(absl::StrCat(verb, " takes one RESULT_ID"));
  if (takes_none && args.size() != 1) return Usage(absl::StrCat(verb, " takes flags only"));
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  ResultCommand command(*connection, options, out);
  if (verb == "submit") return command.Submit();
  if (verb == "preview") return command.Preview(args[1]);
  if (verb == "approve") return command.Approve(args[1]);
  if (verb == "return") return command.Return(args[1]);
  if (verb == "correct") return command.Correct(args[1]);
  if (verb == "get") return command.Get(args[1]);
  if (verb == "list") return command.List();
  return command.Overdue();
}

}  // namespace regulation::regctl
