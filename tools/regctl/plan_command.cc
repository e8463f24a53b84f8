#include "tools/regctl/plan_command.h"

#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/bundle_parts.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "tools/regctl/draw_export.h"
#include "tools/regctl/jsonl_upsert.h"
#include "tools/regctl/plan_format.h"
#include "tools/regctl/proto_text.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"plan", "draw"}, message); }

// Local failures (files) are reported like the server's, without the connection hint.
int LocalFailure(const absl::Status& status) {
  absl::FPrintF(stderr, "error: %s\n", status.message());
  return kExitServerError;
}

using Stub = v1::InspectionService::Stub;

// The --statement entries: statement files, or SOURCE_ID=FILE for a beacon's raw pulse.
absl::StatusOr<std::vector<v1::EntropyStatement>> ReadStatements(
    const std::vector<std::string>& entries) {
  std::vector<v1::EntropyStatement> out;
  for (const std::string& entry : entries) {
    const size_t equals = entry.find('=');
    const std::string path = equals == std::string::npos ? entry : entry.substr(equals + 1);
    absl::StatusOr<std::string> text = ReadWholeFile(path);
    if (!text.ok())
      return absl::InvalidArgumentError(absl::StrCat("--statement: ", text.status().message()));
    v1::EntropyStatement& statement = out.emplace_back();
    if (equals != std::string::npos) {
      statement.set_source_id(entry.substr(0, equals));
      statement.set_beacon_pulse_json(*text);
      continue;
    }
    if (absl::Status parsed = ParseCanonicalJson(*text, &statement); !parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--statement: ", path,
                       ": not an EntropyStatement (what `regctl witness sign` writes; "
                       "a beacon's pulse is given as SOURCE_ID=FILE): ",
                       parsed.message()));
    }
  }
  return out;
}

class PlanCommand {
 public:
  PlanCommand(const Connection& connection, const PlanOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::InspectionService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int Create(const v1::Plan& plan) {
    v1::CreatePlanRequest request;
    *request.mutable_plan() = plan;
    request.set_request_id(NewRequestId());
    v1::Plan response;
    // Retried safely: the server returns the plan a request id created.
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::CreatePlan, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return PrintIdAndState(response);
  }

  int Update(const v1::Plan& plan) {
    v1::UpdatePlanRequest request;
    *request.mutable_plan() = plan;
    request.set_request_id(NewRequestId());
    v1::Plan response;
    // Retried safely: a replay returns the plan as it stands.
    const grpc::Status status =
        CallRpc(connection_, *stub_, &Stub::UpdatePlan, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return PrintIdAndState(response);
  }

  int Get(const std::string& id) {
    v1::GetPlanRequest request;
    request.set_plan_id(id);
    v1::Plan response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::GetPlan, request, &response, RpcKind::kRead);
    if (!status.ok()) return Fail(status);
    Print(response, FormatPlan(response));
    return kExitOk;
  }

  int List() {
    v1::ListPlansRequest request;
    request.set_department(options_.department);
    request.set_page_size(options_.page_size);
    request.set_page_token(options_.page_token);
    v1::ListPlansResponse all;
    const grpc::Status status =
        ListPages(connection_, *stub_, &Stub::ListPlans, request, options_.all_pages, &all);
    if (!status.ok()) return Fail(status);
    Print(all, FormatPlanTable(all.plans()));
    if (options_.output == OutputFormat::kTable) PrintMorePages(all.next_page_token(), out_);
    return kExitOk;
  }

  int Commit(const std::string& id, const std::vector<v1::EntropySourceRef>& sources) {
    v1::CommitPlanRequest request;
    request.set_plan_id(id);
    request.set_nonce_commitment(options_.nonce_commitment);
    for (const v1::EntropySourceRef& ref : sources) *request.add_entropy_sources() = ref;
    request.set_allow_unstaffed(options_.allow_unstaffed);
    request.set_request_id(NewRequestId());
    v1::Commitment response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::CommitPlan, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    Print(response, FormatCommitment(response));
    if (options_.output == OutputFormat::kTable) {
      absl::FPrintF(out_,
                    "next: each source signs round 0 of %s with commitment digest %s, no earlier "
                    "than %d s from now (regctl witness sign --plan=%s --round=0 "
                    "--commitment=%s ...); then regctl plan draw %s --statement=FILE,...%s\n",
                    id, response.commitment_digest(), response.min_entropy_delay_seconds(), id,
                    response.commitment_digest(), id,
                    options_.nonce_commitment.empty()
                        ? " (the server holds the sealed nonce)"
                        : " --nonce=HEX (keep your nonce until then)");
    }
    return kExitOk;
  }

  int Draw(const std::string& id, const std::vector<v1::EntropyStatement>& statements) {
    v1::DrawPlanRequest request;
    request.set_plan_id(id);
    for (const v1::EntropyStatement& s : statements) *request.add_statements() = s;
    request.set_nonce(options_.nonce);
    request.set_request_id(NewRequestId());
    v1::Draw response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::DrawPlan, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return PrintDraw(response);
  }

  int Announce(const std::string& id, const std::vector<std::string>& codes,
               const std::vector<v1::EntropySourceRef>& sources) {
    v1::AnnounceReplacementsRequest request;
    request.set_plan_id(id);
    for (const std::string& code : codes) request.add_credit_codes(code);
    request.set_reason(options_.reason);
    for (const v1::EntropySourceRef& ref : sources) *request.add_entropy_sources() = ref;
    request.set_restaff(options_.restaff);
    request.set_request_id(NewRequestId());
    v1::ReplacementAnnouncement response;
    const grpc::Status status =
        CallRpc(connection_, *stub_, &Stub::AnnounceReplacements, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    Print(response, FormatAnnouncement(response));
    if (options_.output == OutputFormat::kTable) {
      absl::FPrintF(out_,
                    "next: each source signs round %d of %s with commitment digest %s, no earlier "
                    "than %d s from now; then regctl plan replace %s --statement=FILE,...\n",
                    response.round(), id, response.commitment_digest(),
                    response.min_entropy_delay_seconds(), id);
    }
    return kExitOk;
  }

  int Replace(const std::string& id, const std::vector<std::string>& codes,
              const std::vector<v1::EntropyStatement>& statements) {
    v1::DrawReplacementsRequest request;
    request.set_plan_id(id);
    for (const std::string& code : codes) request.add_credit_codes(code);
    for (const v1::EntropyStatement& s : statements) *request.add_statements() = s;
    request.set_request_id(NewRequestId());
    v1::Draw response;
    const grpc::Status status =
        CallRpc(connection_, *stub_, &Stub::DrawReplacements, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return PrintDraw(response);
  }

  int Close(const std::string& id) {
    v1::ClosePlanRequest request;
    request.set_plan_id(id);
    request.set_request_id(NewRequestId());
    v1::Plan response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::ClosePlan, request, &response, RpcKind::kWrite);
    if (!status.ok()) return Fail(status);
    return PrintIdAndState(response);
  }

  int GetDraw(const std::string& plan_id) {
    v1::Draw response;
    const grpc::Status status = FetchDraw(plan_id, options_.round, &response);
    if (!status.ok()) return Fail(status);
    return PrintDraw(response);
  }

  int Export(const std::string& plan_id) {
    DrawExportFiles files;
    v1::ExportDrawInputsRequest request;
    request.set_plan_id(plan_id);
    request.set_round(options_.round);
    // A server stream that only reads: retried whole, like a read.
    grpc::Status status = RunRpc(PolicyFor(connection_), /*idempotent=*/true,
                                 [&](grpc::ClientContext* context) {
      files = DrawExportFiles();
      std::unique_ptr<grpc::ClientReader<v1::DrawInputsChunk>> reader =
          stub_->ExportDrawInputs(context, request);
      v1::DrawInputsChunk chunk;
      while (reader->Read(&chunk)) {
        files.roster_json += chunk.roster_json();  // sent in parts
        files.population_csv += chunk.population_csv();
      }
      return reader->Finish();
    });
    if (!status.ok()) return Fail(status);
    for (int round = 0;; ++round) {
      v1::Draw draw;
      status = FetchDraw(plan_id, round, &draw);
      if (status.error_code() == grpc::StatusCode::NOT_FOUND) break;
      if (!status.ok()) return Fail(status);
      if (draw.bundle_parts_size() > 0) {  // a large round: its parts, joined
        status = FetchBundle(draw, draw.mutable_bundle_json());
        if (!status.ok()) return Fail(status);
      }
      files.bundles.push_back(draw.bundle_json());
    }
    absl::StatusOr<std::vector<std::string>> written = WriteDrawExport(options_.out, files);
    if (!written.ok()) return LocalFailure(written.status());
    for (const std::string& path : *written) absl::FPrintF(out_, "wrote %s\n", path);
    absl::FPrintF(out_,
                  "population: %d enterprises with their risk classes (internal: never publish "
                  "population.csv)\n",
                  PopulationRows(files.population_csv));
    if (files.bundles.empty()) {
      absl::FPrintF(out_, "plan %s has no draw yet: export again after `regctl plan draw %s`\n",
                    plan_id, plan_id);
      return kExitOk;
    }
    absl::FPrintF(out_, "verify with:\n");
    for (size_t round = 0; round < files.bundles.size(); ++round) {
      absl::FPrintF(out_, "  %s\n", VerifyDrawCommandLine(options_.out, static_cast<int>(round)));
    }
    return kExitOk;
  }

 private:
  grpc::Status FetchDraw(const std::string& plan_id, int round, v1::Draw* draw) {
    v1::GetDrawRequest request;
    request.set_plan_id(plan_id);
    request.set_round(round);
    return CallRpc(connection_, *stub_, &Stub::GetDraw, request, draw, RpcKind::kRead);
  }

  // A round kept in parts: its bundle, streamed by GetDrawBundle and joined.
  grpc::Status FetchBundle(const v1::Draw& draw, std::string* bundle) {
    v1::GetDrawBundleRequest request;
    request.set_plan_id(draw.plan_id());
    request.set_round(draw.round());
    return RunRpc(PolicyFor(connection_), /*idempotent=*/true, [&](grpc::ClientContext* context) {
      bundle->clear();
      std::unique_ptr<grpc::ClientReader<v1::DrawBundlePart>> reader =
          stub_->GetDrawBundle(context, request);
      v1::DrawBundlePart part;
      while (reader->Read(&part)) *bundle += part.data();
      return reader->Finish();
    });
  }

  // The round's bundle: one file, or for a round kept in parts a manifest at `path` and
  // its parts beside it (docs/draw-spec.md §9.4); verify-draw reads either.
  absl::Status WriteBundle(const v1::Draw& draw, const std::string& path) {
    if (draw.bundle_parts_size() == 0) return WriteFileAtomic(path, draw.bundle_json());
    std::string bundle;
    if (grpc::Status fetched = FetchBundle(draw, &bundle); !fetched.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(fetched.error_code()),
                          fetched.error_message());
    }
    if (Sha256Hex(bundle) != draw.bundle_digest()) {
      return absl::DataLossError("the bundle streamed does not hash to the draw's bundle_digest");
    }
    std::string stem = path.substr(path.find_last_of('/') + 1);
    if (absl::EndsWith(stem, ".json")) stem.resize(stem.size() - 5);
    const scheduler::BundleManifest manifest =
        scheduler::ManifestOf(bundle, draw.bundle_part_bytes(), stem);
    const std::string dir = DirectoryOf(path);
    for (size_t i = 0; i < manifest.parts.size(); ++i) {
      REG_RETURN_IF_ERROR(WriteFileAtomic(
          absl::StrCat(dir, "/", manifest.parts[i].file),
          scheduler::PartOf(bundle, manifest.part_bytes, static_cast<int64_t>(i))));
    }
    return WriteFileAtomic(path, scheduler::WriteManifestJson(manifest));  // last: complete
  }

  // The draw as JSON or text, and its bundle to --bundle_out when given.
  int PrintDraw(const v1::Draw& draw) {
    Print(draw, FormatDraw(draw));
    if (options_.bundle_out.empty()) return kExitOk;
    if (absl::Status written = WriteBundle(draw, options_.bundle_out); !written.ok()) {
      LocalFailure(written);
      absl::FPrintF(stderr,
                    "the draw stands; fetch its bundle again with `regctl draw get %s "
                    "--round=%d --bundle_out=FILE`\n",
                    draw.plan_id(), draw.round());
      return kExitServerError;
    }
    // Said on stderr so that --output=json stays one JSON document.
    absl::FPrintF(stderr, "bundle of round %d: %s (regctl verify-draw %s)\n", draw.round(),
                  options_.bundle_out, options_.bundle_out);
    return kExitOk;
  }

  // "P20260501-0001 DRAFT", or the plan as JSON.
  int PrintIdAndState(const v1::Plan& plan) {
    Print(plan, absl::StrCat(plan.plan_id(), " ",
                             ShortEnumName(v1::PlanState_Name(plan.state()), "PLAN_STATE_"), "\n"));
    return kExitOk;
  }

  void Print(const google::protobuf::Message& message, const std::string& text) {
    std::fputs(options_.output == OutputFormat::kJson ? ToJson(message).c_str() : text.c_str(),
               out_);
  }

  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<Stub> stub_;
  const PlanOptions& options_;
  std::FILE* out_;
};

// What each command needs besides the plan id; "" when the flags are complete.
std::string MissingFlags(const std::string& command, const PlanOptions& o) {
  if (command == "plan create" && o.file.empty()) return "plan create needs --file=PLAN.json";
  if (command == "plan update" && o.file.empty()) {
    return "plan update needs --file=PLAN.json: the draft as it should be, from "
           "`regctl --output=json plan get ID` (its version is the one you read)";
  }
  if (command == "plan commit" && o.sources.empty()) {
    return "plan commit needs --source=ID[,ID@PULSE_TIME]: registered entropy sources "
           "(regctl entropy list), at least one witness or beacon";
  }
  if ((command == "plan draw" || command == "plan replace") && o.statements.empty()) {
    return absl::StrCat(command,
                        " needs --statement=FILE[,...]: one signed statement per source the "
                        "round names (regctl witness sign), or SOURCE_ID=PULSE.json for a beacon");
  }
  if (command == "plan announce" && (o.codes.empty() || o.reason.empty() || o.sources.empty())) {
    return "plan announce needs --codes=C1,C2, --reason=TEXT and --source=ID[,...]";
  }
  if (command == "draw get" && o.round < 0) return "--round: must not be negative";
  if (command == "draw export" && o.out.empty()) return "draw export needs --out=DIR";
  return "";
}

}  // namespace

int RunPlanCommand(const std::vector<std::string>& args, const PlanOptions& options,
                   const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.size() < 2) return Usage(absl::StrCat(args.empty() ? "" : args[0], ": missing verb"));
  const std::string command = absl::StrCat(args[0], " ", args[1]);
  // Commands and whether they take the plan id.
  static const auto* const kTakesId = new std::map<std::string, bool>{
      {"plan create", false},  {"plan update", true},  {"plan get", true},
      {"plan list", false},
      {"plan commit", true},   {"plan draw", true},    {"plan announce", true},
      {"plan replace", true},  {"plan close", true},   {"draw get", true},
      {"draw announce", true}, {"draw replace", true}, {"draw export", true}};
  std::string command_name = command;
  if (command == "draw announce" || command == "draw replace") {
    command_name = absl::StrCat("plan ", args[1]);  // the same commands, under draw too
  }
  auto found = kTakesId->find(command);
  if (found == kTakesId->end()) return Usage(absl::StrCat("unknown command \"", command, "\""));
  const size_t expected = found->second ? 3 : 2;
  if (args.size() != expected) {
    return Usage(found->second ? absl::StrCat(command, " takes one plan id")
                               : absl::StrCat(command, " takes flags, not arguments"));
  }
  if (std::string missing = MissingFlags(command_name, options); !missing.empty()) {
    return Usage(missing);
  }
  std::vector<std::string> codes;
  if (command_name == "plan announce" ||
      (command_name == "plan replace" && !options.codes.empty())) {
    absl::StatusOr<std::vector<std::string>> parsed = ParseCodeList("--codes", options.codes);
    if (!parsed.ok()) return Usage(parsed.status().message());
    codes = *std::move(parsed);
  }
  std::vector<v1::EntropySourceRef> sources;
  if (command_name == "plan commit" || command_name == "plan announce") {
    absl::StatusOr<std::vector<v1::EntropySourceRef>> parsed =
        ParseSourceRefs("--source", options.sources);
    if (!parsed.ok()) return Usage(parsed.status().message());
    sources = *std::move(parsed);
  }
  std::vector<v1::EntropyStatement> statements;
  if (command_name == "plan draw" || command_name == "plan replace") {
    absl::StatusOr<std::vector<v1::EntropyStatement>> read = ReadStatements(options.statements);
    if (!read.ok()) return Usage(read.status().message());
    statements = *std::move(read);
  }
  v1::Plan plan;
  if (command == "plan create" || command == "plan update") {
    absl::StatusOr<std::string> text = ReadWholeFile(options.file);
    if (!text.ok()) return Usage(absl::StrCat("--file: ", text.status().message()));
    if (absl::Status parsed = ParseCanonicalJson(*text, &plan); !parsed.ok()) {
      return Usage(absl::StrCat("--file: ", options.file, ": ", parsed.message()));
    }
  }
  if (command == "plan update") {
    if (!plan.plan_id().empty() && plan.plan_id() != args[2]) {
      return Usage(absl::StrCat("--file: ", options.file, " is plan ", plan.plan_id(), ", not ",
                                args[2]));
    }
    if (plan.version() <= 0) {
      return Usage(absl::StrCat("--file: ", options.file,
                                " has no version: start from `regctl --output=json plan get ",
                                args[2], "`, so that an edit made meanwhile is not lost"));
    }
    plan.set_plan_id(args[2]);
  }

  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  PlanCommand run(*connection, options, out);
  const std::string id = found->second ? args[2] : "";
  if (command == "plan create") return run.Create(plan);
  if (command == "plan update") return run.Update(plan);
  if (command == "plan get") return run.Get(id);
  if (command == "plan list") return run.List();
  if (command == "plan commit") return run.Commit(id, sources);
  if (command == "plan draw") return run.Draw(id, statements);
  if (command_name == "plan announce") return run.Announce(id, codes, sources);
  if (command_name == "plan replace") return run.Replace(id, codes, statements);
  if (command == "plan close") return run.Close(id);
  if (command == "draw get") return run.GetDraw(id);
  return run.Export(id);
}

}  // namespace regulation::regctl
