#include "tools/regctl/backtest_command.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "regulation/v1/scoring_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "tools/regctl/date_time_flag.h"
#include "tools/regctl/oracle_file.h"
#include "tools/regctl/rpc_call.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

int Usage(absl::string_view message) { return UsageError({"backtest"}, message); }

std::string Figure(double x, const char* format = "%.3f") {
  return std::isnan(x) ? "-" : absl::StrFormat(format, x);
}

void AddScorer(const v1::BacktestScorer& s, Table* table) {
  std::vector<std::string> row = {s.name(), Figure(s.auc())};
  for (const v1::BudgetFigures& b : s.budgets()) {
    row.push_back(absl::StrFormat("%.3f/%.3f/%.2f", b.precision(), b.recall(), b.lift()));
  }
  row.push_back(Figure(s.calibration_error()));
  row.push_back(Figure(s.mean_days_earlier(), "%+.1f"));
  table->AddRow(std::move(row));
}

std::string Interval(const v1::EstimateInterval& i, const char* format) {
  return absl::StrCat(absl::StrFormat(format, i.estimate()), " [",
                      absl::StrFormat(format, i.lower()), ", ", absl::StrFormat(format, i.upper()),
                      "]");
}

void PrintDesign(const v1::DesignEstimates& d, std::FILE* out) {
  std::fprintf(out,
               "\nselection-corrected (%lld inspections from random draws; %lld others left out)\n",
               static_cast<long long>(d.random_inspections()),
               static_cast<long long>(d.other_inspections()));
  Table rates({"CLASS", "VIOLATION RATE [95%]", "POPULATION", "INSPECTED", "VIOLATIONS"});
  auto add = [&](const v1::ClassViolationRate& r) {
    const std::string name = r.risk_class() == v1::RISK_CLASS_UNSPECIFIED
                                 ? "all"
                                 : std::string(1, static_cast<char>('A' + r.risk_class() - 1));
    rates.AddRow({name, Interval(r.rate(), "%.3f"), absl::StrCat(r.population()),
                  absl::StrCat(r.inspected()), absl::StrCat(r.violations())});
  };
  for (const v1::ClassViolationRate& r : d.by_class()) add(r);
  add(d.overall());
  std::fputs(rates.Render().c_str(), out);
  std::fprintf(out, "weighted AUC %s, weighted precision@5%% %s, @10%% %s\n",
               Figure(d.weighted_auc()).c_str(), Figure(d.weighted_precision_at_5pct()).c_str(),
               Figure(d.weighted_precision_at_10pct()).c_str());
  std::fprintf(out,
               "violations per 100 inspections: class quotas %s, uniform draw of the same size "
               "%s, difference %s\n",
               Interval(d.quota_per_100(), "%.1f").c_str(),
               Interval(d.uniform_per_100(), "%.1f").c_str(),
               Interval(d.quota_minus_uniform(), "%+.1f").c_str());
}

void Print(const v1::BacktestReport& r, std::FILE* out) {
  std::fprintf(out,
               "backtest of model %s, %s to %s: %lld inspections on %lld days, %lld with "
               "violations (base rate %.3f)\n",
               r.model_version().c_str(),
               absl::FormatCivilTime(*services::FromProtoDate(r.from())).c_str(),
               absl::FormatCivilTime(*services::FromProtoDate(r.to())).c_str(),
               static_cast<long long>(r.inspections()), static_cast<long long>(r.inspection_days()),
               static_cast<long long>(r.violations()), r.base_rate());
  Table table(
      {"ORDER", "AUC", "P/R/LIFT@5%", "P/R/LIFT@10%", "P/R/LIFT@20%", "CALIB.ERR", "DAYS EARLIER"});
  AddScorer(r.model(), &table);
  if (r.has_baseline()) AddScorer(r.baseline(), &table);
  if (r.has_oracle()) AddScorer(r.oracle(), &table);
  table.AddRow({absl::StrCat("random (", r.shuffles(), ")"), "-", "-", "-", "-", "-",
                absl::StrFormat("%+.1f (sd %.1f; 95%% %+.1f..%+.1f)", r.random_mean_days_earlier(),
                                r.random_sd_days_earlier(), r.random_p025_days_earlier(),
                                r.random_p975_days_earlier())});
  std::fputs(table.Render().c_str(), out);
  std::fprintf(out, "baseline: %s\n", r.baseline_note().c_str());
  if (!r.oracle_note().empty()) std::fprintf(out, "oracle: %s\n", r.oracle_note().c_str());
  std::fprintf(out,
               "days earlier: the period's inspections reordered by score within its real daily "
               "capacity; mean days by which those with violations come sooner\n");
  if (r.has_design()) PrintDesign(r.design(), out);
}


}  // namespace

int RunBacktestCommand(const std::vector<std::string>& args, const BacktestOptions& options,
                       const ConnectionOptions& connection_options, std::FILE* out) {
  if (!args.empty()) return Usage("backtest takes no arguments, only flags");
  v1::BacktestRequest request;
  // Whole days: --to is the period's last day, included.
  absl::StatusOr<absl::CivilDay> from = ParseDayFlag("--from", options.from);
  if (!from.ok()) return Usage(from.status().message());
  absl::StatusOr<absl::CivilDay> to = ParseDayFlag("--to", options.to);
  if (!to.ok()) return Usage(to.status().message());
  *request.mutable_from() = services::ToProtoDate(*from);
  *request.mutable_to() = services::ToProtoDate(*to);
  request.set_model_version(options.model_version);
  request.set_shuffles(options.shuffles);
  request.set_seed(options.seed);
  if (!options.oracle_file.empty()) {
    absl::Status read = ReadOracleFile("--oracle", options.oracle_file, request.mutable_oracle());
    if (!read.ok()) return Usage(read.message());
  }
  absl::StatusOr<Connection> connection = Connection::Open(connection_options);
  if (!connection.ok()) return ReportOpenFailure(connection.status(), connection_options);
  auto stub = v1::ScoringService::NewStub(connection->channel());
  v1::BacktestReport report;
  // A read, retried like one, but with no deadline: a backtest reads the whole history.
  CallPolicy policy = PolicyFor(*connection);
  policy.deadline = absl::InfiniteDuration();
  const grpc::Status status =
      RunRpc(policy, /*idempotent=*/true, [&](grpc::ClientContext* context) {
        report.Clear();
        return stub->Backtest(context, request, &report);
      });
  if (!status.ok()) return ReportFailure(CallStatus(status), connection_options);
  if (options.output == OutputFormat::kJson) {
    std::fputs(ToJson(report).c_str(), out);
  } else {
    Print(report, out);
  }
  return kExitOk;
}

}  // namespace regulation::regctl
