#ifndef TOOLS_REGCTL_WITNESS_COMMAND_H_
#define TOOLS_REGCTL_WITNESS_COMMAND_H_

// `regctl witness keygen|sign|verify`: the entropy witness's own tool, run on the
// witness's machine with no server (docs/entropy.md §4).
//
//   regctl witness keygen --algorithm=ed25519|sm2-sm3 --out=DIR
//       A fresh key: DIR/witness.key (PKCS#8 PEM, mode 0600, never replaced) and
//       DIR/witness.pub ("<algorithm> <public key hex>\n"). Prints the algorithm and the
//       public key to register.
//   regctl witness sign --key=DIR/witness.key --source_id=ID --plan=PLAN --round=N
//                       --commitment=HEX [--attest=SOURCE_ID=VALUE ...] [--out=FILE]
//       Signs a statement with a fresh 32-byte value from the CSPRNG and the signing
//       time now; writes the EntropyStatement (protobuf's canonical JSON) to FILE (never
//       replacing one) or, without --out, to standard output; describes what it signed
//       (on standard output with --out, else on standard error). Each statement is
//       first recorded in DIR/witness.ledger beside the key (witness_ledger.h); a second
//       statement for a plan and round already in the ledger is refused (exit 1) unless
//       --force --reason=TEXT is given, and the reason is recorded.
//   regctl witness verify FILE --algorithm=A --public_key=HEX [--source_id=ID]
//       Checks an EntropyStatement file against a witness's registered key (and source
//       id, when given). Prints "VALID: ..." and the statement's fields, or
//       "INVALID: <reason>".
//
// Exit codes (connection.h): 0 done / VALID; 1 INVALID, or a key or statement file that
// cannot be written or read as a key; 2 usage (missing or malformed flags, an unreadable
// statement file).
//
// Thread safety: RunWitnessCommand may run on any thread; it shares nothing.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/clock.h"

namespace regulation::regctl {

// Flag values (regctl_main.cc); empty / 0 when not given.
struct WitnessOptions {
  // keygen, verify: "ed25519" or "sm2-sm3".
  std::string algorithm;
  // keygen: the directory for witness.key and witness.pub (created, mode 0700). sign: the
  // statement file to write. Default: none.
  std::string out;
  // sign: the private key file.
  std::string key;
  // sign: the witness's registered source id. verify: the id it must be (default: not
  // checked beyond the file's own consistency).
  std::string source_id;
  // sign: the plan, its round (0 the original draw) and the round's commitment digest
  // (64 lowercase hex), as published in the log.
  std::string plan;
  int64_t round = 0;
  std::string commitment;
  // sign: values of unchecked sources the witness vouches for, each "SOURCE_ID=VALUE"
  // (split at the first '='), in any order.
  std::vector<std::string> attest;
  // sign: sign although the ledger holds a statement for this plan and round, for
  // `force_reason` (both or neither).
  bool force = false;
  std::string force_reason;
  // verify: the registered public key, lowercase hex.
  std::string public_key;
  // The signing time (not owned).
  Clock* clock = RealClock();
};

// Runs `regctl witness <args...>` (args[0] is keygen, sign or verify) and returns the
// exit code. Results go to `out`, errors to stderr.
int RunWitnessCommand(const std::vector<std::string>& args, const WitnessOptions& options,
                      std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_WITNESS_COMMAND_H_
