#ifndef TOOLS_REGCTL_ORACLE_FILE_H_
#define TOOLS_REGCTL_ORACLE_FILE_H_

// The generator's inspections_truth.csv (tools/synth: event_id,credit_code,p_true,
// problem_found), read into OracleProbability messages for train and backtest.

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/repeated_field.h"
#include "regulation/v1/scoring_service.pb.h"

namespace regulation::regctl {

// Appends one OracleProbability per line. NOT_FOUND / INVALID_ARGUMENT naming `flag`
// or the file's line.
absl::Status ReadOracleFile(const std::string& flag, const std::string& path,
                            google::protobuf::RepeatedPtrField<v1::OracleProbability>* oracle);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ORACLE_FILE_H_
