#ifndef DISCLOSURE_CHECKPOINT_PROTO_H_
#define DISCLOSURE_CHECKPOINT_PROTO_H_

// The API's form of a signed checkpoint (v1::Checkpoint), written once for the
// DisclosureService's reads and the site sources over a local log.
//
// Thread safety: a pure function.

#include "absl/strings/string_view.h"
#include "disclosure/log_reader.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::disclosure {

// `checkpoint` with the log's `verifier_key` (the note verifier key a reader checks the
// signed note with).
v1::Checkpoint CheckpointProto(const SignedCheckpoint& checkpoint, absl::string_view verifier_key);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_CHECKPOINT_PROTO_H_
