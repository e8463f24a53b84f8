#ifndef SCORING_BOOSTER_H_
#define SCORING_BOOSTER_H_

// RAII owners of XGBoost's handles: Booster, a loaded model ready to predict, and
// DMatrix, a data matrix for training and for contributions.
//
//   REG_ASSIGN_OR_RETURN(Booster booster, Booster::Load(model_bytes));
//   std::vector<float> p;
//   REG_RETURN_IF_ERROR(booster.PredictProbabilities(rows, n_rows, n_features, &p));
//
// Ownership: each object owns its handle and frees it in its destructor; objects are
// move-only (a moved-from object owns nothing and may only be destroyed or assigned to).
//
// Thread safety (XGBoost 1.7.4): a Booster is immutable after Load, and its const methods
// may be called from any number of threads at once.
//   - Tree models ("gbtree", what the trainer produces): calls run concurrently, without
//     a lock. Since XGBoost 1.4 (dmlc/xgboost#6648, "Make prediction thread safe", which
//     closed #6057 "Thread safe prediction contribution") prediction keeps its
//     intermediate state per calling thread: the learner's output buffer and its
//     DMatrix prediction cache live in thread-local stores keyed by the learner
//     (libxgboost 1.7.4 exports ThreadLocalStore<map<Learner const*, PredictionContainer>>
//     and <..., XGBAPIThreadLocalEntry>), SHAP values no longer cache node means in the
//     tree, and the lazy Configure() step is guarded by a double-checked lock. Load()
//     completes that configuration before returning, so concurrent calls never reach it.
//     booster_test.cc checks 4 threads against single-threaded results.
//   - Other boosters ("gblinear", the baseline; "dart"): the same PR notes that dart is
//     still not thread safe, and XGBoost documents nothing for gblinear, so this class
//     serialises their predictions with an internal mutex.
// Predictions also run XGBoost's own OpenMP threads (by default one per core); each
// calling thread gets its own OpenMP team.
// Memory: XGBoost keeps the last output of each (thread, booster) pair in a thread-local
// buffer until the thread exits, even after the booster is freed: about 4 bytes per
// output value of the largest batch a thread has predicted.
//
// Status codes: INVALID_ARGUMENT for inputs whose shape is wrong and for model bytes
// XGBoost cannot read; DATA_LOSS for model bytes whose digest is not the expected one
// (LoadVerified); INTERNAL for any other XGBoost failure (scoring/xgboost_status.h).

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "xgboost/c_api.h"

namespace regulation::scoring {

// Frees a BoosterHandle; for std::unique_ptr.
struct BoosterHandleDeleter {
  void operator()(void* handle) const;
};
// An owned BoosterHandle (the trainer uses one for the booster it is boosting).
using OwnedBoosterHandle = std::unique_ptr<void, BoosterHandleDeleter>;

// A dense matrix of float features, row-major, NaN meaning missing; optionally with
// labels. Not thread-safe: use from one thread at a time.
class DMatrix {
 public:
  // Copies `rows_row_major` (n_rows x n_features) into a new XGBoost matrix.
  // INVALID_ARGUMENT unless rows_row_major.size() == n_rows * n_features and
  // n_features > 0.
  static absl::StatusOr<DMatrix> FromDense(absl::Span<const float> rows_row_major, size_t n_rows,
                                           size_t n_features);

  DMatrix(DMatrix&& other) noexcept;
  DMatrix& operator=(DMatrix&& other) noexcept;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix();

  // Sets the training labels. INVALID_ARGUMENT unless labels.size() == rows().
  absl::Status SetLabels(absl::Span<const float> labels);

  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }
  // The raw handle, still owned by this object.
  DMatrixHandle handle() const { return handle_; }

 private:
  DMatrix(DMatrixHandle handle, size_t rows, size_t cols)
      : handle_(handle), rows_(rows), cols_(cols) {}

  DMatrixHandle handle_ = nullptr;
  size_t rows_ = 0;
  size_t cols_ = 0;
};

class Booster {
 public:
  // Loads a model saved by XGBoost (UBJSON or JSON, as Save() writes). INVALID_ARGUMENT
  // for empty bytes, bytes that are neither, and bytes XGBoost refuses; INTERNAL if
  // XGBoost fails otherwise.
  // REQUIRES: the bytes are a model Save() wrote, unaltered. XGBoost 1.7.4 does not check
  // a model's internal consistency: some corrupted models crash the process instead of
  // failing (a UBJSON model cut in half crashes in RegTree::LoadModel). Bytes from
  // storage or the network must go through LoadVerified.
  static absl::StatusOr<Booster> Load(absl::string_view model_bytes);

  // Load, after checking that SHA-256(model_bytes) is `expected_sha256_hex` (the model
  // digest recorded with the model, Model.model_digest). DATA_LOSS when it is not; then
  // as Load.
  static absl::StatusOr<Booster> LoadVerified(absl::string_view model_bytes,
                                              absl::string_view expected_sha256_hex);

  Booster(Booster&& other) noexcept = default;
  Booster& operator=(Booster&& other) noexcept = default;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster() = default;

  // The model as UBJSON. The bytes depend only on the model (trees or weights, objective,
  // base score): loading and saving again gives the same bytes.
  absl::StatusOr<std::string> Save() const;
  // The same model as JSON (XGBoost's schema; floats in their shortest round-trip form),
  // for reading its trees (tree_ensemble.h).
  absl::StatusOr<std::string> SaveJson() const;

  // Probability of the positive class for each of `n_rows` rows of `n_features` floats
  // (row-major; NaN = missing), written to `out` (resized to n_rows). Tree models use
  // XGBoost's in-place prediction from the dense array (no DMatrix is built); other
  // boosters go through a DMatrix. INVALID_ARGUMENT unless
  // rows_row_major.size() == n_rows * n_features and n_features == num_features().
  // REQUIRES: out != nullptr.
  absl::Status PredictProbabilities(absl::Span<const float> rows_row_major, size_t n_rows,
                                    size_t n_features, std::vector<float>* out) const;

  // Like PredictProbabilities, but the raw margin (log-odds) before the logistic link.
  absl::Status PredictMargins(absl::Span<const float> rows_row_major, size_t n_rows,
                              size_t n_features, std::vector<float>* out) const;

  // SHAP values (TreeSHAP for trees; w_j * x_j for linear models): n_rows x
  // (n_features + 1) margin contributions, row-major, the last column of each row being
  // the bias; each row sums to that row's margin. About 1,000 times the cost of a
  // prediction (docs/scoring.md): compute it for the rows you explain, not for batches.
  // Same status codes as PredictProbabilities.
  absl::Status Contributions(absl::Span<const float> rows_row_major, size_t n_rows,
                             size_t n_features, std::vector<float>* out) const;

  // Number of features the model reads.
  int num_features() const { return num_features_; }
  // Number of boosting rounds in the model.
  int boosted_rounds() const { return boosted_rounds_; }
  // "gbtree", "gblinear" or "dart".
  const std::string& booster_type() const { return booster_type_; }

 private:
  Booster(OwnedBoosterHandle handle, int num_features, int boosted_rounds,
          std::string booster_type);

  // The model in XGBoost's format "ubj" or "json".
  absl::StatusOr<std::string> SaveAs(absl::string_view format) const;
  absl::Status CheckShape(absl::Span<const float> rows, size_t n_rows, size_t n_features) const;
  // type: 0 probabilities, 1 margins.
  absl::Status Predict(int type, absl::Span<const float> rows, size_t n_rows, size_t n_features,
                       std::vector<float>* out) const;
  absl::Status PredictInPlace(int type, absl::Span<const float> rows, size_t n_rows,
                              size_t n_features, std::vector<float>* out) const;
  // type: 0 probabilities, 1 margins, 2 contributions.
  absl::Status PredictWithDMatrix(int type, absl::Span<const float> rows, size_t n_rows,
                                  size_t n_features, std::vector<float>* out) const;

  // Constant after construction.
  OwnedBoosterHandle handle_;
  int num_features_ = 0;
  int boosted_rounds_ = 0;
  std::string booster_type_;
  // Whether predictions must hold mu_ (boosters other than gbtree; see above).
  bool serialize_predictions_ = false;
  // Serialises predictions of non-tree boosters. Behind a pointer so Booster can move.
  std::unique_ptr<absl::Mutex> mu_;
};

}  // namespace regulation::scoring

#endif  // SCORING_BOOSTER_H_
