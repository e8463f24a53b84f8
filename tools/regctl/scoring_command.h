#ifndef TOOLS_REGCTL_SCORING_COMMAND_H_
#define TOOLS_REGCTL_SCORING_COMMAND_H_

// Risk scoring from the command line:
//   regctl train [--config=CONFIG.json] [--oracle=inspections_truth.csv] [--report_dir=DIR]
//   regctl model list | get VERSION | activate VERSION
//   regctl score get CODE [--stored | --as_of=T [--model=V]] [--lang=zh|en]
//   regctl score all [--resume_token=T] | distribution [--region_digits=N]
//   regctl policy get | set --cut_points=B,C,D | set --quantiles=A,B,C

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "regulation/v1/scoring.pb.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct ScoringOptions {
  // train: a TrainingConfig in protobuf's canonical JSON (docs/scoring.md); empty means
  // the defaults.
  std::string config_file;
  // train: the generator's inspections_truth.csv, for the oracle AUC (generated data).
  std::string oracle_file;
  // train: where to write report.html and report.json (default: model-report-VERSION).
  std::string report_dir;
  // score get: the stored batch score instead of a fresh one with reasons.
  bool stored = false;
  // score get: a model's score on the portrait as of this moment (RFC 3339 or
  // YYYY-MM-DD), with `model_version` (empty: the active model); no reasons.
  std::string as_of;
  std::string model_version;
  // score get: the reasons' language: "zh" (ScoreReason.text_zh, what inspectors and
  // enterprises read; text when a server sends none) or "en" (ScoreReason.text).
  std::string lang = "zh";
  std::string resume_token;
  int region_digits = 0;
  // policy set: "0.05,0.12,0.25" or "0.5,0.3,0.15".
  std::string cut_points;
  std::string quantiles;
  OutputFormat output = OutputFormat::kTable;
};

// One reason as `score get` prints it: "  CODE  +0.412  text", the text in `lang` ("zh":
// text_zh, or text when it is empty; "en": text).
std::string ReasonLine(const v1::ScoreReason& reason, absl::string_view lang);

// `args[0]` is train, model, score or policy. Exit codes as in connection.h.
int RunScoringCommand(const std::vector<std::string>& args, const ScoringOptions& options,
                      const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_SCORING_COMMAND_H_
