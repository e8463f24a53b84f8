#include "tools/bench/bench_population.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "scoring/portrait_state.h"

namespace regulation::bench {
namespace {

constexpr int64_t kDay = int64_t{86400} * 1000000;

}  // namespace

std::string BenchCreditCode(int64_t i) {
  const std::string first17 = absl::StrFormat("91%s%09d", i % 2 ? "330106" : "440305", i);
  return first17 + CreditCodeCheckCharacter(first17);
}

v1::Enterprise BenchEnterprise(int64_t i, SplitMix64& rng) {
  v1::Enterprise e;
  e.set_credit_code(BenchCreditCode(i));
  e.set_name(absl::StrCat("基准企业", i));
  e.set_region_code(i % 2 ? "330106" : "440305");
  static const char* kIndustries[] = {"F52", "C13", "H62", "L72", "E47", "I65"};
  e.set_industry_code(kIndustries[rng.Below(6)]);
  e.set_registered_capital_yuan(static_cast<int64_t>(10000 + rng.Below(50000000)));
  e.mutable_establishment_date()->set_year(static_cast<int>(1995 + rng.Below(31)));
  e.mutable_establishment_date()->set_month(static_cast<int>(1 + rng.Below(12)));
  e.mutable_establishment_date()->set_day(static_cast<int>(1 + rng.Below(28)));
  e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  return e;
}

internal::PortraitState BenchPortraitState(const std::string& code, int64_t now_micros,
                                           SplitMix64& rng) {
  internal::PortraitState state;
  state.set_credit_code(code);
  const int n = static_cast<int>(rng.Below(9));
  for (int k = 0; k < n; ++k) {
    v1::Event e;
    e.set_event_id(absl::StrCat(code, "-", k));
    switch (rng.Below(5)) {
      case 0:
        e.mutable_administrative_penalty()->set_amount_yuan(
            static_cast<int64_t>(rng.Below(100000)));
        e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_GENERAL);
        break;
      case 1:
        e.mutable_annual_report()->set_filing(
            static_cast<v1::AnnualReportFiling>(1 + rng.Below(3)));
        break;
      case 2:
        e.mutable_complaint()->set_substantiated(rng.Below(2) == 0);
        break;
      case 3:
        e.mutable_inspection_outcome()->set_problem_found(rng.Below(5) == 0);
        break;
      default:
        e.mutable_quality_sampling()->set_passed(rng.Below(4) != 0);
    }
    scoring::FoldEvent(e, now_micros - static_cast<int64_t>(rng.Below(1000)) * kDay, &state);
  }
  return state;
}

absl::StatusOr<scoring::TrainedModel> TrainBenchModel(const std::vector<float>& matrix,
                                                      int64_t rows, size_t cols,
                                                      const v1::TrainingConfig& config) {
  scoring::TrainingData train, validation;
  train.cols = validation.cols = cols;
  SplitMix64 labels(7);
  for (int64_t i = 0; i < std::min<int64_t>(rows, 200000); ++i) {
    const float* row = &matrix[i * cols];
    auto value = [&](int c) { return std::isnan(row[c]) ? 0.0 : static_cast<double>(row[c]); };
    const double logit = -2.5 + 0.6 * value(5) + 0.4 * value(10) + 0.3 * value(16) - 0.05 * value(0);
    const float label =
        static_cast<double>(labels.Below(1000000)) / 1e6 < 1 / (1 + std::exp(-logit)) ? 1 : 0;
    scoring::TrainingData& d = i % 5 ? train : validation;
    d.features.insert(d.features.end(), row, row + cols);
    d.labels.push_back(label);
    ++d.rows;
  }
  return scoring::TrainGradientBoosted(train, validation, scoring::WithDefaults(config),
                                       scoring::CatalogueMonotoneConstraints(), nullptr);
}

}  // namespace regulation::bench
