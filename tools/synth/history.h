#ifndef TOOLS_SYNTH_HISTORY_H_
#define TOOLS_SYNTH_HISTORY_H_

// One enterprise's event history over the window, and its hidden probability of a
// problem being found.
//
// SimulateHistory runs a small discrete-event simulation from the later of the window
// start and the establishment date to the end date, month by month, with every draw from
// the stream (seed, index, "history"). Each month it draws the month's penalties,
// complaints, registration changes, court listings, quality samplings, inspections and
// exits from rates that depend on the enterprise's risk, and then processes, in time
// order, every action due before the month ends; an action can schedule later ones (a
// missed annual report leads to an abnormal-operation listing, a late filing to its
// removal, an inspection's finding to a penalty). docs/synthetic-data.md lists the
// rates.
//
// The probability that an inspection at time t finds a problem is
//
//   p_true(t) = sigmoid(intercept + latent_propensity + age terms
//                       + terms of the observable history (penalties, listings, late or
//                         missing reports, complaints, failed samplings, earlier
//                         findings, zero reports, registration changes)
//                       + interactions (young firm in catering, trade or construction
//                         with a late or missing report; tiny capital with repeated
//                         registration changes)
//                       + a shock drawn each calendar year, Normal(0, 0.6))
//
// so a model reading the events can predict it well but not perfectly: the latent
// propensity is only partly revealed by the history and the yearly shock not at all
// (beyond its effect on the same year's events).
//
// Guarantees (tested): events are in occur_time order, none before the establishment
// date or after the end date; a list removal always follows an addition to the same
// list; event ids are "syn-<seed>-<index, 8 digits>-<n, 4 digits>", n counting from 1.
//
// Thread safety: pure apart from `streams`, which must not be shared between threads.

#include <cstdint>
#include <vector>

#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/event.pb.h"
#include "tools/synth/config.h"
#include "tools/synth/population.h"
#include "tools/synth/random.h"

namespace regulation::synth {

// Most events one enterprise may have (the 4-digit counter of its event ids).
inline constexpr int kMaxEventsPerEnterprise = 9999;

struct InspectionRecord {
  // The inspection-outcome event that reports it.
  std::string event_id;
  int64_t time = 0;  // Unix seconds
  double p_true = 0;
  // The logit without its hidden parts (shell, noise, yearly shock): what a model of the
  // directory record and the history could at best reach without inferring the latent.
  double observable_logit = 0;
  bool problem_found = false;
  int result_category = 0;  // InspectionResultCategory
};

struct History {
  // In occur_time order (ties: event id order).
  std::vector<v1::Event> events;
  std::vector<InspectionRecord> inspections;
  v1::EnterpriseStatus final_status = v1::ENTERPRISE_STATUS_OPERATING;
  int64_t final_capital_yuan = 0;
  // p_true just after the end date.
  double problem_probability_at_end = 0;
};

History SimulateHistory(const SynthConfig& config, const EnterpriseProfile& profile,
                        StreamFactory* streams);

// The directory record as it stands on the end date: the profile with the history's
// final status and capital.
v1::Enterprise EnterpriseRecord(const EnterpriseProfile& profile, const History& history);

// The id of the n-th event (1-based) of enterprise `index`.
std::string EventId(uint64_t seed, int64_t index, int n);

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_HISTORY_H_
