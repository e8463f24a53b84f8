#ifndef TOOLS_SYNTH_POPULATION_H_
#define TOOLS_SYNTH_POPULATION_H_

// The enterprises of a synthetic population and their hidden risk.
//
// GenerateProfile(config, i, streams) makes enterprise i (0-based) from the stream
// (seed, i, "enterprise") alone: region (GB/T 2260, weighted by economic size),
// industry (GB/T 4754-2017 section by its share of registrations, then a division),
// establishment date (1995 to the end date, skewed young), registered capital
// (log-normal by section, rounded the way capital is registered), name, address, credit
// code, and the hidden state the event history is drawn from:
//
//   latent_propensity = section effect + region effect + capital effect
//                       + 1.0 * shell + Normal(0, 0.8)
//
// on the logit scale, where `shell` (空壳) marks a firm with no real business (more
// likely with tiny capital, in trade and business services). The first three terms are
// observable from the directory record (observable_propensity); shell and the noise are
// not.
//
// Credit codes are "91" (registered with market regulation, an enterprise) + the region +
// a 9-character organisation code + the GB 32100 check character. The organisation code
// is 8 body characters and a GB 11714 check character; its body is a bijection of the
// index (and seed), so codes are unique for up to 10^8 enterprises: 8 digits for firms
// established before 2015-10-01, "MA" and 6 characters of the credit-code alphabet from
// then on, as codes issued since the reform look.
//
// Thread safety: GenerateProfile is pure apart from `streams`, which must not be shared
// between threads.

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "regulation/v1/enterprise.pb.h"
#include "tools/synth/config.h"
#include "tools/synth/random.h"
#include "tools/synth/tables.h"

namespace regulation::synth {

// Registered capital below this (10万元) counts as tiny.
inline constexpr int64_t kTinyCapitalYuan = 100000;

struct EnterpriseProfile {
  int64_t index = 0;
  std::string credit_code;
  std::string name;
  std::string region_code;
  std::string industry_code;  // a division, e.g. "F52"
  std::string address;
  const RegionInfo* region = nullptr;
  const SectionInfo* section = nullptr;
  const DivisionInfo* division = nullptr;
  absl::CivilDay establishment;
  // At establishment; registration changes in the history may change it.
  int64_t registered_capital_yuan = 0;

  // Hidden ground truth (never written to the directory or the events).
  double latent_propensity = 0;      // logit scale; see above
  double observable_propensity = 0;  // its part that the directory record reveals
  bool shell = false;
  double diligence = 0;        // Normal(0, 0.7): files annual reports on time more readily
  double churn = 1;            // multiplier of the rate of registration changes
  bool holds_licence = false;  // the division's licence, when it has one
  // Scale of the annual reports' financial fields at establishment.
  double total_assets_yuan = 0;
  double revenue_yuan = 0;
  int employees = 0;

  // Firms established before the window may have closed before it starts: they are in
  // the directory with this status and have no events.
  bool closed_before_window = false;
  v1::EnterpriseStatus status_before_window = v1::ENTERPRISE_STATUS_OPERATING;
};

EnterpriseProfile GenerateProfile(const SynthConfig& config, int64_t index, StreamFactory* streams);

// The organisation code (9 characters, GB 11714 check character last) of enterprise
// `index`; new_style for codes issued from 2015-10-01 ("MA..."). REQUIRES: 0 <= index <
// 10^8.
std::string OrganisationCode(uint64_t seed, int64_t index, bool new_style);

// The GB 11714 check character of an 8-character organisation code body: weights 3 7 9 10
// 5 8 4 2, digits valued 0-9 and letters A-Z 10-35; 11 - (sum mod 11), 10 as 'X', 11 as
// '0'.
char OrganisationCodeCheck(const std::string& body8);

// Capital as registered: whole 万元 (10,000 yuan), at least 1万, two significant
// figures, and often a round amount (1, 3, 5, 10, 50, 100, 500, 1000 ... 万).
int64_t RoundCapital(double yuan, Rng* rng);

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_POPULATION_H_
