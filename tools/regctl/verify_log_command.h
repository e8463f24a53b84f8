#ifndef TOOLS_REGCTL_VERIFY_LOG_COMMAND_H_
#define TOOLS_REGCTL_VERIFY_LOG_COMMAND_H_

// `regctl verify-log`: checks a published disclosure log (a C2SP tlog-tiles directory,
// docs/transparency-log.md) offline, without a server, and the bodies the site
// publishes beside its leaves (record/<k>/<i>.json and .salt): each must match its leaf,
// and a missing one must be named by a WITHDRAWAL record (disclosure/body_check.h):
//
//   regctl verify-log DIR [--verifier_key=KEY] [--state_file=FILE]
//
// KEY is the log's verifier key ("<name>+<key id>+<base64 key>"); without it the key
// published beside the log, DIR/verifier.key, is trusted (and a note says so on stderr).
// FILE (default ~/.regulation-log-state) remembers the last checkpoint verified for each
// log origin; the next run checks that the log only grew from it, then updates it.
//
// Prints to `out` either
//   VALID: N entries, tree size S, root R        (R in base64, as in the checkpoint)
//   bodies: B match their leaves; W withdrawn, each named by a WITHDRAWAL record
// followed by a line about the remembered checkpoint, or
//   INVALID: <reason>
//
// Thread safety: RunVerifyLogCommand may run on any thread; two runs sharing a state file
// race on it (the last one wins).

#include <cstdio>
#include <string>
#include <vector>

namespace regulation::regctl {

struct VerifyLogOptions {
  // --verifier_key: the log's verifier key. Empty (default): read DIR/verifier.key.
  std::string verifier_key;
  // --state_file: where verified checkpoints are remembered. Empty (default):
  // DefaultLogStateFile().
  std::string state_file;
};

// $HOME/.regulation-log-state; empty when HOME is not set.
std::string DefaultLogStateFile();

// `args` are the words after "verify-log": exactly one, the directory. Returns the exit
// code: 0 VALID; 1 INVALID (or the state file could not be read or updated; message on
// stderr); 2 usage (no directory, a malformed or missing verifier key, no state file
// location; message on stderr).
int RunVerifyLogCommand(const std::vector<std::string>& args, const VerifyLogOptions& options,
                        std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_VERIFY_LOG_COMMAND_H_
