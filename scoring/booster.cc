#include "scoring/booster.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scoring/xgboost_status.h"

namespace regulation::scoring {
namespace {

// Prediction configurations (XGBoosterPredictFromDMatrix / XGBoosterPredictFromDense).
// In-place prediction in 1.7.4 fails unless "cache_id" is present
// (../shared/notes/baselines.md); "missing": NaN is XGBoost's JSON spelling of NaN.
constexpr absl::string_view kInPlaceConfigFormat =
    R"({"type": %d, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
    R"("strict_shape": false, "cache_id": 0, "missing": NaN})";
constexpr absl::string_view kDMatrixConfigFormat =
    R"({"type": %d, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
    R"("strict_shape": false})";

// The __array_interface__ (version 3) of a C-contiguous float32 matrix.
std::string ArrayInterface(const float* data, size_t rows, size_t cols) {
  return absl::StrFormat(
      R"({"data": [%d, true], "shape": [%d, %d], "typestr": "<f4", "version": 3})",
      reinterpret_cast<uintptr_t>(data), rows, cols);
}

size_t ShapeProduct(const bst_ulong* shape, bst_ulong dim) {
  size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= static_cast<size_t>(shape[i]);
  return n;
}

// The booster type from XGBoost's JSON configuration (its objects print their keys in
// order and without spaces). A dart configuration nests a gbtree one, so test it first.
std::string BoosterTypeFromConfig(absl::string_view config) {
  if (absl::StrContains(config, R"("name":"gblinear")")) return "gblinear";
  if (absl::StrContains(config, R"("name":"dart")")) return "dart";
  if (absl::StrContains(config, R"("name":"gbtree")")) return "gbtree";
  return "";
}

}  // namespace

void BoosterHandleDeleter::operator()(void* handle) const {
  if (handle != nullptr) XGBoosterFree(handle);
}

// --- DMatrix ---------------------------------------------------------------------------

absl::StatusOr<DMatrix> DMatrix::FromDense(absl::Span<const float> rows_row_major, size_t n_rows,
                                           size_t n_features) {
  if (n_features == 0) return absl::InvalidArgumentError("matrix: no features");
  if (rows_row_major.size() != n_rows * n_features) {
    return absl::InvalidArgumentError(absl::StrFormat("matrix: %d values for %d rows x %d features",
                                                      rows_row_major.size(), n_rows, n_features));
  }
  DMatrixHandle handle = nullptr;
  REG_RETURN_IF_ERROR(
      XgbCheck(XGDMatrixCreateFromMat_omp(rows_row_major.data(), n_rows, n_features,
                                          std::numeric_limits<float>::quiet_NaN(), &handle,
                                          /*nthread=*/0),
               "creating a DMatrix"));
  return DMatrix(handle, n_rows, n_features);
}

DMatrix::DMatrix(DMatrix&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      rows_(std::exchange(other.rows_, 0)),
      cols_(std::exchange(other.cols_, 0)) {}

DMatrix& DMatrix::operator=(DMatrix&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    rows_ = std::exchange(other.rows_, 0);
    cols_ = std::exchange(other.cols_, 0);
  }
  return *this;
}

DMatrix::~DMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

absl::Status DMatrix::SetLabels(absl::Span<const float> labels) {
  if (labels.size() != rows_) {
    return absl::InvalidArgumentError(
        absl::StrFormat("matrix: %d labels for %d rows", labels.size(), rows_));
  }
  return XgbCheck(XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()),
                  "setting labels");
}

// --- Booster ---------------------------------------------------------------------------

Booster::Booster(OwnedBoosterHandle handle, int num_features, int boosted_rounds,
                 std::string booster_type)
    : handle_(std::move(handle)),
      num_features_(num_features),
      boosted_rounds_(boosted_rounds),
      booster_type_(std::move(booster_type)),
      serialize_predictions_(booster_type_ != "gbtree"),
      mu_(std::make_unique<absl::Mutex>()) {}

absl::StatusOr<Booster> Booster::Load(absl::string_view model_bytes) {
  // JSON and UBJSON models are both objects; refuse anything else before XGBoost parses
  // it (the deprecated binary format is not accepted).
  if (model_bytes.empty() || model_bytes.front() != '{') {
    return absl::InvalidArgumentError("model: not an XGBoost JSON or UBJSON model");
  }
  BoosterHandle raw = nullptr;
  REG_RETURN_IF_ERROR(XgbCheck(XGBoosterCreate(nullptr, 0, &raw), "creating a booster"));
  OwnedBoosterHandle handle(raw);
  REG_RETURN_IF_ERROR(
      XgbCheck(XGBoosterLoadModelFromBuffer(handle.get(), model_bytes.data(), model_bytes.size()),
               "loading the model", absl::StatusCode::kInvalidArgument));

  // Configures the learner (XGBoost does it lazily, on the first call that needs it).
  int rounds = 0;
  REG_RETURN_IF_ERROR(XgbCheck(XGBoosterBoostedRounds(handle.get(), &rounds),
                               "reading the number of rounds", absl::StatusCode::kInvalidArgument));
  bst_ulong features = 0;
  REG_RETURN_IF_ERROR(
      XgbCheck(XGBoosterGetNumFeature(handle.get(), &features), "reading the number of features"));
  if (features == 0 || features > static_cast<bst_ulong>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError(
        absl::StrFormat("model: reads %d features", static_cast<uint64_t>(features)));
  }
  bst_ulong config_len = 0;
  const char* config = nullptr;
  REG_RETURN_IF_ERROR(XgbCheck(XGBoosterSaveJsonConfig(handle.get(), &config_len, &config),
                               "reading the configuration"));
  std::string type = BoosterTypeFromConfig(absl::string_view(config, config_len));
  if (type.empty()) return absl::InvalidArgumentError("model: unknown booster type");

  Booster booster(std::move(handle), static_cast<int>(features), rounds, std::move(type));
  // One prediction of a row of missing values completes any remaining lazy set-up while
  // no other thread can see the booster.
  std::vector<float> row(booster.num_features_, std::numeric_limits<float>::quiet_NaN());
  std::vector<float> out;
  REG_RETURN_IF_ERROR(booster.Predict(0, row, 1, row.size(), &out));
  return booster;
}

absl::StatusOr<Booster> Booster::LoadVerified(absl::string_view model_bytes,
                                              absl::string_view expected_sha256_hex) {
  const std::string actual = Sha256Hex(model_bytes);
  if (actual != absl::AsciiStrToLower(expected_sha256_hex)) {
    return absl::DataLossError(
        absl::StrCat("model: SHA-256 is ", actual, ", expected ", expected_sha256_hex));
  }
  return Load(model_bytes);
}

absl::StatusOr<std::string> Booster::Save() const { return SaveAs("ubj"); }

absl::StatusOr<std::string> Booster::SaveJson() const { return SaveAs("json"); }

absl::StatusOr<std::string> Booster::SaveAs(absl::string_view format) const {
  absl::MutexLockMaybe lock(serialize_predictions_ ? mu_.get() : nullptr);
  bst_ulong len = 0;
  const char* bytes = nullptr;
  const std::string config = absl::StrFormat(R"({"format": "%s"})", format);
  REG_RETURN_IF_ERROR(
      XgbCheck(XGBoosterSaveModelToBuffer(handle_.get(), config.c_str(), &len, &bytes),
               "saving the model"));
  // `bytes` is XGBoost's thread-local buffer: copy it before any other call.
  return std::string(bytes, len);
}

absl::Status Booster::CheckShape(absl::Span<const float> rows, size_t n_rows,
                                 size_t n_features) const {
  if (n_features != static_cast<size_t>(num_features_)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("rows have %d features; the model reads %d", n_features, num_features_));
  }
  if (rows.size() != n_rows * n_features) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%d values for %d rows x %d features", rows.size(), n_rows, n_features));
  }
  return absl::OkStatus();
}

absl::Status Booster::PredictProbabilities(absl::Span<const float> rows_row_major, size_t n_rows,
                                           size_t n_features, std::vector<float>* out) const {
  return Predict(0, rows_row_major, n_rows, n_features, out);
}

absl::Status Booster::PredictMargins(absl::Span<const float> rows_row_major, size_t n_rows,
                                     size_t n_features, std::vector<float>* out) const {
  return Predict(1, rows_row_major, n_rows, n_features, out);
}

absl::Status Booster::Contributions(absl::Span<const float> rows_row_major, size_t n_rows,
                                    size_t n_features, std::vector<float>* out) const {
  REG_RETURN_IF_ERROR(CheckShape(rows_row_major, n_rows, n_features));
  if (n_rows == 0) {
    out->clear();
    return absl::OkStatus();
  }
  return PredictWithDMatrix(2, rows_row_major, n_rows, n_features, out);
}

absl::Status Booster::Predict(int type, absl::Span<const float> rows, size_t n_rows,
                              size_t n_features, std::vector<float>* out) const {
  REG_RETURN_IF_ERROR(CheckShape(rows, n_rows, n_features));
  if (n_rows == 0) {
    out->clear();
    return absl::OkStatus();
  }
  // XGBoost 1.7 implements in-place prediction for tree boosters only.
  if (booster_type_ == "gblinear") return PredictWithDMatrix(type, rows, n_rows, n_features, out);
  return PredictInPlace(type, rows, n_rows, n_features, out);
}

absl::Status Booster::PredictInPlace(int type, absl::Span<const float> rows, size_t n_rows,
                                     size_t n_features, std::vector<float>* out) const {
  const std::string array = ArrayInterface(rows.data(), n_rows, n_features);
  const std::string config = absl::StrFormat(kInPlaceConfigFormat, type);
  absl::MutexLockMaybe lock(serialize_predictions_ ? mu_.get() : nullptr);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  REG_RETURN_IF_ERROR(
      XgbCheck(XGBoosterPredictFromDense(handle_.get(), array.c_str(), config.c_str(), nullptr,
                                         &shape, &dim, &result),
               "predicting"));
  if (ShapeProduct(shape, dim) != n_rows) {
    return absl::InternalError(
        absl::StrFormat("predicting: %d outputs for %d rows", ShapeProduct(shape, dim), n_rows));
  }
  // `result` is XGBoost's thread-local buffer: copy it before any other call.
  out->assign(result, result + n_rows);
  return absl::OkStatus();
}

absl::Status Booster::PredictWithDMatrix(int type, absl::Span<const float> rows, size_t n_rows,
                                         size_t n_features, std::vector<float>* out) const {
  REG_ASSIGN_OR_RETURN(DMatrix matrix, DMatrix::FromDense(rows, n_rows, n_features));
  const std::string config = absl::StrFormat(kDMatrixConfigFormat, type);
  const size_t expected = type == 2 ? n_rows * (n_features + 1) : n_rows;
  absl::MutexLockMaybe lock(serialize_predictions_ ? mu_.get() : nullptr);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  REG_RETURN_IF_ERROR(XgbCheck(XGBoosterPredictFromDMatrix(handle_.get(), matrix.handle(),
                                                           config.c_str(), &shape, &dim, &result),
                               type == 2 ? "computing contributions" : "predicting"));
  if (ShapeProduct(shape, dim) != expected) {
    return absl::InternalError(
        absl::StrFormat("predicting: %d outputs, expected %d", ShapeProduct(shape, dim), expected));
  }
  out->assign(result, result + expected);
  return absl::OkStatus();
}

}  // namespace regulation::scoring
