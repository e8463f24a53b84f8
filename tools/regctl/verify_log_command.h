#ifndef TOOLS_REGCTL_VERIFY_LOG_COMMAND_H_
#define TOOLS_REGCTL_VERIFY_LOG_COMMAND_H_

// `regctl verify-log`: checks a published disclosure log (a C2SP tlog-tiles directory,
// docs/transparency-log.md) offline, without a server, and the bodies the site
// publishes beside its leaves (record/<k>/<i>.json and .salt): each must match its leaf,
// and a missing one must be named by a WITHDRAWAL record (disclosure/body_check.h); and
// each DRAW record's bundle file, draws/<plan>/<round>.json or its manifest and parts,
// must hash to the digests the record names (disclosure/site/published_bundle.h):
//
//   regctl verify-log DIR [--verifier_key=KEY | --trust_on_first_use] [--state_file=FILE]
//                         [--witness_key=COSIGNER ...]
//
// KEY is the log's verifier key ("<name>+<key id>+<base64 key>"), obtained independently
// of DIR. FILE (default ~/.regulation-log-state) remembers the last checkpoint verified
// for each log origin, with its key; the next run uses that key, checks that the log only
// grew from that checkpoint, then updates it. With neither a KEY nor a FILE that knows
// the log, the run is refused (exit 2): a forged directory serves its forger's key. Only
// --trust_on_first_use trusts the key the directory serves, DIR/verifier.key (and says
// so on stderr). Each COSIGNER ("<name>+<key id>+<base64(0x04 || key)>", a witness,
// disclosure/cosignature.h) must have cosigned the checkpoint: otherwise INVALID.
//
// Prints to `out` either
//   VALID: N entries, tree size S, root R        (R in base64, as in the checkpoint)
//   cosigned by W1 at T1; W2 at T2              (with --witness_key)
//   bodies: B match their leaves; W withdrawn, each named by a WITHDRAWAL record
//   draw bundles: D match their DRAW records (P published in parts)
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
  // --verifier_key: the log's verifier key. Empty (default): the key the state file
  // remembers for the log, else (only with trust_on_first_use) DIR/verifier.key.
  std::string verifier_key;
  // --trust_on_first_use: trust DIR/verifier.key when nothing else names the key.
  bool trust_on_first_use = false;
  // --witness_key: cosigners whose cosignature the checkpoint must carry.
  std::vector<std::string> witness_keys;
  // --state_file: where verified checkpoints are remembered. Empty (default):
  // DefaultLogStateFile().
  std::string state_file;
};

// $HOME/.regulation-log-state; empty when HOME is not set.
std::string DefaultLogStateFile();

// `args` are the words after "verify-log": exactly one, the directory. Returns the exit
// code: 0 VALID; 1 INVALID (or the state file could not be read or updated; message on
// stderr; a required cosignature missing or invalid); 2 usage (no directory, a malformed
// key, no pinned key without --trust_on_first_use, no state file location; message on
// stderr).
int RunVerifyLogCommand(const std::vector<std::string>& args, const VerifyLogOptions& options,
                        std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_VERIFY_LOG_COMMAND_H_
