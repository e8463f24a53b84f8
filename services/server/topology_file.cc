#include "services/server/topology_file.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/status_macros.h"

namespace regulation::services {
namespace {

// Collects the parser's first complaint.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error_.empty()) error_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::StatusOr<internal::v1::Topology> LoadTopology(const std::string& path) {
  REG_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  internal::v1::Topology topology;
  if (!parser.ParseFromString(text, &topology)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", errors.error()));
  }
  if (topology.call_deadline_seconds() < 0 || topology.stream_deadline_seconds() < 0 ||
      topology.history_retry_seconds() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": call_deadline_seconds, stream_deadline_seconds and "
                           "history_retry_seconds must not be negative"));
  }
  return topology;
}

}  // namespace regulation::services
