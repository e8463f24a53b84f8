#ifndef TOOLS_REGCTL_COSIGN_COMMAND_H_
#define TOOLS_REGCTL_COSIGN_COMMAND_H_

// `regctl witness cosign`: a log witness's own tool (docs/transparency-log.md,
// "Witnesses"), run by a party independent of the log's operator.
//
//   regctl witness cosign --key=DIR/witness.key --cosigner_name=NAME
//       Prints the cosigner's verifier key ("<name>+<key id>+<base64(0x04 || key)>"),
//       which readers configure (regctl verify-log --witness_key, regctl publish
//       --witness_key).
//   regctl witness cosign SITE --key=DIR/witness.key --cosigner_name=NAME
//                        --verifier_key=LOGKEY [--state_file=FILE]
//       Verifies the published log in SITE like `regctl verify-log` (signature by the
//       pinned LOGKEY; every entry and tile; consistency with the last checkpoint this
//       witness cosigned, remembered in FILE, default DIR/cosigner-state), then adds its
//       C2SP tlog-cosignature line to SITE/checkpoint (replaced atomically, under the
//       publisher's lock SITE/.publish.lock, and only if the file did not change since it
//       was verified) and remembers the checkpoint. A rollback or fork is refused and the
//       checkpoint is left unsigned.
//
// The key is an Ed25519 PKCS#8 PEM file as `regctl witness keygen --algorithm=ed25519`
// writes it; a witness uses separate keys for entropy statements and cosignatures.
//
// Exit codes: 0 cosigned (or key printed); 1 the log does not verify, is inconsistent
// with the remembered checkpoint, or a file cannot be read or written; 2 usage.
//
// Thread safety: may run on any thread; two cosigners of one SITE serialize on its lock.

#include <cstdio>
#include <string>
#include <vector>

#include "common/clock.h"

namespace regulation::regctl {

struct CosignOptions {
  std::string key;
  std::string cosigner_name;
  // The log's verifier key, pinned (required to cosign).
  std::string verifier_key;
  // Default: "cosigner-state" beside the key.
  std::string state_file;
  // The cosignature's timestamp (not owned).
  Clock* clock = RealClock();
};

// `args` are the words after "cosign": none (print the key) or the site directory.
int RunCosignCommand(const std::vector<std::string>& args, const CosignOptions& options,
                     std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_COSIGN_COMMAND_H_
