#ifndef TOOLS_REGCTL_PLAN_COMMAND_H_
#define TOOLS_REGCTL_PLAN_COMMAND_H_

// Inspection plans and their draws (InspectionService), commit-then-draw:
//
//   regctl plan create --file=PLAN.json         one regulation.v1.Plan (canonical JSON)
//   regctl plan update ID --file=PLAN.json      a DRAFT as it should be, at the version read
//   regctl plan get ID
//   regctl plan list [--department=D] [--page_size=N] [--page_token=T] [--all]
//   regctl plan commit ID --source=ID[@PULSE_TIME][,...] [--nonce_commitment=HEX]
//                         [--allow_unstaffed]
//   regctl plan draw ID --statement=FILE[,SOURCE_ID=PULSE.json,...] [--nonce=HEX]
//                       [--bundle_out=FILE]
//   regctl plan announce ID --codes=C1,C2 --reason=TEXT --source=ID[,...] [--restaff]
//   regctl plan replace ID --statement=FILE[,...] [--codes=C1,C2] [--bundle_out=FILE]
//   regctl plan close ID
//   regctl draw get PLAN_ID [--round=N] [--bundle_out=FILE]
//   regctl draw announce PLAN_ID ...    the same as plan announce
//   regctl draw replace PLAN_ID ...     the same as plan replace
//   regctl draw export PLAN_ID --out=DIR
//
// A --statement entry is a file holding one regulation.v1.EntropyStatement as JSON (what
// `regctl witness sign` writes), or SOURCE_ID=FILE: a beacon's pulse exactly as the beacon
// served it, for that registered beacon.
//
// Every write carries a fresh request_id and is retried when the server is unreachable:
// the server answers a repeated request_id with the first answer (create returns the
// plan it created, never a second one). --bundle_out writes the Draw's bundle_json byte for byte
// (what `regctl verify-draw` reads). `draw export` writes the frozen inputs and every
// round's bundle (draw_export.h) and prints the verify-draw command to run.
//
// Thread safety: RunPlanCommand may run on any thread; it shares nothing.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"

namespace regulation::regctl {

struct PlanOptions {
  // create: a file holding one v1::Plan in canonical JSON (plan_id, state, create_time
  // and version are the server's).
  std::string file;
  // list: only plans of this department. Default: any.
  std::string department;
  int page_size = 0;
  std::string page_token;
  bool all_pages = false;
  // commit, announce: the registered sources, "ID" or "ID@RFC3339" for a beacon's pulse
  // (required).
  std::vector<std::string> sources;
  // commit: SHA-256 (64 lowercase hex) of a nonce you keep until the draw. Default: the
  // server seals a nonce of its own.
  std::string nonce_commitment;
  // commit: commit although the roster cannot staff the expected targets. Default false.
  bool allow_unstaffed = false;
  // draw, replace: the sources' statements (required), as described above.
  std::vector<std::string> statements;
  // announce: staff the named unstaffed targets again instead of replacing them.
  bool restaff = false;
  // draw: the nonce (hex) whose SHA-256 you committed; empty when the server holds it.
  std::string nonce;
  // replace: the targets that cannot be inspected, comma-separated, and why (required).
  std::string codes;
  std::string reason;
  // draw, replace, draw get: also write the round's bundle_json to this file.
  std::string bundle_out;
  // draw get: the round (0 the original draw, 1, 2, ... replacements).
  int round = 0;
  // draw export: the directory to write into (required).
  std::string out;
  OutputFormat output = OutputFormat::kTable;
};

// `args[0]` is plan or draw; args[1] the verb; then the plan id where one is taken.
// Returns the exit code (connection.h): 0 ok, 1 the server refused (or a file could not
// be written), 2 bad command line, 3 server unreachable. Results go to `out`, errors to
// stderr.
int RunPlanCommand(const std::vector<std::string>& args, const PlanOptions& options,
                   const ConnectionOptions& connection, std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_PLAN_COMMAND_H_
