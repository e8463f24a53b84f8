#include "scheduler/population.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/region_code.h"
#include "scheduler/field_checks.h"

namespace regulation::scheduler {
namespace {

// "credit_code,class[,region_code]\n".
void AppendLine(std::string* out, absl::string_view credit_code, int risk_class,
                absl::string_view region_code) {
  out->append(credit_code.data(), credit_code.size());
  out->push_back(',');
  out->push_back(RiskClassLetter(risk_class));
  if (!region_code.empty()) {
    out->push_back(',');
    out->append(region_code.data(), region_code.size());
  }
  out->push_back('\n');
}

}  // namespace

absl::Status ValidatePopulationRow(absl::string_view credit_code, int risk_class,
                                   absl::string_view region_code) {
  if (IsCreditCode(credit_code) && risk_class >= 1 && risk_class <= kRiskClassCount &&
      (region_code.empty() || IsRegionCode(region_code))) {
    return absl::OkStatus();
  }
  absl::Status status = ValidateCreditCode(credit_code);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("credit code \"%s\": %s", credit_code, status.message()));
  }
  if (risk_class < 1 || risk_class > kRiskClassCount) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: risk class must be 1-4 (A-D), got %d", credit_code, risk_class));
  }
  if (!region_code.empty()) {
    status = ValidateRegionCode(region_code);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: region code %s", credit_code, status.message()));
    }
  }
  return absl::OkStatus();
}

PopulationDigester::PopulationDigester() {
  overall_.Update("regulation.population.v1\n");
  for (int c = 0; c < kRiskClassCount; ++c) {
    classes_[c] = std::make_unique<Sha256Hasher>();
    classes_[c]->Update(absl::StrCat("regulation.population.class.v1\n",
                                     std::string(1, RiskClassLetter(c + 1)), "\n"));
  }
}

absl::Status PopulationDigester::Add(absl::string_view credit_code, int risk_class,
                                     absl::string_view region_code) {
  absl::Status status = ValidatePopulationRow(credit_code, risk_class, region_code);
  if (!status.ok()) return status;
  if (!last_code_.empty() && !(last_code_ < credit_code)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s comes after %s: rows must be in strictly ascending credit-code order",
                        credit_code, last_code_));
  }
  last_code_.assign(credit_code.data(), credit_code.size());
  line_.clear();
  AppendLine(&line_, credit_code, risk_class, region_code);
  overall_.Update(line_);
  classes_[risk_class - 1]->Update(line_);
  ++sizes_[risk_class - 1];
  return absl::OkStatus();
}

PopulationDigests PopulationDigester::Finish() {
  PopulationDigests digests;
  unsigned char out[32];
  overall_.Finish(out);
  digests.overall =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), sizeof(out)));
  for (int c = 0; c < kRiskClassCount; ++c) {
    classes_[c]->Finish(out);
    digests.classes[c] =
        absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), sizeof(out)));
  }
  digests.class_sizes = sizes_;
  return digests;
}

absl::Status FrozenPopulation::Add(absl::string_view credit_code, int risk_class,
                                   absl::string_view region_code) {
  absl::Status status = ValidatePopulationRow(credit_code, risk_class, region_code);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("population row %d: %s", rows_.size(), status.message()));
  }
  Row row;
  std::memcpy(row.credit_code, credit_code.data(), sizeof(row.credit_code));
  std::memset(row.region_code, 0, sizeof(row.region_code));
  region_code.copy(row.region_code, sizeof(row.region_code));  // memcpy(dst, nullptr, 0) is UB
  row.region_size = static_cast<uint8_t>(region_code.size());
  row.risk_class = static_cast<uint8_t>(risk_class);
  rows_.push_back(row);
  frozen_ = false;
  return absl::OkStatus();
}

absl::Status FrozenPopulation::Freeze() {
  auto less = [](const Row& a, const Row& b) {
    return std::memcmp(a.credit_code, b.credit_code, sizeof(a.credit_code)) < 0;
  };
  std::sort(rows_.begin(), rows_.end(), less);
  for (size_t i = 1; i < rows_.size(); ++i) {
    if (!less(rows_[i - 1], rows_[i])) {
      return absl::InvalidArgumentError(
          absl::StrFormat("population: credit code %s is listed twice", credit_code(i)));
    }
  }
  frozen_ = true;
  return absl::OkStatus();
}

int64_t FrozenPopulation::Find(absl::string_view code) const {
  if (code.size() != 18) return -1;
  auto it =
      std::lower_bound(rows_.begin(), rows_.end(), code, [](const Row& row, absl::string_view key) {
        return std::memcmp(row.credit_code, key.data(), sizeof(row.credit_code)) < 0;
      });
  if (it == rows_.end() || std::memcmp(it->credit_code, code.data(), 18) != 0) return -1;
  return it - rows_.begin();
}

PopulationDigests FrozenPopulation::Digests() const {
  PopulationDigester digester;
  for (size_t i = 0; i < rows_.size(); ++i) {
    // Rows were validated by Add and sorted by Freeze: Add cannot fail.
    digester.Add(credit_code(i), risk_class(i), region_code(i)).IgnoreError();
  }
  return digester.Finish();
}

absl::Status FrozenPopulationSource::ForEach(const Visitor& visit) {
  for (size_t i = 0; i < population_->size(); ++i) {
    absl::Status status =
        visit(population_->credit_code(i), population_->risk_class(i), population_->region_code(i));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler
