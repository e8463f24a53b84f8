#ifndef TOOLS_SYNTH_TABLES_H_
#define TOOLS_SYNTH_TABLES_H_

// Reference tables of the synthetic population: real GB/T 2260 region codes, GB/T 4754-2017
// sections and divisions with their shares, the laws penalties cite, and the words names and
// addresses are made of. docs/synthetic-data.md describes where the figures come from.
//
// Everything here is constant data with static storage duration: safe to read from any
// thread; pointers into the tables stay valid for the life of the program.

#include <cstdint>

#include "absl/types/span.h"

namespace regulation::synth {

// A registration region: a district or county-level city (GB/T 2260).
struct RegionInfo {
  const char* code;            // six digits, e.g. "330106"
  const char* name_prefix;     // in enterprise names, e.g. "杭州"
  const char* address_prefix;  // e.g. "浙江省杭州市西湖区"
  const char* short_name;      // in decision numbers, e.g. "西湖"
  const char* court_province;  // one-character province abbreviation in case numbers, "浙"
  double weight;               // relative number of enterprises registered there
  double risk_effect;          // added to the latent propensity (logit scale)
};

// Groups of legal bases a division is exposed to (bit flags).
enum LegalGroup : uint32_t {
  kGroupRegistration = 1u << 0,
  kGroupTax = 1u << 1,
  kGroupAdvertising = 1u << 2,
  kGroupCompetition = 1u << 3,
  kGroupConsumer = 1u << 4,
  kGroupPrice = 1u << 5,
  kGroupFood = 1u << 6,
  kGroupProduct = 1u << 7,
  kGroupConstruction = 1u << 8,
};

// A GB/T 4754-2017 division (two-digit code) as enterprises register it.
struct DivisionInfo {
  const char* code;  // section letter and two digits, e.g. "F52"
  double weight;     // share within its section
  // Words that end an enterprise name before 有限公司, e.g. "商贸"; null-terminated.
  const char* words[7];
  // Licence most firms of the division hold (nullptr: none), the share that holds it and
  // the department that grants it.
  const char* licence_kind;
  double licence_share;
  const char* licence_department;
  // Product-quality samplings per firm and year, and the products sampled (null-terminated).
  double samplings_per_year;
  const char* products[4];
  // 12315 complaints per firm and year at average risk.
  double complaints_per_year;
  uint32_t legal_groups;  // LegalGroup flags
};

// A GB/T 4754-2017 section.
struct SectionInfo {
  char letter;
  double share;                // share of new registrations
  double risk_effect;          // added to the latent propensity (logit scale)
  double capital_median_yuan;  // median registered capital
  double employees_median;
  double revenue_per_asset;  // turnover: revenue per yuan of total assets
  double penalty_exposure;   // multiplier of the penalty rate
  bool risky_when_young;     // catering, trade, construction: see the interaction terms
  absl::Span<const DivisionInfo> divisions;
};

enum class Severity { kMinor = 0, kGeneral = 1, kSerious = 2 };

// A legal basis penalties cite.
struct LegalBasis {
  const char* text;  // e.g. "《食品安全法》第一百二十四条"
  LegalGroup group;
  const char* department;  // reporting department: "samr", "tax", "housing"
  double weight;           // how often it is cited, relative to others in reach
  double severity_weights[3];
  double median_amount_yuan;  // fine and confiscation at GENERAL severity
};

absl::Span<const RegionInfo> Regions();
absl::Span<const SectionInfo> Sections();
absl::Span<const LegalBasis> LegalBases();

// Characters trade names are made of, one UTF-8 character each.
absl::Span<const char* const> TradeNameCharacters();
// Road names for addresses, e.g. "人民路".
absl::Span<const char* const> RoadNames();

// Legal bases of the revocation of a business licence (吊销营业执照), before and from
// 2024-07-01, when the revised Company Law took effect.
inline constexpr char kRevocationBasisBefore2024[] = "《公司法》第二百一十一条";
inline constexpr char kRevocationBasisFrom2024[] = "《公司法》第二百六十条";

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_TABLES_H_
