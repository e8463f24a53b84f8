#include "tools/regctl/assignment_command.h"

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/files.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "tools/regctl/assignment_sheet.h"
#include "tools/regctl/proto_text.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"assignments"}, message); }

std::string FormatTable(const std::vector<v1::Assignment>& assignments, bool with_inspector) {
  std::vector<std::string> headers = {"PLAN", "CREDIT CODE", "ENTERPRISE",
                                      "DUE",  "ITEMS",       "TEAM-MATES"};
  if (with_inspector) headers.insert(headers.begin() + 1, "INSPECTOR");
  // A joint visit's column only where there is one, so that other lists read as before.
  const bool joint = std::any_of(assignments.begin(), assignments.end(),
                                 [](const v1::Assignment& a) { return !JointVisitText(a).empty(); });
  if (joint) headers.push_back("JOINT VISIT");
  Table table(headers);
  for (const v1::Assignment& a : assignments) {
    std::vector<std::string> items;
    for (const v1::AssignmentItem& item : a.items()) items.push_back(item.item_id());
    std::vector<std::string> row = {a.plan_id(),
                                    a.credit_code(),
                                    a.enterprise_name(),
                                    FormatDate(a.due_date()),
                                    absl::StrJoin(items, ","),
                                    TeammateNames(a)};
    if (with_inspector) row.insert(row.begin() + 1, a.inspector_id());
    if (joint) {
      const std::string text = JointVisitText(a);
      row.push_back(text.empty() ? "-" : text);
    }
    table.AddRow(std::move(row));
  }
  return table.Render();
}

using Stub = v1::InspectionService::Stub;

class AssignmentCommand {
 public:
  AssignmentCommand(const Connection& connection, const AssignmentOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::InspectionService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int List() {
    std::vector<v1::Assignment> assignments;
    const grpc::Status status = FetchAll(&assignments);
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      // One response holding every assignment fetched.
      v1::ListPlanAssignmentsResponse all;
      for (v1::Assignment& a : assignments) *all.add_assignments() = std::move(a);
      std::fputs(ToJson(all).c_str(), out_);
    } else {
      std::fputs(FormatTable(assignments, !options_.plan.empty()).c_str(), out_);
      absl::FPrintF(out_, "%d assignments\n", assignments.size());
    }
    return kExitOk;
  }

  int Watch() {
    // A stream that lasts until interrupted: no deadline.
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::Assignment>> reader =
        stub_->WatchAssignments(&context, v1::WatchAssignmentsRequest());
    absl::FPrintF(stderr, "watching for new assignments (Ctrl-C to stop)\n");
    v1::Assignment assignment;
    while (reader->Read(&assignment)) {
      if (options_.output == OutputFormat::kJson) {
        std::string json;
        (void)google::protobuf::util::MessageToJsonString(assignment, &json);
        absl::FPrintF(out_, "%s\n", json);
      } else {
        absl::FPrintF(out_, "%s\n", AssignmentLine(assignment));
      }
      std::fflush(out_);
    }
    const grpc::Status status = reader->Finish();
    if (!status.ok()) return Fail(status);
    absl::FPrintF(stderr, "the server ended the stream\n");
    return kExitOk;
  }

  int Export() {
    std::vector<v1::Assignment> assignments;
    const grpc::Status status = FetchAll(&assignments);
    if (!status.ok()) return Fail(status);
    SheetFacts facts;
    if (const grpc::Status results = FetchResultStates(assignments, &facts); !results.ok()) {
      return Fail(results);
    }
    const std::string sheet =
        options_.format == "csv"
            ? AssignmentsCsv(assignments, facts,
                             options_.csv_headers == "en" ? CsvHeaders::kEnglish
                                                          : CsvHeaders::kChinese)
            : AssignmentsHtml(assignments, {options_.plan, options_.now}, facts);
    if (options_.out.empty()) {
      std::fwrite(sheet.data(), 1, sheet.size(), out_);
      return kExitOk;
    }
    if (absl::Status written = WriteFileAtomically(options_.out, sheet);
        !written.ok()) {
      absl::FPrintF(stderr, "error: %s\n", written.message());
      return kExitServerError;
    }
    absl::FPrintF(out_, "%d assignments written to %s\n", assignments.size(), options_.out);
    return kExitOk;
  }

 private:
  // Every page of the caller's assignments, or of --plan's.
  grpc::Status FetchAll(std::vector<v1::Assignment>* assignments) {
    grpc::Status status;
    if (options_.plan.empty()) {
      v1::ListMyAssignmentsRequest request;
      request.set_page_size(options_.page_size);
      v1::ListMyAssignmentsResponse all;
      status = ListPages(connection_, *stub_, &Stub::ListMyAssignments, request, true, &all);
      assignments->assign(all.assignments().begin(), all.assignments().end());
    } else {
      v1::ListPlanAssignmentsRequest request;
      request.set_plan_id(options_.plan);
      request.set_page_size(options_.page_size);
      v1::ListPlanAssignmentsResponse all;
      status = ListPages(connection_, *stub_, &Stub::ListPlanAssignments, request, true, &all);
      assignments->assign(all.assignments().begin(), all.assignments().end());
    }
    return status;
  }

  // The state of each target's result, one ListResults per plan the assignments span.
  grpc::Status FetchResultStates(const std::vector<v1::Assignment>& assignments,
                                 SheetFacts* facts) {
    std::set<std::string> plans;
    for (const v1::Assignment& a : assignments) plans.insert(a.plan_id());
    auto results = v1::DisclosureService::NewStub(connection_.channel());
    for (const std::string& plan : plans) {
      v1::ListResultsRequest request;
      request.set_plan_id(plan);
      v1::ListResultsResponse all;
      const grpc::Status status =
          ListPages(connection_, *results, &v1::DisclosureService::Stub::ListResults, request,
                    /*all_pages=*/true, &all);
      if (!status.ok()) return status;
      for (const v1::InspectionResult& r : all.results()) {
        facts->result_states[ResultKey(r.plan_id(), r.credit_code())] = r.state();
      }
    }
    return grpc::Status::OK;
  }

  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<Stub> stub_;
  const AssignmentOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunAssignmentCommand(const std::vector<std::string>& args, const AssignmentOptions& options,
                         const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("assignments: missing verb");
  const std::string& verb = args[0];
  if (verb != "list" && verb != "watch" && verb != "export") {
    return Usage(absl::StrCat("unknown command \"assignments ", verb, "\""));
  }
  if (args.size() != 1)
    return Usage(absl::StrCat("assignments ", verb, " takes flags, not arguments"));
  if (verb == "watch" && !options.plan.empty()) {
    return Usage("assignments watch follows your own assignments; it takes no --plan");
  }
  if (options.csv_headers != "zh" && options.csv_headers != "en") {
    return Usage(absl::StrCat("--csv_headers: zh or en, got \"", options.csv_headers, "\""));
  }
  if (verb == "export" && options.format != "csv" && options.format != "html") {
    return Usage(absl::StrCat("--format: csv or html, got \"", options.format, "\""));
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  AssignmentCommand run(*connection, options, out);
  if (verb == "list") return run.List();
  if (verb == "watch") return run.Watch();
  return run.Export();
}

}  // namespace regulation::regctl
