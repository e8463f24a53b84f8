#include "tools/regctl/oracle_file.h"

#include <fstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "tools/regctl/input_file.h"

namespace regulation::regctl {

absl::Status ReadOracleFile(const std::string& flag, const std::string& path,
                            google::protobuf::RepeatedPtrField<v1::OracleProbability>* oracle) {
  REG_RETURN_IF_ERROR(CheckInputFile(flag, path));
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::string line;
  std::getline(in, line);  // header
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    double p;
    if (fields.size() < 3 || !absl::SimpleAtod(fields[2], &p)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": not event_id,credit_code,p_true,..."));
    }
    v1::OracleProbability* o = oracle->Add();
    o->set_event_id(fields[0]);
    o->set_probability(p);
  }
  return absl::OkStatus();
}

}  // namespace regulation::regctl
