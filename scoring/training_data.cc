#include "scoring/training_data.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"

namespace regulation::scoring {
namespace {

constexpr absl::string_view kDigestDomain = "regulation.training_data.v1\n";

void AppendLittleEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Hashes `values` as float32 little-endian, in chunks to bound the scratch buffer.
void HashFloats(const std::vector<float>& values, Sha256Hasher* hasher) {
  constexpr size_t kChunk = 1 << 14;
  std::string buffer;
  buffer.reserve(kChunk * 4);
  for (size_t start = 0; start < values.size(); start += kChunk) {
    buffer.clear();
    const size_t end = std::min(values.size(), start + kChunk);
    for (size_t i = start; i < end; ++i) {
      uint32_t bits;
      std::memcpy(&bits, &values[i], sizeof(bits));
      AppendLittleEndian(bits, 4, &buffer);
    }
    hasher->Update(buffer);
  }
}

}  // namespace

absl::Status ValidateTrainingData(const TrainingData& data, const char* what) {
  if (data.cols == 0) return absl::InvalidArgumentError(absl::StrFormat("%s: no features", what));
  if (data.features.size() != data.rows * data.cols) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d feature values for %d rows x %d columns", what,
                        data.features.size(), data.rows, data.cols));
  }
  if (data.labels.size() != data.rows) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d labels for %d rows", what, data.labels.size(), data.rows));
  }
  for (size_t i = 0; i < data.labels.size(); ++i) {
    if (data.labels[i] != 0.0f && data.labels[i] != 1.0f) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: labels[%d] is %g, not 0 or 1", what, i, data.labels[i]));
    }
  }
  for (size_t i = 0; i < data.features.size(); ++i) {
    if (std::isinf(data.features[i])) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: row %d column %d is infinite", what, i / data.cols, i % data.cols));
    }
  }
  return absl::OkStatus();
}

std::string TrainingDataDigest(const TrainingData& data) {
  Sha256Hasher hasher;
  std::string header(kDigestDomain);
  AppendLittleEndian(data.rows, 8, &header);
  AppendLittleEndian(data.cols, 8, &header);
  hasher.Update(header);
  HashFloats(data.features, &hasher);
  HashFloats(data.labels, &hasher);
  return absl::BytesToHexString(hasher.FinishString());
}

}  // namespace regulation::scoring
