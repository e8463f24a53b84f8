#ifndef TOOLS_REGCTL_BACKTEST_COMMAND_H_
#define TOOLS_REGCTL_BACKTEST_COMMAND_H_

// regctl backtest --from=D --to=D [--model=V] [--oracle=inspections_truth.csv]
//                 [--shuffles=N] [--seed=N]
// Every inspection of the period scored as of its own day (ScoringService.Backtest),
// printed as a table of figures, or as JSON with --output=json.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct BacktestOptions {
  std::string model_version;  // empty: the active model
  std::string from;           // YYYY-MM-DD, required
  std::string to;             // YYYY-MM-DD, required
  std::string oracle_file;    // optional
  int shuffles = 0;           // 0: the server's default (200)
  uint64_t seed = 0;          // 0: the server's default (1)
  OutputFormat output = OutputFormat::kTable;
};

// `args` are the words after "backtest" (none). Exit codes as in connection.h.
int RunBacktestCommand(const std::vector<std::string>& args, const BacktestOptions& options,
                       const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_BACKTEST_COMMAND_H_
