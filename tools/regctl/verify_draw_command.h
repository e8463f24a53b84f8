#ifndef TOOLS_REGCTL_VERIFY_DRAW_COMMAND_H_
#define TOOLS_REGCTL_VERIFY_DRAW_COMMAND_H_

// `regctl verify-draw BUNDLE.json`: checks a published draw bundle here, without a server
// (docs/draw-spec.md §11).
//
//   regctl verify-draw BUNDLE.json [--population=FILE.csv] [--roster=FILE.json]
//                      [--sources=REGISTRY.json] [--previous=BUNDLE.json]
//                      [--credit_code=CODE [--risk_class=A-D]]
//
// With the bundle alone it recomputes the round's commitment digest, checks every entropy
// statement (signature under the committed key, plan, round, commitment, time; a beacon
// pulse and its time; an unchecked value's attestation), re-derives the seed from the
// commitment, the nonce and the statements' values, checks the nonce against its
// commitment, recomputes every target's ticket and checks order, ranks, class counts,
// cutoffs and the teams' shape. --sources (the registry as published: a JSON list of
// RegisteredEntropySource, or `regctl --output=json entropy list`) checks that the
// bundle's sources are the registered ones; --previous (the bundle of the round before)
// checks a later round's chain: its link, a fresh nonce and fresh statements, the
// exclusions and the workload carried. --population (the frozen population, §10.1) adds
// the population digests, each target's class cutoff and a full re-run of the selection;
// --roster (the frozen roster, §10.2) adds the roster digest and a re-run of the teams.
// --earlier (the bundles of other plans' rounds published before this plan's commit)
// re-checks the plan's no-repeat rule: the rounds considered, the window, the department
// scope, completeness and the excluded set (draw-spec §11.4).
// --credit_code checks one enterprise's own ticket against its class's cutoff; its class
// comes from --risk_class, else from the population file, else it is unknown (decided
// only when the ticket is below every cutoff or above them all).
//
// Prints "VALID: ..." and what was checked, exit 0; or "INVALID: <first discrepancy>",
// exit 1 (also when the enterprise's own check is inconsistent). Bad arguments or an
// unreadable or malformed population or roster file: a message on stderr, exit 2.
//
// Thread safety: RunVerifyDrawCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

namespace regulation::regctl {

struct VerifyDrawOptions {
  // The frozen population, CSV. Default: none (not checked against).
  std::string population_file;
  // The frozen roster, JSON. Default: none.
  std::string roster_file;
  // The published entropy source registry. Default: none.
  std::string sources_file;
  // The previous round's bundle. Default: none.
  std::string previous_file;
  // The bundles of other plans' rounds published before this plan's commit (the log's
  // DRAW records before its COMMITMENT): re-checks the no-repeat rule. Default: none.
  std::vector<std::string> earlier_files;
  // An enterprise whose own ticket to check. Default: none.
  std::string credit_code;
  // Its risk class, A-D. Default: from the population file, else unknown.
  std::string risk_class;
};

// args: exactly one, the bundle file. Returns the exit code (0 valid, 1 invalid, 2 usage).
int RunVerifyDrawCommand(const std::vector<std::string>& args, const VerifyDrawOptions& options,
                         std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_VERIFY_DRAW_COMMAND_H_
