#include "tools/synth/population.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"

namespace regulation::synth {
namespace {

// New-style organisation codes ("MA...") from the credit-code reform (国发〔2015〕33号).
constexpr absl::CivilDay kNewStyleCodesFrom{2015, 10, 1};
// Firm ages: a mixture of an exponential (mean 5.5 years; most firms are young) and a
// uniform over the whole range since kEarliestEstablishment.
constexpr double kYoungShare = 0.85;
constexpr double kMeanAgeYears = 5.5;
constexpr double kCapitalSigma = 1.5;
// Share of firms established before the window that closed before it, per year they
// existed before it (capped at 30%).
constexpr double kPreWindowClosurePerYear = 0.015;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

const std::vector<double>& RegionWeights() {
  static const std::vector<double>* weights = [] {
    auto* w = new std::vector<double>;
    for (const RegionInfo& r : Regions()) w->push_back(r.weight);
    return w;
  }();
  return *weights;
}

const std::vector<double>& SectionWeights() {
  static const std::vector<double>* weights = [] {
    auto* w = new std::vector<double>;
    for (const SectionInfo& s : Sections()) w->push_back(s.share);
    return w;
  }();
  return *weights;
}

const std::vector<double>& DivisionWeights(size_t section) {
  static const std::vector<std::vector<double>>* weights = [] {
    auto* all = new std::vector<std::vector<double>>;
    for (const SectionInfo& s : Sections()) {
      std::vector<double> w;
      for (const DivisionInfo& d : s.divisions) w.push_back(d.weight);
      all->push_back(std::move(w));
    }
    return all;
  }();
  return (*weights)[section];
}

size_t CountWords(const char* const* words, size_t capacity) {
  size_t n = 0;
  while (n < capacity && words[n] != nullptr) ++n;
  return n;
}

// Age in days at the end date.
int64_t DrawAgeDays(Rng* rng, int64_t max_days) {
  if (rng->Bernoulli(kYoungShare)) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      const double days = rng->Exponential(kMeanAgeYears * 365.25);
      if (days < static_cast<double>(max_days)) return static_cast<int64_t>(days);
    }
  }
  return rng->UniformInt(int64_t{0}, max_days);
}

double CapitalEffect(int64_t capital) {
  if (capital < kTinyCapitalYuan) return 0.35;
  if (capital < 1000000) return 0.15;
  if (capital > 50000000) return -0.30;
  if (capital > 10000000) return -0.15;
  return 0.0;
}

std::string MakeName(const RegionInfo& region, const DivisionInfo& division, int64_t capital,
                     Rng* rng) {
  std::string name = region.name_prefix;
  const absl::Span<const char* const> chars = TradeNameCharacters();
  const size_t length = 2 + rng->Categorical({0.75, 0.15, 0.10});
  for (size_t i = 0; i < length; ++i) name += chars[rng->UniformInt(chars.size())];
  const size_t words = CountWords(division.words, 7);
  name += division.words[rng->UniformInt(words)];
  const size_t suffix = rng->Categorical({0.85, 0.10, capital >= 5000000 ? 0.05 : 0.0});
  name += suffix == 0 ? "有限公司" : suffix == 1 ? "有限责任公司" : "股份有限公司";
  return name;
}

std::string MakeAddress(const RegionInfo& region, Rng* rng) {
  const absl::Span<const char* const> roads = RoadNames();
  std::string address = absl::StrCat(region.address_prefix, roads[rng->UniformInt(roads.size())],
                                     rng->UniformInt(int64_t{1}, int64_t{999}), "号");
  switch (rng->Categorical({0.60, 0.25, 0.15})) {
    case 1:
      absl::StrAppend(&address, rng->UniformInt(int64_t{1}, int64_t{20}), "幢",
                      rng->UniformInt(int64_t{1}, int64_t{20}),
                      absl::StrFormat("%02d", rng->UniformInt(int64_t{1}, int64_t{12})), "室");
      break;
    case 2:
      absl::StrAppend(&address, rng->UniformInt(int64_t{1}, int64_t{30}), "层");
      break;
    default:
      break;
  }
  return address;
}

// An offset in [0, space) that differs from seed to seed (a multiplicative hash).
uint64_t SeedOffset(uint64_t seed, uint64_t space) {
  return ((seed + 1) * 0x9E3779B97F4A7C15ULL >> 11) % space;
}

}  // namespace

char OrganisationCodeCheck(const std::string& body8) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    const char c = body8[i];
    const int value = (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;
    sum += value * kWeights[i];
  }
  const int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

std::string OrganisationCode(uint64_t seed, int64_t index, bool new_style) {
  std::string body;
  if (new_style) {
    // A bijection of [0, 31^6): multiply by a unit modulo 31^6 (not a multiple of 31).
    constexpr uint64_t kSpace = 887503681;  // 31^6
    const uint64_t v =
        (static_cast<uint64_t>(index) * 387420489u + SeedOffset(seed, kSpace)) % kSpace;
    body = "MA";
    std::string digits;
    uint64_t x = v;
    for (int i = 0; i < 6; ++i) {
      digits.push_back(CreditCodeCharFromValue(static_cast<int>(x % 31)));
      x /= 31;
    }
    body.append(digits.rbegin(), digits.rend());
  } else {
    // A bijection of [0, 10^8): multiply by a unit modulo 10^8 (odd, not a multiple of 5).
    constexpr uint64_t kSpace = 100000000;
    const uint64_t v =
        (static_cast<uint64_t>(index) * 61803399u + SeedOffset(seed, kSpace)) % kSpace;
    body = absl::StrFormat("%08d", v);
  }
  body.push_back(OrganisationCodeCheck(body));
  return body;
}

int64_t RoundCapital(double yuan, Rng* rng) {
  static constexpr double kRound[] = {1,    3,     5,     10,    20,     30,     50,
                                      100,  200,   300,   500,   1000,   2000,   3000,
                                      5000, 10000, 20000, 50000, 100000, 200000, 500000};
  double wan = std::max(1.0, yuan / 10000.0);
  if (rng->Bernoulli(0.6)) {
    // The round amount nearest on a log scale.
    double best = kRound[0];
    for (double r : kRound) {
      if (std::fabs(std::log(r / wan)) < std::fabs(std::log(best / wan))) best = r;
    }
    wan = best;
  } else {
    const double magnitude = std::pow(10.0, std::floor(std::log10(wan)) - 1.0);
    wan = std::max(1.0, std::floor(wan / magnitude + 0.5) * magnitude);
    wan = std::floor(wan + 0.5);
  }
  return static_cast<int64_t>(wan) * 10000;
}

EnterpriseProfile GenerateProfile(const SynthConfig& config, int64_t index,
                                  StreamFactory* streams) {
  Rng rng = streams->Stream(index, "enterprise");
  EnterpriseProfile p;
  p.index = index;

  const size_t region = rng.Categorical(RegionWeights());
  p.region = &Regions()[region];
  p.region_code = p.region->code;
  const size_t section = rng.Categorical(SectionWeights());
  p.section = &Sections()[section];
  p.division = &p.section->divisions[rng.Categorical(DivisionWeights(section))];
  p.industry_code = p.division->code;

  const int64_t max_age_days = config.end_date - kEarliestEstablishment;
  p.establishment = config.end_date - DrawAgeDays(&rng, max_age_days);

  const double capital = rng.LogNormal(p.section->capital_median_yuan, kCapitalSigma);
  p.registered_capital_yuan = RoundCapital(capital, &rng);
  const bool tiny = p.registered_capital_yuan < kTinyCapitalYuan;

  const bool trade_or_services = p.section->letter == 'F' || p.section->letter == 'L';
  p.shell = rng.Bernoulli(Sigmoid(-2.9 + 1.3 * tiny + 0.6 * trade_or_services));
  p.observable_propensity =
      p.section->risk_effect + p.region->risk_effect + CapitalEffect(p.registered_capital_yuan);
  p.latent_propensity = p.observable_propensity + 1.0 * p.shell + rng.Normal(0.0, 0.8);
  p.diligence = rng.Normal(0.0, 0.7);
  p.churn = rng.LogNormal(1.0, 0.5) * (p.shell ? 3.0 : 1.0) * (tiny ? 1.6 : 1.0);
  p.holds_licence = p.division->licence_kind != nullptr && rng.Bernoulli(p.division->licence_share);

  // Financial scale: assets around the capital, revenue by the section's turnover.
  p.total_assets_yuan = std::max(10000.0, static_cast<double>(p.registered_capital_yuan) *
                                              rng.LogNormal(1.0, 0.9) * (p.shell ? 0.1 : 1.0));
  p.revenue_yuan = p.total_assets_yuan * p.section->revenue_per_asset * rng.LogNormal(1.0, 0.6);
  const double size = std::pow(
      static_cast<double>(p.registered_capital_yuan) / p.section->capital_median_yuan, 0.35);
  p.employees =
      std::max(1, static_cast<int>(std::floor(p.section->employees_median * size *
                                                  rng.LogNormal(1.0, 0.6) * (p.shell ? 0.3 : 1.0) +
                                              0.5)));

  p.name = MakeName(*p.region, *p.division, p.registered_capital_yuan, &rng);
  p.address = MakeAddress(*p.region, &rng);

  const std::string first17 =
      absl::StrCat("91", p.region_code,
                   OrganisationCode(config.seed, index, p.establishment >= kNewStyleCodesFrom));
  p.credit_code = first17 + CreditCodeCheckCharacter(first17);

  const Window window = WindowOf(config);
  if (p.establishment < window.first_day) {
    const double years_before = static_cast<double>(window.first_day - p.establishment) / 365.25;
    const double closed = std::min(0.3, 1.0 - std::exp(-kPreWindowClosurePerYear * years_before));
    if (rng.Bernoulli(closed)) {
      p.closed_before_window = true;
      p.status_before_window = rng.Bernoulli(p.shell ? 0.4 : 0.8)
                                   ? v1::ENTERPRISE_STATUS_DEREGISTERED
                                   : v1::ENTERPRISE_STATUS_REVOKED;
    }
  }
  return p;
}

}  // namespace regulation::synth
