#include "tools/regctl/alert_command.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/files.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/alert_service.grpc.pb.h"
#include "regulation/v1/disclosure.pb.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using Stub = v1::AlertService::Stub;

int Usage(absl::string_view message) { return UsageError({"alerts"}, message); }

std::string TimeText(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(t.seconds()),
                          absl::FixedTimeZone(8 * 3600));
}

std::string RuleText(v1::AlertRule rule) {
  const std::string& name = v1::AlertRule_Name(rule);
  return name.size() > 11 ? name.substr(11) : name;  // without "ALERT_RULE_"
}

std::string StateText(const v1::Alert& a) {
  if (!a.has_acknowledgement()) return "open";
  const std::string& name = v1::AlertDisposition_Name(a.acknowledgement().disposition());
  return name.size() > 18 ? name.substr(18) : name;  // without "ALERT_DISPOSITION_"
}

// One line per alert, for watch.
std::string AlertLine(const v1::Alert& a) {
  return absl::StrCat(a.alert_id(), "  ", RuleText(a.rule()), "  ", a.credit_code(), "  ",
                      a.region_code(), "  ", a.department().empty() ? "-" : a.department(),
                      "  ", a.summary());
}

class AlertCommand {
 public:
  AlertCommand(const Connection& connection, const AlertOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::AlertService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int List() {
    v1::ListAlertsRequest request;
    request.set_region_prefix(options_.region_prefix);
    request.set_credit_code(options_.credit_code);
    request.set_page_size(options_.page_size);
    if (!options_.rule.empty()) {
      v1::AlertRule rule;
      if (!v1::AlertRule_Parse(absl::StrCat("ALERT_RULE_", absl::AsciiStrToUpper(options_.rule)),
                               &rule)) {
        return Usage(absl::StrCat("--rule: CLASS_RAISED, SCORE_JUMP, COMPLAINTS, PENALTY, "
                                  "LIST_ENTRY or SERIOUS_INSPECTION, got \"",
                                  options_.rule, "\""));
      }
      request.set_rule(rule);
    }
    if (options_.state == "open") {
      request.set_state(v1::ListAlertsRequest::STATE_UNACKNOWLEDGED);
    } else if (options_.state == "acknowledged") {
      request.set_state(v1::ListAlertsRequest::STATE_ACKNOWLEDGED);
    } else if (!options_.state.empty()) {
      return Usage(absl::StrCat("--state: open or acknowledged, got \"", options_.state, "\""));
    }
    v1::ListAlertsResponse all;
    const grpc::Status status =
        ListPages(connection_, *stub_, &Stub::ListAlerts, request, /*all_pages=*/true, &all);
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table({"ALERT", "RULE", "CREDIT CODE", "REGION", "DEPT", "RAISED", "STATE", "SUMMARY"});
    for (const v1::Alert& a : all.alerts()) {
      table.AddRow({a.alert_id(), RuleText(a.rule()), a.credit_code(), a.region_code(),
                    a.department().empty() ? "-" : a.department(), TimeText(a.raise_time()),
                    StateText(a), a.summary()});
    }
    std::fputs(table.Render().c_str(), out_);
    absl::FPrintF(out_, "%d alerts\n", all.alerts_size());
    return kExitOk;
  }

  int Watch() {
    v1::WatchAlertsRequest request;
    request.set_region_prefix(options_.region_prefix);
    // A stream that lasts until interrupted: no deadline.
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::Alert>> reader = stub_->WatchAlerts(&context, request);
    absl::FPrintF(stderr, "open alerts, then new ones as they are raised (Ctrl-C to stop)\n");
    v1::Alert alert;
    while (reader->Read(&alert)) {
      if (options_.output == OutputFormat::kJson) {
        std::string json;
        (void)google::protobuf::util::MessageToJsonString(alert, &json);
        absl::FPrintF(out_, "%s\n", json);
      } else {
        absl::FPrintF(out_, "%s\n", AlertLine(alert));
      }
      std::fflush(out_);
    }
    const grpc::Status status = reader->Finish();
    if (!status.ok()) return Fail(status);
    absl::FPrintF(stderr, "the server ended the stream\n");
    return kExitOk;
  }

  int Acknowledge(const std::string& alert_id) {
    v1::AcknowledgeAlertRequest request;
    request.set_alert_id(alert_id);
    v1::AlertDisposition disposition;
    if (!v1::AlertDisposition_Parse(
            absl::StrCat("ALERT_DISPOSITION_", absl::AsciiStrToUpper(options_.disposition)),
            &disposition)) {
      return Usage(absl::StrCat("--disposition: DISMISSED, MONITORING, ACTION_TAKEN or "
                                "REFERRED, got \"",
                                options_.disposition, "\""));
    }
    request.set_disposition(disposition);
    request.set_note(options_.note);
    request.set_request_id(NewRequestId());
    v1::Alert response;
    const grpc::Status status =
        CallRpc(connection_, *stub_, &Stub::AcknowledgeAlert, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return Print(response, absl::StrCat(response.alert_id(), " acknowledged: ",
                                        StateText(response), "\n"));
  }

  int Rules() {
    v1::AlertRules response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::GetAlertRules,
                                        v1::GetAlertRulesRequest(), &response, RpcKind::kRead);
    if (!status.ok()) return Fail(status);
    return Print(response, absl::StrCat(RulesText(response)));
  }

  int SetRules() {
    absl::StatusOr<std::string> text = ReadWholeFile(options_.file);
    if (!text.ok()) {
      absl::FPrintF(stderr, "error: %s\n", text.status().message());
      return kExitUsage;
    }
    v1::UpdateAlertRulesRequest request;
    const auto parsed = google::protobuf::util::JsonStringToMessage(*text, request.mutable_rules());
    if (!parsed.ok()) {
      absl::FPrintF(stderr, "error: %s: not AlertRules JSON: %s\n", options_.file,
                    std::string(parsed.message()));
      return kExitUsage;
    }
    request.set_request_id(NewRequestId());
    v1::AlertRules response;
    const grpc::Status status =
        CallRpc(connection_, *stub_, &Stub::UpdateAlertRules, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return Print(response, absl::StrCat("rules stored\n", RulesText(response)));
  }

 private:
  static std::string OnOff(bool disabled) { return disabled ? "off" : "on "; }

  static std::string RulesText(const v1::AlertRules& r) {
    std::string categories;
    for (int c : r.serious_inspection().categories()) {
      absl::StrAppend(&categories, categories.empty() ? "" : ",",
                      v1::InspectionResultCategory_IsValid(c)
                          ? v1::InspectionResultCategory_Name(
                                static_cast<v1::InspectionResultCategory>(c))
                          : absl::StrCat(c));
    }
    return absl::StrCat(
        "CLASS_RAISED        ", OnOff(r.class_raised().disabled()), "  into ",
        v1::RiskClass_Name(r.class_raised().min_class()), " or higher\n",
        "SCORE_JUMP          ", OnOff(r.score_jump().disabled()), "  probability up by more than ",
        r.score_jump().min_rise(), "\n",
        "COMPLAINTS          ", OnOff(r.complaints().disabled()), "  ", r.complaints().count(),
        r.complaints().substantiated_only() ? " substantiated" : "", " within ",
        r.complaints().window_days(), " days\n",
        "PENALTY             ", OnOff(r.penalty().disabled()), "  ",
        v1::PenaltySeverity_Name(r.penalty().min_severity()), " or worse\n",
        "LIST_ENTRY          ", OnOff(r.list_entry().disabled()), "  any list entry\n",
        "SERIOUS_INSPECTION  ", OnOff(r.serious_inspection().disabled()), "  ", categories, "\n",
        r.has_update_time() ? absl::StrCat("stored ", TimeText(r.update_time()), "\n")
                            : std::string("(defaults: no rules stored)\n"));
  }

  int Print(const google::protobuf::Message& message, const std::string& text) {
    std::fputs(options_.output == OutputFormat::kJson ? ToJson(message).c_str() : text.c_str(),
               out_);
    return kExitOk;
  }

  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<Stub> stub_;
  const AlertOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunAlertCommand(const std::vector<std::string>& args, const AlertOptions& options,
                    const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("alerts: missing verb");
  const std::string& verb = args[0];
  if (verb != "list" && verb != "watch" && verb != "ack" && verb != "rules" &&
      verb != "set-rules") {
    return Usage(absl::StrCat("unknown command \"alerts ", verb, "\""));
  }
  if (verb == "ack") {
    if (args.size() != 2) return Usage("alerts ack takes one ALERT_ID");
    if (options.disposition.empty()) return Usage("--disposition: required for alerts ack");
  } else if (args.size() != 1) {
    return Usage(absl::StrCat("alerts ", verb, " takes flags, not arguments"));
  }
  if (verb == "set-rules" && options.file.empty()) {
    return Usage("--file: required for alerts set-rules");
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  AlertCommand run(*connection, options, out);
  if (verb == "list") return run.List();
  if (verb == "watch") return run.Watch();
  if (verb == "ack") return run.Acknowledge(args[1]);
  if (verb == "rules") return run.Rules();
  return run.SetRules();
}

}  // namespace regulation::regctl
