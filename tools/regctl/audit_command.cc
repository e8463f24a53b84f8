#include "tools/regctl/audit_command.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "regulation/v1/audit_service.grpc.pb.h"
#include "services/audit/audit_chain.h"
#include "services/common/proto_time.h"
#include "tools/regctl/date_time_flag.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

// Records per call when verifying: the server's maximum.
constexpr int kVerifyPageSize = 1000;

int Usage(absl::string_view message) { return UsageError({"audit"}, message); }

struct Head {
  uint64_t sequence = 0;
  std::string hash_hex;
};

// "SEQ:HEX" with 64 hex digits.
absl::StatusOr<Head> ParseHead(const std::string& text) {
  const std::vector<std::string> parts = absl::StrSplit(text, ':');
  Head head;
  if (parts.size() == 2 && absl::SimpleAtoi(parts[0], &head.sequence) &&
      parts[1].size() == 2 * audit::kAuditHashSize &&
      std::all_of(parts[1].begin(), parts[1].end(),
                  [](char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); })) {
    head.hash_hex = parts[1];
    return head;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--expect_head: expected SEQ:HEX (as verify prints it, 64 hex digits), got \"", text, "\""));
}

std::string FormatTime(const google::protobuf::Timestamp& ts) {
  absl::StatusOr<absl::Time> time = services::FromProtoTimestamp(ts);
  if (!time.ok()) return absl::StrCat(ts.seconds(), "s");
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", *time, ChinaTimeZone());
}

std::string ShortMethod(absl::string_view method) {
  const size_t slash = method.rfind('/');
  return std::string(slash == absl::string_view::npos ? method : method.substr(slash + 1));
}

std::string StatusName(int code) {
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat(code) : name;
}

class AuditCommand {
 public:
  AuditCommand(const Connection& connection, const AuditOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::AuditService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int List(v1::ListAuditRecordsRequest request) {
    v1::ListAuditRecordsResponse all;
    while (true) {
      v1::ListAuditRecordsResponse page;
      const grpc::Status status = Call(request, &page);
      if (!status.ok()) return Fail(status);
      all.mutable_records()->MergeFrom(page.records());
      all.set_head_sequence(page.head_sequence());
      all.set_head_hash(page.head_hash());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(all).c_str(), out_);
      return kExitOk;
    }
    Table table({"SEQ", "TIME", "CALLER", "ROLES", "METHOD", "STATUS"});
    for (const v1::AuditRecord& r : all.records()) {
      table.AddRow({absl::StrCat(r.sequence()), FormatTime(r.time()), r.caller_subject(),
                    r.caller_roles().empty() ? "-" : absl::StrJoin(r.caller_roles(), ","),
                    ShortMethod(r.method()), StatusName(r.status_code())});
    }
    std::fputs(table.Render().c_str(), out_);
    std::fprintf(out_, "%d records; chain head %s (regctl audit verify checks it)\n",
                 all.records_size(),
                 audit::FormatChainHead(all.head_sequence(), all.head_hash()).c_str());
    return kExitOk;
  }

  int Verify(const std::optional<Head>& expected) {
    audit::AuditChainVerifier verifier;
    // Every head the server reported: each must be in the chain it served.
    std::vector<std::pair<uint64_t, std::string>> reported;
    v1::ListAuditRecordsRequest request;
    request.set_page_size(options_.page_size > 0 ? options_.page_size : kVerifyPageSize);
    while (true) {
      v1::ListAuditRecordsResponse page;
      const grpc::Status status = Call(request, &page);
      if (status.error_code() == grpc::StatusCode::DATA_LOSS) {
        return Broken(
            absl::StrCat("the server cannot read its audit trail: ", status.error_message()));
      }
      if (!status.ok()) return Fail(status);
      reported.emplace_back(page.head_sequence(), page.head_hash());
      for (const v1::AuditRecord& record : page.records()) {
        const absl::Status added = verifier.Add(record);
        if (!added.ok()) return Broken(added.message());
      }
      if (page.next_page_token().empty()) break;
      if (page.records().empty()) {
        request.set_page_token(page.next_page_token());
      } else {
        request.clear_page_token();
        request.set_after_sequence(verifier.head_sequence());
      }
    }
    for (const auto& [sequence, hash] : reported) {
      const absl::Status in_chain = verifier.CheckHead(sequence, absl::BytesToHexString(hash));
      if (!in_chain.ok() || hash.size() != audit::kAuditHashSize) {
        return Broken(absl::StrCat("the server reported head ",
                                   audit::FormatChainHead(sequence, hash), ": ",
                                   in_chain.ok() ? "not a 32-byte hash" : in_chain.message()));
      }
    }
    if (expected.has_value()) {
      const absl::Status in_chain = verifier.CheckHead(expected->sequence, expected->hash_hex);
      if (!in_chain.ok()) return Broken(absl::StrCat("--expect_head: ", in_chain.message()));
    }
    std::fprintf(out_, "VALID: %llu records; head %s\n",
                 static_cast<unsigned long long>(verifier.head_sequence()),
                 audit::FormatChainHead(verifier.head_sequence(), verifier.head_hash()).c_str());
    return kExitOk;
  }

 private:
  grpc::Status Call(const v1::ListAuditRecordsRequest& request,
                    v1::ListAuditRecordsResponse* response) {
    return CallRpc(connection_, *stub_, &v1::AuditService::Stub::ListAuditRecords, request,
                   response, RpcKind::kRead);
  }

  int Broken(absl::string_view reason) {
    std::fprintf(out_, "BROKEN: %s\n", std::string(reason).c_str());
    return kExitServerError;
  }

  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
  const AuditOptions& options_;
  std::FILE* out_;
};

}  // namespace

int RunAuditCommand(const std::vector<std::string>& args, const AuditOptions& options,
                    const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  const std::string& verb = args[0];
  if (verb != "list" && verb != "verify") {
    return Usage(absl::StrCat("unknown subcommand \"", verb, "\""));
  }
  if (args.size() != 1) return Usage(absl::StrCat(verb, " takes flags, not arguments"));
  if (options.page_size < 0) return Usage("--page_size: must not be negative");

  v1::ListAuditRecordsRequest list_request;
  std::optional<Head> expected;
  if (verb == "list") {
    if (!options.expect_head.empty()) return Usage("--expect_head: applies to verify only");
    list_request.set_caller_subject(options.caller);
    list_request.set_method(options.rpc);
    list_request.set_page_size(options.page_size);
    if (!options.since.empty()) {
      absl::StatusOr<absl::Time> since = ParseRangeStartFlag("--since", options.since);
      if (!since.ok()) return Usage(since.status().message());
      *list_request.mutable_start_time() = services::ToProtoTimestamp(*since);
    }
    if (!options.until.empty()) {
      absl::StatusOr<absl::Time> until = ParseRangeEndFlag("--until", options.until);
      if (!until.ok()) return Usage(until.status().message());
      *list_request.mutable_end_time() = services::ToProtoTimestamp(*until);
    }
  } else {
    if (!options.caller.empty() || !options.rpc.empty() || !options.since.empty() ||
        !options.until.empty()) {
      return Usage(
          "--caller, --rpc, --since and --until apply to list only: verify checks "
          "the whole chain");
    }
    if (!options.expect_head.empty()) {
      absl::StatusOr<Head> head = ParseHead(options.expect_head);
      if (!head.ok()) return Usage(head.status().message());
      expected = *head;
    }
  }

  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  AuditCommand command(*connection, options, out);
  return verb == "list" ? command.List(std::move(list_request)) : command.Verify(expected);
}

}  // namespace regulation::regctl
