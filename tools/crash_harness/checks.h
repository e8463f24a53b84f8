#ifndef TOOLS_CRASH_HARNESS_CHECKS_H_
#define TOOLS_CRASH_HARNESS_CHECKS_H_

// What must hold after every restart, checked against the Ledger of what the server
// acknowledged before it was killed:
//
//   events       every acknowledged event stored exactly once; nothing stored that was
//                never sent
//   portraits    `regctl portrait verify`: kept portraits equal their recomputation
//   plans        each plan in a legal state, never behind what was acknowledged or seen;
//                a drawn plan has its draw; no plan the harness did not create
//   results      every approved result approved or published, never lost; published
//                once, its record in the log, never twice
//   checkpoints  the new checkpoint signed by the pinned key and consistent (RFC 9162
//                proofs from GetConsistencyProof) with every checkpoint handed out before
//   site         `regctl publish`, then `regctl verify-log --state_file` VALID
//   audit        `regctl audit verify --expect_head` VALID; the trail's events_stored
//                sums to the events stored
//   (and, once the server has stopped, offline_checks.h: the feature rows)
//   retries      every answered write sent again (same request_id) gets the same answer,
//                but for the fields docs/api.md lets a replay show advanced
//
// Thread safety: not thread-safe; run while the workload is paused.

#include <cstdint>
#include <string>
#include <vector>

#include "tools/crash_harness/endpoint.h"
#include "tools/crash_harness/ledger.h"

namespace regulation::crash {

struct CheckResult {
  std::string name;
  bool ok = true;
  std::string detail;
};

struct CheckOptions {
  std::string regctl;
  std::string pki_dir;
  std::string site_dir;
  std::string log_state_file;
  // Every answered write is sent again once; then, at each check, this many of the older
  // ones chosen at random as well.
  int old_retries_per_check = 5;
};

class Checks {
 public:
  Checks(CheckOptions options, Endpoint* endpoint, uint64_t seed);

  // Runs every check; `final_check` also waits (up to a minute) for the publication queue
  // to publish every approved result, which must then all be PUBLISHED.
  std::vector<CheckResult> Run(Ledger& ledger, bool final_check);

  // Figures for the summary line.
  int64_t events_stored() const { return events_stored_; }
  int64_t retries_compared() const { return retries_compared_; }
  int64_t checkpoints_checked() const { return checkpoints_checked_; }
  int64_t results_published() const { return results_published_; }

 private:
  CheckResult Events(Ledger& ledger);
  CheckResult Portraits();
  CheckResult Plans(Ledger& ledger);
  CheckResult Results(Ledger& ledger, bool all_published);
  CheckResult Checkpoints(Ledger& ledger);
  CheckResult Site();
  CheckResult Audit();
  CheckResult Retries(Ledger& ledger);
  // regctl connected to the server as `identity`, then `args`.
  std::vector<std::string> RegctlAs(const std::string& identity,
                                    std::vector<std::string> args) const;

  const CheckOptions options_;
  Endpoint* const endpoint_;
  uint64_t random_state_;
  std::string verifier_key_;  // pinned from the first checkpoint seen
  std::string audit_head_;    // "SEQ:HEX" from the last audit verify
  uint64_t audit_sequence_ = 0;
  int64_t audit_events_stored_ = 0;
  size_t retried_up_to_ = 0;
  int64_t events_stored_ = 0;
  int64_t retries_compared_ = 0;
  int64_t checkpoints_checked_ = 0;
  int64_t results_published_ = 0;
};

}  // namespace regulation::crash

#endif  // TOOLS_CRASH_HARNESS_CHECKS_H_
