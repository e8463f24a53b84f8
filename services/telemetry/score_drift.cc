#include "services/telemetry/score_drift.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/scoring.pb.h"

namespace regulation::telemetry {
namespace {

constexpr double kMinShare = 0.0001;

int64_t Total(const ScoreBins& bins) {
  int64_t total = 0;
  for (int64_t n : bins) total += n;
  return total;
}

const google::protobuf::Value* Field(const google::protobuf::Value& value,
                                     const std::string& name) {
  if (value.kind_case() != google::protobuf::Value::kStructValue) return nullptr;
  const auto& fields = value.struct_value().fields();
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : &it->second;
}

}  // namespace

int ScoreBin(double probability) {
  if (!(probability >= 0)) return 0;  // NaN and negatives: the first bin
  const int bin = static_cast<int>(probability * kScoreBins);
  return bin >= kScoreBins ? kScoreBins - 1 : bin;
}

absl::StatusOr<ScoreBins> TrainingScoreBins(const internal::ModelRecord& record) {
  const std::string& version = record.model().version();
  google::protobuf::Value report;
  if (!google::protobuf::util::JsonStringToMessage(record.report_json(), &report).ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("model ", version, " has no readable evaluation report"));
  }
  const google::protobuf::Value* curves = Field(report, "curves");
  const google::protobuf::Value* model = curves ? Field(*curves, "model") : nullptr;
  const google::protobuf::Value* calibration = model ? Field(*model, "calibration") : nullptr;
  if (calibration == nullptr ||
      calibration->kind_case() != google::protobuf::Value::kListValue ||
      calibration->list_value().values_size() != kScoreBins) {
    return absl::FailedPreconditionError(absl::StrCat(
        "model ", version, "'s report has no ", kScoreBins, " calibration bins to compare with"));
  }
  ScoreBins bins{};
  for (int i = 0; i < kScoreBins; ++i) {
    const google::protobuf::Value* count = Field(calibration->list_value().values(i), "count");
    if (count == nullptr || count->kind_case() != google::protobuf::Value::kNumberValue ||
        count->number_value() < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("model ", version, "'s calibration bin ", i, " has no count"));
    }
    bins[i] = static_cast<int64_t>(count->number_value());
  }
  return bins;
}

absl::StatusOr<ScoreBins> StoredScoreBins(storage::KvStore* store,
                                          const std::string& model_version) {
  ScoreBins bins{};
  std::unique_ptr<storage::Iterator> it = store->NewIterator(storage::ColumnFamily::kScores);
  v1::RiskScore score;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!score.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a stored score is corrupt");
    }
    if (score.model_version() != model_version) continue;
    ++bins[ScoreBin(score.probability())];
  }
  if (!it->status().ok()) return it->status();
  return bins;
}

double PopulationStabilityIndex(const ScoreBins& expected, const ScoreBins& actual) {
  const int64_t expected_total = Total(expected);
  const int64_t actual_total = Total(actual);
  if (expected_total == 0 || actual_total == 0) return 0;
  double psi = 0;
  for (int i = 0; i < kScoreBins; ++i) {
    const double e = std::max(kMinShare, static_cast<double>(expected[i]) / expected_total);
    const double a = std::max(kMinShare, static_cast<double>(actual[i]) / actual_total);
    psi += (a - e) * std::log(a / e);
  }
  return psi;
}

namespace {

absl::StatusOr<std::string> ReferencePath(const std::string& dir, const std::string& version) {
  if (version.empty() || version.size() > 64) {
    return absl::InvalidArgumentError("a model version is 1 to 64 characters");
  }
  for (char c : version) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return absl::InvalidArgumentError(
          absl::StrCat("model version \"", version, "\" is not a plain name"));
    }
  }
  return absl::StrCat(dir, "/score-reference-", version);
}

}  // namespace

absl::StatusOr<std::optional<ScoreBins>> ReadScoreReference(const std::string& dir,
                                                           const std::string& model_version) {
  absl::StatusOr<std::string> path = ReferencePath(dir, model_version);
  if (!path.ok()) return path.status();
  absl::StatusOr<std::string> text = ReadWholeFile(*path);
  if (absl::IsNotFound(text.status())) return std::optional<ScoreBins>();
  if (!text.ok()) return text.status();
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::StripAsciiWhitespace(*text), ' ', absl::SkipEmpty());
  ScoreBins bins{};
  if (fields.size() != kScoreBins) {
    return absl::DataLossError(absl::StrCat(*path, " does not hold ", kScoreBins, " counts"));
  }
  for (int i = 0; i < kScoreBins; ++i) {
    if (!absl::SimpleAtoi(fields[i], &bins[i]) || bins[i] < 0) {
      return absl::DataLossError(absl::StrCat(*path, ": count ", i, " is not a count"));
    }
  }
  return std::optional<ScoreBins>(bins);
}

absl::Status WriteScoreReference(const std::string& dir, const std::string& model_version,
                                 const ScoreBins& bins) {
  absl::StatusOr<std::string> path = ReferencePath(dir, model_version);
  if (!path.ok()) return path.status();
  return WriteFileAtomically(*path, absl::StrCat(absl::StrJoin(bins, " "), "\n"));
}

}  // namespace regulation::telemetry
