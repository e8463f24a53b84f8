#ifndef SERVICES_SEAMS_TRAINING_ROWS_WIRE_H_
#define SERVICES_SEAMS_TRAINING_ROWS_WIRE_H_

// Training rows (services/scoring/training_rows.h) on the wire between portraitd and
// scoringd: cut into TrainingRowBatch messages and put back together, bit for bit
// (floats travel as their IEEE-754 bits, NaN for a missing value included), so that
// a model trained in scoringd records the training-data digest regulatord would.

#include <functional>

#include "absl/status/status.h"
#include "regulation/internal/v1/portrait_feed.pb.h"
#include "services/scoring/training_rows.h"

namespace regulation::services {

// Calls `send` with batches of up to `batch_size` (>= 1) rows of `rows`, in row order;
// the first batch (one empty batch when there are no rows) carries the feature schema
// digest. Stops at `send`'s first error.
absl::Status ForEachTrainingRowBatch(
    const LabelledRows& rows, int batch_size,
    const std::function<absl::Status(const internal::v1::TrainingRowBatch&)>& send);

// Appends the rows of `batch` to `rows` (whose data.cols it sets from the batch).
// FAILED_PRECONDITION when the batch's schema digest is not this binary's, its column
// count differs from the catalogue's or from earlier batches', or its per-row fields
// disagree in length: the two services were built apart, or the batch is corrupt.
// A progress-only batch (no rows, no digest) appends nothing.
absl::Status AppendTrainingRowBatch(const internal::v1::TrainingRowBatch& batch,
                                    LabelledRows* rows);

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_TRAINING_ROWS_WIRE_H_
