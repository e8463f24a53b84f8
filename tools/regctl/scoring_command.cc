#include "tools/regctl/scoring_command.h"

#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "google/protobuf/util/json_util.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "regulation/v1/scoring_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "tools/regctl/date_time_flag.h"
#include "tools/regctl/input_file.h"
#include "tools/regctl/oracle_file.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) {
  return UsageError({"train", "model", "score", "policy"}, message);
}

std::string ClassName(v1::RiskClass c) {
  switch (c) {
    case v1::RISK_CLASS_A:
      return "A (low)";
    case v1::RISK_CLASS_B:
      return "B (general)";
    case v1::RISK_CLASS_C:
      return "C (relatively high)";
    case v1::RISK_CLASS_D:
      return "D (high)";
    default:
      return "-";
  }
}

absl::StatusOr<std::vector<double>> ParseTriple(absl::string_view flag, const std::string& text) {
  std::vector<double> values;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    double v;
    if (!absl::SimpleAtod(part, &v)) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": \"", part, "\" is not a number"));
    }
    values.push_back(v);
  }
  if (values.size() != 3) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": three numbers, comma-separated"));
  }
  return values;
}

void PrintModel(const v1::Model& m, std::FILE* out) {
  const v1::ModelMetrics& x = m.metrics();
  std::fprintf(out, "%s  %s  best iteration %d  schema %s  data %s\n", m.version().c_str(),
               v1::ModelState_Name(m.state()).c_str(), m.best_iteration(),
               m.schema_digest().substr(0, 12).c_str(),
               m.training_data_digest().substr(0, 12).c_str());
  std::fprintf(
      out,
      "  held-out: %lld rows, AUC %.3f (gblinear %.3f%s), precision@5%% %.3f (base rate "
      "%.3f, lift %.2f), precision@10%% %.3f, calibration error %.3f\n",
      static_cast<long long>(x.validation_rows()), x.auc(), x.baseline_auc(),
      x.oracle_auc() > 0
          ? absl::StrFormat(", oracle %.3f, ratio %.3f", x.oracle_auc(), x.auc_to_oracle()).c_str()
          : "",
      x.precision_at_5pct(), x.base_rate(), x.lift_at_5pct(), x.precision_at_10pct(),
      x.calibration_error());
}

class ScoringCommand {
  using Stub = v1::ScoringService::Stub;

 public:
  ScoringCommand(const Connection& connection, const ScoringOptions& options, std::FILE* out)
      : connection_(connection),
        stub_(v1::ScoringService::NewStub(connection.channel())),
        options_(options),
        out_(out) {}

  int Train() {
    v1::TrainModelRequest request;
    if (!options_.config_file.empty()) {
      if (absl::Status file = CheckInputFile("--config", options_.config_file); !file.ok()) {
        return Usage(file.message());
      }
      absl::StatusOr<std::string> text = ReadWholeFile(options_.config_file);
      if (!text.ok()) return Usage(absl::StrCat("--config: ", text.status().message()));
      if (!google::protobuf::util::JsonStringToMessage(*text, request.mutable_config()).ok()) {
        return Usage(
            absl::StrCat("--config: ", options_.config_file, " is not a TrainingConfig in JSON"));
      }
    }
    if (!options_.oracle_file.empty()) {
      absl::Status read =
          ReadOracleFile("--oracle", options_.oracle_file, request.mutable_oracle());
      if (!read.ok()) {
        return Usage(read.message());
      }
    }
    if (!options_.report_dir.empty()) {
      // Before training, so that a bad directory costs nothing.
      std::error_code error;
      std::filesystem::create_directories(options_.report_dir, error);
      if (error || !std::filesystem::is_directory(options_.report_dir)) {
        return Usage(absl::StrCat("--report_dir: cannot create ", options_.report_dir, ": ",
                                  error ? error.message() : "not a directory"));
      }
    }
    request.set_request_id(NewRequestId());
    grpc::ClientContext context;  // no deadline: training takes as long as it takes
    auto reader = stub_->TrainModel(&context, request);
    v1::TrainModelProgress progress, last;
    std::string stage;
    while (reader->Read(&progress)) {
      if (progress.stage() != stage && progress.stage().rfind("round", 0) != 0) {
        stage = progress.stage();
        std::fprintf(stderr, "  %s\n", stage.c_str());
      }
      last = progress;
    }
    const grpc::Status status = reader->Finish();
    if (!status.ok()) return Fail(status);
    const std::string dir = options_.report_dir.empty()
                                ? absl::StrCat("model-report-", last.model().version())
                                : options_.report_dir;
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    for (const auto& [name, text] : {std::pair<std::string, const std::string*>{
                                         "report.html", &last.report_html()},
                                     {"report.json", &last.report_json()}}) {
      std::ofstream file(dir + "/" + name, std::ios::binary | std::ios::trunc);
      file << *text;
      file.close();
      if (error || !file) {
        std::fprintf(stderr,
                     "error: model %s is stored, but its report could not be written to %s/%s%s%s\n",
                     last.model().version().c_str(), dir.c_str(), name.c_str(),
                     error ? ": " : "", error ? error.message().c_str() : "");
        return 1;
      }
    }
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(last.model()).c_str(), out_);
    } else {
      PrintModel(last.model(), out_);
      std::fprintf(out_, "report: %s/report.html\nactivate it: regctl model activate %s\n",
                   dir.c_str(), last.model().version().c_str());
    }
    return kExitOk;
  }

  int Model(const std::vector<std::string>& args) {
    if (args.size() == 1 && args[0] == "list") {
      v1::ListModelsRequest request;
      v1::ListModelsResponse all;
      const grpc::Status status =
          ListPages(connection_, *stub_, &Stub::ListModels, request, /*all_pages=*/true, &all);
      if (!status.ok()) return Fail(status);
      if (options_.output == OutputFormat::kJson) {
        std::fputs(ToJson(all).c_str(), out_);
      } else {
        for (const v1::Model& m : all.models()) PrintModel(m, out_);
      }
      return kExitOk;
    }
    if (args.size() != 2 || (args[0] != "get" && args[0] != "activate")) {
      return Usage("model list | model get VERSION | model activate VERSION");
    }
    v1::Model model;
    grpc::Status status;
    if (args[0] == "get") {
      v1::GetModelRequest request;
      request.set_version(args[1]);
      status = CallRpc(connection_, *stub_, &Stub::GetModel, request, &model, RpcKind::kRead);
    } else {
      v1::ActivateModelRequest request;
      request.set_version(args[1]);
      request.set_request_id(NewRequestId());
      status =
          CallRpc(connection_, *stub_, &Stub::ActivateModel, request, &model, RpcKind::kWrite);
    }
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(model).c_str(), out_);
    } else {
      PrintModel(model, out_);
    }
    return kExitOk;
  }

  int Score(const std::vector<std::string>& args) {
    if (args.size() == 2 && args[0] == "get") return ScoreOne(args[1]);
    if (args.size() == 1 && args[0] == "all") return ScoreAll();
    if (args.size() == 1 && args[0] == "distribution") return Distribution();
    return Usage("score get CODE | score all | score distribution");
  }

  int Policy(const std::vector<std::string>& args) {
    v1::RiskClassPolicy policy;
    grpc::Status status;
    if (args.size() == 1 && args[0] == "get") {
      status = CallRpc(connection_, *stub_, &Stub::GetRiskClassPolicy,
                       v1::GetRiskClassPolicyRequest(), &policy, RpcKind::kRead);
    } else if (args.size() == 1 && args[0] == "set") {
      v1::UpdateRiskClassPolicyRequest request;
      if (!options_.cut_points.empty() == !options_.quantiles.empty()) {
        return Usage("policy set takes --cut_points=B,C,D or --quantiles=A,B,C");
      }
      if (!options_.cut_points.empty()) {
        absl::StatusOr<std::vector<double>> v = ParseTriple("--cut_points", options_.cut_points);
        if (!v.ok()) return Usage(v.status().message());
        auto* c = request.mutable_policy()->mutable_cut_points();
        c->set_b((*v)[0]);
        c->set_c((*v)[1]);
        c->set_d((*v)[2]);
      } else {
        absl::StatusOr<std::vector<double>> v = ParseTriple("--quantiles", options_.quantiles);
        if (!v.ok()) return Usage(v.status().message());
        auto* q = request.mutable_policy()->mutable_quantiles();
        q->set_a_share((*v)[0]);
        q->set_b_share((*v)[1]);
        q->set_c_share((*v)[2]);
      }
      request.set_request_id(NewRequestId());
      status = CallRpc(connection_, *stub_, &Stub::UpdateRiskClassPolicy, request, &policy,
                       RpcKind::kWrite);
    } else {
      return Usage("policy get | policy set --cut_points=B,C,D | --quantiles=A,B,C");
    }
    if (!status.ok()) return Fail(status);
    std::fputs(ToJson(policy).c_str(), out_);
    return kExitOk;
  }

 private:
  int ScoreOne(const std::string& code) {
    v1::RiskScore score;
    grpc::Status status;
    if (!options_.as_of.empty()) {
      absl::StatusOr<absl::Time> when = ParseAsOfFlag("--as_of", options_.as_of, absl::Now());
      if (!when.ok()) return Usage(when.status().message());
      v1::ScoreAsOfRequest request;
      request.set_credit_code(code);
      *request.mutable_as_of() = services::ToProtoTimestamp(*when);
      request.set_model_version(options_.model_version);
      status = CallRpc(connection_, *stub_, &Stub::ScoreAsOf, request, &score, RpcKind::kRead);
    } else if (options_.stored) {
      v1::GetScoreRequest request;
      request.set_credit_code(code);
      status = CallRpc(connection_, *stub_, &Stub::GetScore, request, &score, RpcKind::kRead);
    } else {
      v1::ScoreRequest request;
      request.set_credit_code(code);
      // Score computes without storing: a read.
      status = CallRpc(connection_, *stub_, &Stub::Score, request, &score, RpcKind::kRead);
    }
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(score).c_str(), out_);
      return kExitOk;
    }
    std::fprintf(out_, "%s  probability %.3f  class %s  model %s\n", score.credit_code().c_str(),
                 score.probability(), ClassName(score.risk_class()).c_str(),
                 score.model_version().c_str());
    if (!options_.as_of.empty()) {
      std::fprintf(out_, "  as of %s (no reasons for a past score)\n",
                   absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez",
                                    *services::FromProtoTimestamp(score.score_time()),
                                    ChinaTimeZone())
                       .c_str());
    } else if (score.reasons().empty() && !options_.stored) {
      std::fprintf(out_, "  no risk-raising reasons\n");
    }
    for (const v1::ScoreReason& r : score.reasons()) {
      absl::FPrintF(out_, "%s\n", ReasonLine(r, options_.lang));
    }
    return kExitOk;
  }

  int ScoreAll() {
    v1::ScoreAllRequest request;
    request.set_resume_token(options_.resume_token);
    request.set_request_id(NewRequestId());
    grpc::ClientContext context;
    auto reader = stub_->ScoreAll(&context, request);
    v1::ScoreAllProgress progress, last;
    while (reader->Read(&progress)) {
      last = progress;
      std::fprintf(stderr, "  %lld / %lld scored (resume with --resume_token=%s)\n",
                   static_cast<long long>(progress.scored()),
                   static_cast<long long>(progress.total()), progress.resume_token().c_str());
    }
    const grpc::Status status = reader->Finish();
    if (!status.ok()) return Fail(status);
    std::fprintf(out_, "%lld enterprises scored with model %s%s\n",
                 static_cast<long long>(last.scored()), last.model_version().c_str(),
                 last.done() ? "" : " (not finished)");
    return last.done() ? kExitOk : kExitServerError;
  }

  int Distribution() {
    v1::GetClassDistributionRequest request;
    request.set_region_digits(options_.region_digits);
    v1::GetClassDistributionResponse response;
    const grpc::Status status = CallRpc(connection_, *stub_, &Stub::GetClassDistribution,
                                        request, &response, RpcKind::kRead);
    if (!status.ok()) return Fail(status);
    if (options_.output == OutputFormat::kJson) {
      std::fputs(ToJson(response).c_str(), out_);
      return kExitOk;
    }
    Table table({"GROUP", "A", "B", "C", "D"});
    auto add = [&](const std::string& group, const v1::ClassCount& c) {
      table.AddRow({group, absl::StrCat(c.class_a()), absl::StrCat(c.class_b()),
                    absl::StrCat(c.class_c()), absl::StrCat(c.class_d())});
    };
    add("total", response.total());
    for (const auto& c : response.by_region()) add(absl::StrCat("region ", c.key()), c);
    for (const auto& c : response.by_industry()) add(absl::StrCat("industry ", c.key()), c);
    std::fprintf(out_, "model %s\n", response.model_version().c_str());
    std::fputs(table.Render().c_str(), out_);
    return kExitOk;
  }

  int Fail(const grpc::Status& status) {
    return ReportFailure(CallStatus(status), connection_.options());
  }

  const Connection& connection_;
  std::unique_ptr<v1::ScoringService::Stub> stub_;
  const ScoringOptions& options_;
  std::FILE* out_;
};

}  // namespace

std::string ReasonLine(const v1::ScoreReason& reason, absl::string_view lang) {
  const std::string& text =
      lang == "en" || reason.text_zh().empty() ? reason.text() : reason.text_zh();
  return absl::StrFormat("  %-28s %+.3f  %s", reason.code(), reason.contribution(), text);
}

int RunScoringCommand(const std::vector<std::string>& args, const ScoringOptions& options,
                      const ConnectionOptions& connection_options, std::FILE* out) {
  if (args.empty()) return Usage("missing command");
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "train" && !rest.empty()) return Usage("train takes flags, not arguments");
  if (command != "train" && command != "model" && command != "score" && command != "policy") {
    return Usage(absl::StrCat("unknown command \"", command, "\""));
  }
  if (options.lang != "zh" && options.lang != "en") {
    return Usage(absl::StrCat("--lang: zh or en, got \"", options.lang, "\""));
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  ScoringCommand scoring(*connection, options, out);
  if (command == "train") return scoring.Train();
  if (command == "model") return scoring.Model(rest);
  if (command == "score") return scoring.Score(rest);
  return scoring.Policy(rest);
}

}  // namespace regulation::regctl
