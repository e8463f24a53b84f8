#include "services/seams/training_rows_wire.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "scoring/feature_catalogue.h"

namespace regulation::services {

absl::Status ForEachTrainingRowBatch(
    const LabelledRows& rows, int batch_size,
    const std::function<absl::Status(const internal::v1::TrainingRowBatch&)>& send) {
  const size_t cols = rows.data.cols;
  const size_t total = rows.data.rows;
  const size_t step = static_cast<size_t>(std::max(batch_size, 1));
  internal::v1::TrainingRowBatch batch;
  size_t begin = 0;
  do {
    const size_t end = std::min(total, begin + step);
    batch.Clear();
    if (begin == 0) batch.set_schema_digest(scoring::FeatureSchemaDigest());
    batch.set_columns(static_cast<int>(cols));
    batch.mutable_features()->Add(rows.data.features.begin() + begin * cols,
                                  rows.data.features.begin() + end * cols);
    for (size_t r = begin; r < end; ++r) {
      batch.add_labels(rows.data.labels[r]);
      batch.add_window_of(rows.window_of[r]);
      batch.add_credit_codes(rows.credit_code[r]);
      internal::v1::InspectionEventIds* ids = batch.add_inspection_event_ids();
      for (const std::string& id : rows.inspection_event_ids[r]) ids->add_event_ids(id);
      batch.add_first_inspection_micros(rows.first_inspection_micros[r]);
    }
    REG_RETURN_IF_ERROR(send(batch));
    begin = end;
  } while (begin < total);
  return absl::OkStatus();
}

absl::Status AppendTrainingRowBatch(const internal::v1::TrainingRowBatch& batch,
                                    LabelledRows* rows) {
  const auto malformed = [](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("the portrait service sent malformed training rows: ", why));
  };
  if (!batch.schema_digest().empty() && batch.schema_digest() != scoring::FeatureSchemaDigest()) {
    return absl::FailedPreconditionError(
        "the portrait service computes another feature schema than this scoring service: "
        "deploy the two from the same build");
  }
  const int n = batch.labels_size();
  if (n == 0 && batch.features_size() == 0 && batch.credit_codes_size() == 0) {
    return absl::OkStatus();  // progress, or the schema-only batch
  }
  const size_t cols = scoring::FeatureCatalogue().size();
  if (static_cast<size_t>(batch.columns()) != cols) {
    return malformed(absl::StrCat(batch.columns(), " columns, the catalogue has ", cols));
  }
  if (static_cast<size_t>(batch.features_size()) != static_cast<size_t>(n) * cols ||
      batch.window_of_size() != n || batch.credit_codes_size() != n ||
      batch.inspection_event_ids_size() != n || batch.first_inspection_micros_size() != n) {
    return malformed("per-row fields differ in length");
  }
  rows->data.cols = cols;
  rows->data.rows += static_cast<size_t>(n);
  rows->data.features.insert(rows->data.features.end(), batch.features().begin(),
                             batch.features().end());
  rows->data.labels.insert(rows->data.labels.end(), batch.labels().begin(), batch.labels().end());
  rows->window_of.insert(rows->window_of.end(), batch.window_of().begin(),
                         batch.window_of().end());
  rows->credit_code.insert(rows->credit_code.end(), batch.credit_codes().begin(),
                           batch.credit_codes().end());
  for (const internal::v1::InspectionEventIds& ids : batch.inspection_event_ids()) {
    rows->inspection_event_ids.emplace_back(ids.event_ids().begin(), ids.event_ids().end());
  }
  rows->first_inspection_micros.insert(rows->first_inspection_micros.end(),
                                       batch.first_inspection_micros().begin(),
                                       batch.first_inspection_micros().end());
  return absl::OkStatus();
}

}  // namespace regulation::services
