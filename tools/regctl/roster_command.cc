#include "tools/regctl/roster_command.h"

#include <fstream>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "tools/regctl/input_file.h"
#include "tools/regctl/jsonl_upsert.h"
#include "tools/regctl/proto_text.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) {
  return UsageError({"inspector", "conflict", "item"}, message);
}

void PrintInspectors(const google::protobuf::RepeatedPtrField<v1::Inspector>& list,
                     std::FILE* out) {
  Table table(
      {"ID", "NAME", "DEPARTMENT", "REGION", "CERT VALID UNTIL", "QUALIFICATIONS", "STATUS"});
  for (const v1::Inspector& i : list) {
    table.AddRow({i.inspector_id(), i.name(), i.department(), i.region_code(),
                  FormatDate(i.certificate_valid_until()), absl::StrJoin(i.qualifications(), ","),
                  ShortEnumName(v1::InspectorStatus_Name(i.status()), "INSPECTOR_STATUS_")});
  }
  std::fputs(table.Render().c_str(), out);
}

void PrintConflicts(const google::protobuf::RepeatedPtrField<v1::Conflict>& list, std::FILE* out) {
  Table table({"INSPECTOR", "CREDIT CODE", "DECLARED", "REASON"});
  for (const v1::Conflict& c : list) {
    table.AddRow(
        {c.inspector_id(), c.credit_code(), FormatTimestamp(c.declare_time()), c.reason()});
  }
  std::fputs(table.Render().c_str(), out);
}

void PrintItems(const google::protobuf::RepeatedPtrField<v1::InspectionItem>& list,
                std::FILE* out) {
  Table table({"ID", "DEPARTMENT", "KIND", "QUALIFICATION", "TITLE", "LEGAL BASIS"});
  for (const v1::InspectionItem& i : list) {
    table.AddRow({i.item_id(), i.department(),
                  ShortEnumName(v1::ItemKind_Name(i.kind()), "ITEM_KIND_"),
                  i.required_qualification().empty() ? "-" : i.required_qualification(), i.title(),
                  i.legal_basis()});
  }
  std::fputs(table.Render().c_str(), out);
}

using Stub = v1::InspectionService::Stub;

class RosterCommand {
 public:
  RosterCommand(const Connection& connection, const RosterOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::InspectionService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int PutInspectors() {
    return PutFile<v1::Inspector>("inspectors", [&](const v1::Inspector& inspector) {
      v1::UpsertInspectorRequest request;
      *request.mutable_inspector() = inspector;
      request.set_request_id(NewRequestId());
      v1::Inspector response;
      return CallStatus(CallRpc(connection_, *stub_, &Stub::UpsertInspector, request, &response, RpcKind::kWrite));
    });
  }

  int PutItems() {
    return PutFile<v1::InspectionItem>("items", [&](const v1::InspectionItem& item) {
      v1::UpsertInspectionItemRequest request;
      *request.mutable_item() = item;
      request.set_request_id(NewRequestId());
      v1::InspectionItem response;
      return CallStatus(
          CallRpc(connection_, *stub_, &Stub::UpsertInspectionItem, request, &response, RpcKind::kWrite));
    });
  }

  int GetInspector(const std::string& id) {
    v1::GetInspectorRequest request;
    request.set_inspector_id(id);
    v1::Inspector i;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::GetInspector, request, &i, RpcKind::kRead);
    if (!status.ok()) return Fail(status);
    return Print(i, [&] {
      google::protobuf::RepeatedPtrField<v1::Inspector> one;
      *one.Add() = i;
      PrintInspectors(one, out_);
      absl::FPrintF(out_, "certificate: %s\n", i.certificate_number());
      if (!i.badge_number().empty()) absl::FPrintF(out_, "badge: %s\n", i.badge_number());
      absl::FPrintF(out_, "version: %d\n", i.version());
    });
  }

  int DeclareConflict() {
    v1::DeclareConflictRequest request;
    request.mutable_conflict()->set_inspector_id(options_.inspector_id);
    request.mutable_conflict()->set_credit_code(options_.credit_code);
    request.mutable_conflict()->set_reason(options_.reason);
    request.set_request_id(NewRequestId());
    v1::Conflict c;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::DeclareConflict, request, &c, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return Print(c, [&] {
      absl::FPrintF(out_, "conflict declared: %s stands aside from %s (%s), %s\n", c.inspector_id(),
                    c.credit_code(), c.reason(), FormatTimestamp(c.declare_time()));
    });
  }

  int ListInspectors() {
    v1::ListInspectorsRequest request;
    request.set_department(options_.department);
    request.set_region_prefix(options_.region_prefix);
    return List(&Stub::ListInspectors, request, [&](const v1::ListInspectorsResponse& all) {
      PrintInspectors(all.inspectors(), out_);
    });
  }

  int ListConflicts() {
    v1::ListConflictsRequest request;
    request.set_inspector_id(options_.inspector_id);
    request.set_credit_code(options_.credit_code);
    return List(&Stub::ListConflicts, request, [&](const v1::ListConflictsResponse& all) {
      PrintConflicts(all.conflicts(), out_);
    });
  }

  int ListItems() {
    v1::ListInspectionItemsRequest request;
    request.set_department(options_.department);
    return List(&Stub::ListInspectionItems, request,
                [&](const v1::ListInspectionItemsResponse& all) { PrintItems(all.items(), out_); });
  }

 private:
  // One upsert per line of --file (jsonl_upsert.h); "N <plural> stored".
  template <typename T>
  int PutFile(absl::string_view plural, const std::function<absl::Status(const T&)>& upsert) {
    if (absl::Status file = CheckInputFile("--file", options_.file); !file.ok()) {
      return Usage(file.message());
    }
    std::ifstream in(options_.file);
    if (!in) return Usage(absl::StrCat("--file: cannot read ", options_.file));
    absl::StatusOr<JsonLinesResult> result =
        UpsertJsonLinesOf<T>(in, options_.file, upsert, stderr);
    if (!result.ok()) return ReportFailure(result.status(), connection_.options());
    absl::FPrintF(out_, "%d %s stored", result->stored, plural);
    if (result->rejected > 0) absl::FPrintF(out_, ", %d lines rejected", result->rejected);
    absl::FPrintF(out_, "\n");
    return result->rejected > 0 ? kExitRowsRejected : kExitOk;
  }

  // Fetches the pages the options ask for; prints them as one JSON response, or as the
  // table `print_table` draws followed by the next page's token.
  template <typename Request, typename Response, typename PrintTable>
  int List(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
           Request request, PrintTable&& print_table) {
    request.set_page_size(options_.page_size);
    request.set_page_token(options_.page_token);
    Response all;
    const grpc::Status status =
        ListPages(connection_, *stub_, method, request, options_.all_pages, &all);
    if (!status.ok()) return Fail(status);
    return Print(all, [&] {
      print_table(all);
      PrintMorePages(all.next_page_token(), out_);
    });
  }

  // `message` as JSON, or whatever `print_text` prints.
  template <typename PrintText>
  int Print(const google::protobuf::Message& message, PrintText&& print_text) {
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(message).c_str(), out_);
    } else {
      print_text();
    }
    return kExitOk;
  }

  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<Stub> stub_;
  const RosterOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunRosterCommand(const std::vector<std::string>& args, const RosterOptions& options,
                     const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.size() < 2) return Usage(absl::StrCat(args.empty() ? "" : args[0], ": missing verb"));
  const std::string& noun = args[0];
  const std::string& verb = args[1];
  const std::string command = absl::StrCat(noun, " ", verb);
  const bool takes_id = command == "inspector get";
  if (command != "inspector put" && command != "inspector get" && command != "inspector list" &&
      command != "conflict declare" && command != "conflict list" && command != "item put" &&
      command != "item list") {
    return Usage(absl::StrCat("unknown command \"", command, "\""));
  }
  if (takes_id && args.size() != 3) return Usage("inspector get takes one inspector id");
  if (!takes_id && args.size() != 2) {
    return Usage(absl::StrCat(command, " takes flags, not arguments"));
  }
  if (verb == "put" && options.file.empty()) {
    return Usage(absl::StrCat(noun, " put needs --file=FILE.jsonl"));
  }
  if (command == "conflict declare" &&
      (options.inspector_id.empty() || options.credit_code.empty() || options.reason.empty())) {
    return Usage("conflict declare needs --inspector_id, --credit_code and --reason");
  }
  if (command == "conflict list" && options.inspector_id.empty() == options.credit_code.empty()) {
    return Usage("conflict list takes one of --inspector_id and --credit_code");
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  RosterCommand run(*connection, options, out);
  if (command == "inspector put") return run.PutInspectors();
  if (command == "inspector get") return run.GetInspector(args[2]);
  if (command == "inspector list") return run.ListInspectors();
  if (command == "conflict declare") return run.DeclareConflict();
  if (command == "conflict list") return run.ListConflicts();
  if (command == "item put") return run.PutItems();
  return run.ListItems();
}

}  // namespace regulation::regctl
