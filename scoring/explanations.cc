#include "scoring/explanations.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scoring/feature_catalogue.h"
#include "scoring/reason_text_zh.h"

namespace regulation::scoring {
namespace {

int64_t Whole(double v) { return std::llround(v); }

// "1 administrative penalty" / "2 administrative penalties".
std::string Counted(double value, absl::string_view singular, absl::string_view plural) {
  const int64_t n = Whole(value);
  return absl::StrCat(n, " ", n == 1 ? singular : plural);
}

constexpr absl::string_view k1y = " in the last 12 months";
constexpr absl::string_view k3y = " in the last 3 years";

// 10^log10_value - 1 (the inverse of the catalogue's log10(1 + yuan)), in words.
std::string Yuan(double log10_value) {
  const double yuan = std::pow(10.0, log10_value) - 1;
  // Thresholds a little below the powers of ten, so that 999,999 reads "1.0 million".
  if (yuan >= 0.9995e9) return absl::StrFormat("%.1f billion yuan", yuan / 1e9);
  if (yuan >= 0.9995e6) return absl::StrFormat("%.1f million yuan", yuan / 1e6);
  if (yuan >= 1e4) return absl::StrFormat("%d thousand yuan", Whole(yuan / 1e3));
  return absl::StrFormat("%d yuan", Whole(yuan));
}

// GB/T 4754-2017 sections, A = 1 ... T = 20.
constexpr absl::string_view kSections[] = {
    "agriculture, forestry, animal husbandry and fishery",
    "mining",
    "manufacturing",
    "electricity, heat, gas and water production and supply",
    "construction",
    "wholesale and retail trade",
    "transport, storage and postal services",
    "accommodation and catering",
    "information transmission, software and information technology services",
    "finance",
    "real estate",
    "leasing and business services",
    "scientific research and technical services",
    "water conservancy, environment and public facilities management",
    "resident services, repair and other services",
    "education",
    "health and social work",
    "culture, sports and entertainment",
    "public administration, social security and social organisations",
    "international organisations",
};

std::string Section(double value) {
  const int64_t n = Whole(value);
  if (n < 1 || n > 20) return "industry section unknown";
  return absl::StrFormat("industry section %c (%s)", static_cast<char>('A' + n - 1),
                         kSections[n - 1]);
}

std::string Listed(double value, absl::string_view list) {
  return Whole(value) >= 1 ? absl::StrCat("currently on ", list) : absl::StrCat("not on ", list);
}

std::string DaysSince(double value, absl::string_view thing, absl::string_view never) {
  if (value >= kDaysSinceNever) return std::string(never);
  const int64_t n = Whole(value);
  return absl::StrCat(thing, " ", n, n == 1 ? " day ago" : " days ago");
}

struct ReasonTemplate {
  absl::string_view feature;
  std::string (*text)(double value);
};

// One sentence per catalogue feature (feature_catalogue.cc), in catalogue order.
const ReasonTemplate kTemplates[] = {
    {"age_years", [](double v) { return absl::StrFormat("established %.1f years ago", v); }},
    {"capital_log10", [](double v) { return absl::StrCat("registered capital of ", Yuan(v)); }},
    {"industry_section", [](double v) { return Section(v); }},
    {"province", [](double v) { return absl::StrFormat("registered in province %d", Whole(v)); }},
    {"penalties_1y",
     [](double v) {
       return absl::StrCat(Counted(v, "administrative penalty", "administrative penalties"), k1y);
     }},
    {"penalties_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "administrative penalty", "administrative penalties"), k3y);
     }},
    {"penalty_amount_log10_3y",
     [](double v) { return absl::StrCat("fines totalling ", Yuan(v), k3y); }},
    {"serious_penalties_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "serious penalty", "serious penalties"), k3y);
     }},
    {"days_since_penalty",
     [](double v) { return DaysSince(v, "last penalty", "no penalty on record"); }},
    {"reports_late_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "annual report filed late", "annual reports filed late"),
                           k3y);
     }},
    {"reports_missing_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "annual report not filed", "annual reports not filed"), k3y);
     }},
    {"reports_zero_financials_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "annual report with all-zero financials",
                                   "annual reports with all-zero financials"),
                           k3y);
     }},
    {"reports_on_time_3y",
     [](double v) {
       return absl::StrCat(
           Counted(v, "annual report filed on time", "annual reports filed on time"), k3y);
     }},
    {"abnormal_listed", [](double v) { return Listed(v, "the abnormal-operation list"); }},
    {"abnormal_listings_3y",
     [](double v) {
       return absl::StrCat("added to the abnormal-operation list ", Counted(v, "time", "times"),
                           k3y);
     }},
    {"dishonest_listed",
     [](double v) { return Listed(v, "the serious illegal and dishonest list"); }},
    {"court_debtor_listed",
     [](double v) { return Listed(v, "the courts' dishonest-debtor list"); }},
    {"complaints_1y",
     [](double v) {
       return absl::StrCat(Counted(v, "complaint or report", "complaints or reports"), k1y);
     }},
    {"complaints_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "complaint or report", "complaints or reports"), k3y);
     }},
    {"complaints_substantiated_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "substantiated complaint", "substantiated complaints"), k3y);
     }},
    {"quality_samples_3y",
     [](double v) {
       return absl::StrCat(Counted(v, "product-quality sampling", "product-quality samplings"),
                           k3y);
     }},
    {"quality_failures_3y",
     [](double v) {
       return absl::StrCat(
           Counted(v, "failed product-quality sampling", "failed product-quality samplings"), k3y);
     }},
    {"inspections_3y",
     [](double v) { return absl::StrCat(Counted(v, "inspection", "inspections"), k3y); }},
    {"inspection_problems_3y",
     [](double v) {
       return absl::StrCat("problems found in ", Counted(v, "inspection", "inspections"), k3y);
     }},
    {"inspections_total",
     [](double v) { return absl::StrCat(Counted(v, "inspection", "inspections"), " on record"); }},
    {"inspection_problems_total",
     [](double v) {
       return absl::StrCat("problems found in ", Counted(v, "inspection", "inspections"),
                           " on record");
     }},
    {"days_since_inspection",
     [](double v) { return DaysSince(v, "last inspected", "never inspected"); }},
    {"licences_revoked_3y",
     [](double v) { return absl::StrCat(Counted(v, "licence revoked", "licences revoked"), k3y); }},
    {"licences_granted_3y",
     [](double v) { return absl::StrCat(Counted(v, "licence granted", "licences granted"), k3y); }},
    {"registration_changes_1y",
     [](double v) {
       return absl::StrCat(
           Counted(v, "change of registered particulars", "changes of registered particulars"),
           k1y);
     }},
    {"registration_changes_3y",
     [](double v) {
       return absl::StrCat(
           Counted(v, "change of registered particulars", "changes of registered particulars"),
           k3y);
     }},
    {"events_3y",
     [](double v) { return absl::StrCat(Counted(v, "recorded event", "recorded events"), k3y); }},
};

const ReasonTemplate* FindTemplate(absl::string_view feature) {
  for (const ReasonTemplate& t : kTemplates) {
    if (t.feature == feature) return &t;
  }
  return nullptr;
}

}  // namespace

std::string ReasonCode(absl::string_view feature) { return absl::AsciiStrToUpper(feature); }

bool HasReasonTemplate(absl::string_view feature) { return FindTemplate(feature) != nullptr; }

absl::StatusOr<std::string> DescribeFeature(absl::string_view feature, double value) {
  const ReasonTemplate* t = FindTemplate(feature);
  if (t == nullptr) return absl::NotFoundError(absl::StrCat("no reason template for ", feature));
  return t->text(value);
}

std::vector<v1::ScoreReason> TopReasons(absl::Span<const float> contributions,
                                        absl::Span<const double> feature_values, int max_reasons) {
  const absl::Span<const FeatureSpec> catalogue = FeatureCatalogue();
  if (feature_values.size() != catalogue.size() ||
      contributions.size() != feature_values.size() + 1 || max_reasons <= 0) {
    return {};
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < feature_values.size(); ++i) {
    if (contributions[i] > 0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return contributions[a] > contributions[b]; });
  if (order.size() > static_cast<size_t>(max_reasons)) order.resize(max_reasons);
  std::vector<v1::ScoreReason> reasons;
  for (size_t i : order) {
    const FeatureSpec& spec = catalogue[i];
    v1::ScoreReason& r = reasons.emplace_back();
    r.set_code(ReasonCode(spec.name));
    r.set_feature(std::string(spec.name));
    r.set_feature_value(feature_values[i]);
    r.set_contribution(contributions[i]);
    absl::StatusOr<std::string> text = DescribeFeature(spec.name, feature_values[i]);
    r.set_text(text.ok() ? *std::move(text)
                         : absl::StrFormat("%s = %g", spec.name, feature_values[i]));
    absl::StatusOr<std::string> text_zh = DescribeFeatureZh(spec.name, feature_values[i]);
    r.set_text_zh(text_zh.ok() ? *std::move(text_zh) : r.text());
  }
  return reasons;
}

absl::Status CheckContributionsSumToMargin(absl::Span<const float> contributions,
                                           absl::Span<const float> margins, size_t n_features,
                                           double tolerance) {
  const size_t width = n_features + 1;
  if (contributions.size() != margins.size() * width) {
    return absl::InvalidArgumentError(absl::StrFormat("%d contributions for %d rows of %d features",
                                                      contributions.size(), margins.size(),
                                                      n_features));
  }
  for (size_t r = 0; r < margins.size(); ++r) {
    double sum = 0;
    for (size_t j = 0; j < width; ++j) sum += contributions[r * width + j];
    if (!(std::abs(sum - margins[r]) <= tolerance)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "row %d: contributions sum to %.9g, the margin is %.9g", r, sum, margins[r]));
    }
  }
  return absl::OkStatus();
}

}  // namespace regulation::scoring
