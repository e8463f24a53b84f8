#include "tools/regctl/enterprise_command.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "tools/regctl/date_time_flag.h"
#include "tools/regctl/enum_flag.h"
#include "tools/regctl/input_file.h"
#include "tools/regctl/proto_text.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

// Rows per BatchUpsertEnterprises call (the server takes up to 1,000).
constexpr int kPutBatchSize = 500;

int Usage(absl::string_view message) { return UsageError({"enterprise"}, message); }

absl::StatusOr<v1::EnterpriseStatus> ParseStatus(absl::string_view flag, absl::string_view text) {
  return ParseEnumFlag<v1::EnterpriseStatus>("ENTERPRISE_STATUS_", flag, text);
}

std::string StatusShortName(v1::EnterpriseStatus status) {
  return ShortEnumName(v1::EnterpriseStatus_Name(status), "ENTERPRISE_STATUS_");
}


void PrintEnterprises(const google::protobuf::RepeatedPtrField<v1::Enterprise>& list,
                      std::FILE* out) {
  Table table(
      {"CREDIT CODE", "NAME", "REGION", "INDUSTRY", "STATUS", "CAPITAL (YUAN)", "ESTABLISHED"});
  for (const v1::Enterprise& e : list) {
    table.AddRow({e.credit_code(), e.name(), e.region_code(), e.industry_code(),
                  StatusShortName(e.status()), absl::StrCat(e.registered_capital_yuan()),
                  FormatDate(e.establishment_date())});
  }
  std::fputs(table.Render().c_str(), out);
}

absl::StatusOr<v1::Enterprise> EnterpriseFromFlags(const EnterpriseOptions& o) {
  v1::Enterprise e;
  e.set_credit_code(o.credit_code);
  e.set_name(o.name);
  e.set_region_code(o.region);
  e.set_industry_code(o.industry);
  e.set_registered_capital_yuan(o.capital_yuan);
  e.set_address(o.address);
  if (!o.established.empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseDayFlag("--established", o.established);
    if (!day.ok()) return day.status();
    *e.mutable_establishment_date() = services::ToProtoDate(*day);
  }
  absl::StatusOr<v1::EnterpriseStatus> status = ParseStatus("--status", o.status);
  if (!status.ok()) return status.status();
  e.set_status(*status);
  return e;
}

class EnterpriseCommand {
  using Stub = v1::PortraitService::Stub;

 public:
  EnterpriseCommand(const Connection& connection, const EnterpriseOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::PortraitService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int Get(const std::string& code) {
    v1::GetEnterpriseRequest request;
    request.set_credit_code(code);
    v1::Enterprise response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::GetEnterprise, request,
                                        &response, RpcKind::kRead);
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(response).c_str(), out_);
    } else {
      google::protobuf::RepeatedPtrField<v1::Enterprise> one;
      *one.Add() = response;
      PrintEnterprises(one, out_);
      if (!response.address().empty()) {
        std::fprintf(out_, "address: %s\n", response.address().c_str());
      }
    }
    return kExitOk;
  }

  int List() {
    v1::ListEnterprisesResponse all;
    if (int failed = Fetch(options_.all_pages, &all); failed != kExitOk) return failed;
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
    } else {
      PrintEnterprises(all.enterprises(), out_);
      PrintMorePages(all.next_page_token(), out_);
    }
    return kExitOk;
  }

  // The listed enterprises, one page or all; an exit code other than kExitOk after printing
  // why not.
  int Fetch(bool all_pages, v1::ListEnterprisesResponse* all) {
    v1::ListEnterprisesRequest request;
    request.set_region_prefix(options_.region_prefix);
    request.set_industry_code(options_.industry_prefix);
    if (!options_.status_filter.empty()) {
      absl::StatusOr<v1::EnterpriseStatus> status =
          ParseStatus("--status_filter", options_.status_filter);
      if (!status.ok()) return Usage(status.status().message());
      request.set_status(*status);
    }
    request.set_page_size(options_.page_size);
    request.set_page_token(options_.page_token);
    const grpc::Status status =
        ListPages(connection_, *stub_, &Stub::ListEnterprises, request, all_pages, all);
    if (!status.ok()) return Fail(status);
    return kExitOk;
  }

  int PutOne() {
    absl::StatusOr<v1::Enterprise> enterprise = EnterpriseFromFlags(options_);
    if (!enterprise.ok()) return Usage(enterprise.status().message());
    v1::UpsertEnterpriseRequest request;
    *request.mutable_enterprise() = *enterprise;
    request.set_request_id(NewRequestId());
    v1::UpsertEnterpriseResponse response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::UpsertEnterprise, request,
                                        &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(response).c_str(), out_);
    } else {
      std::fprintf(out_, "%s %s (version %lld)\n", response.enterprise().credit_code().c_str(),
                   response.changed() ? "saved" : "unchanged",
                   static_cast<long long>(response.enterprise().version()));
    }
    return kExitOk;
  }

  // Streams a JSON-lines file in batches; reports each rejected line by number.
  int PutFile(const std::string& path) {
    if (absl::Status file = CheckInputFile("--file", path); !file.ok()) {
      return Usage(file.message());
    }
    std::ifstream in(path);
    if (!in) return Usage(absl::StrCat("--file: cannot read ", path));
    v1::BatchUpsertEnterprisesRequest batch;
    std::vector<int> batch_lines;
    // A batch may not name a code twice: a repeat (a later version of a row) starts a new one.
    std::set<std::string> batch_codes;
    int line_number = 0, upserted = 0, changed = 0, rejected = 0;
    std::string line;
    auto flush = [&]() -> int {
      if (batch.enterprises().empty()) return kExitOk;
      batch.set_request_id(NewRequestId());
      v1::BatchUpsertEnterprisesResponse response;
      const grpc::Status status = CallRpc(connection_, *stub_, &Stub::BatchUpsertEnterprises,
                                          batch, &response, RpcKind::kWrite);
      if (!status.ok()) return Fail(status);
      upserted += response.upserted_count();
      changed += response.changed_count();
      for (const v1::ItemError& error : response.errors()) {
        ++rejected;
        const int index = error.index();
        const int line = index >= 0 && index < static_cast<int>(batch_lines.size())
                             ? batch_lines[index]
                             : 0;
        std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), line, error.message().c_str());
      }
      batch.Clear();
      batch_lines.clear();
      batch_codes.clear();
      return kExitOk;
    };
    while (std::getline(in, line)) {
      ++line_number;
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      v1::Enterprise enterprise;
      const auto parsed = google::protobuf::util::JsonStringToMessage(line, &enterprise);
      if (!parsed.ok()) {
        ++rejected;
        std::fprintf(stderr, "%s:%d: not an Enterprise in JSON: %s\n", path.c_str(), line_number,
                     std::string(parsed.message()).c_str());
        continue;
      }
      if (batch_codes.count(enterprise.credit_code()) > 0) {
        if (int code = flush(); code != kExitOk) return code;
      }
      batch_codes.insert(enterprise.credit_code());
      *batch.add_enterprises() = std::move(enterprise);
      batch_lines.push_back(line_number);
      if (batch.enterprises_size() == kPutBatchSize) {
        if (int code = flush(); code != kExitOk) return code;
      }
    }
    if (int code = flush(); code != kExitOk) return code;
    std::fprintf(out_, "%d enterprises saved (%d changed), %d lines rejected\n", upserted, changed,
                 rejected);
    return rejected > 0 ? kExitRowsRejected : kExitOk;
  }

 private:
  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<v1::PortraitService::Stub> stub_;
  const EnterpriseOptions& options_;
  std::FILE* out_;
};

// `enterprise list` over region shards: every page of each shard the region prefix spans,
// merged in credit-code order (each shard lists its own in that order). One shard that
// fails fails the list: a list silently missing a region would look complete.
int ListAcrossShards(const EnterpriseOptions& options, std::FILE* out) {
  if (!options.page_token.empty()) {
    return Usage("--page_token: a list over --shards reads every page of every shard");
  }
  v1::ListEnterprisesResponse merged;
  for (const ConnectionOptions& shard : options.list_shards) {
    absl::StatusOr<Connection> connection = Connection::Open(shard);
    if (!connection.ok()) return ReportOpenFailure(connection.status(), shard);
    v1::ListEnterprisesResponse part;
    EnterpriseCommand command(*connection, options, out);
    if (int failed = command.Fetch(/*all_pages=*/true, &part); failed != kExitOk) return failed;
    for (v1::Enterprise& e : *part.mutable_enterprises()) {
      *merged.add_enterprises() = std::move(e);
    }
  }
  std::sort(merged.mutable_enterprises()->begin(), merged.mutable_enterprises()->end(),
            [](const v1::Enterprise& a, const v1::Enterprise& b) {
              return a.credit_code() < b.credit_code();
            });
  if (options.output == OutputFormat::kJson) {
    std::fputs(ToJson(merged).c_str(), out);
  } else {
    PrintEnterprises(merged.enterprises(), out);
  }
  return kExitOk;
}

}  // namespace

int RunEnterpriseCommand(const std::vector<std::string>& args, const EnterpriseOptions& options,
                         const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  const std::string& verb = args[0];
  if (verb != "put" && verb != "get" && verb != "list") {
    return Usage(absl::StrCat("unknown subcommand \"", verb, "\""));
  }
  if (verb == "get" && args.size() != 2) return Usage("get takes one credit code");
  if (verb != "get" && args.size() != 1) {
    return Usage(absl::StrCat(verb, " takes flags, not arguments"));
  }
  if (verb == "list" && !options.list_shards.empty()) return ListAcrossShards(options, out);
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  EnterpriseCommand command(*connection, options, out);
  if (verb == "get") return command.Get(args[1]);
  if (verb == "list") return command.List();
  return options.file.empty() ? command.PutOne() : command.PutFile(options.file);
}

}  // namespace regulation::regctl
