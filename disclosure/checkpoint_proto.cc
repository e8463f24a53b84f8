#include "disclosure/checkpoint_proto.h"

#include <string>

namespace regulation::disclosure {

v1::Checkpoint CheckpointProto(const SignedCheckpoint& checkpoint, absl::string_view verifier_key) {
  v1::Checkpoint out;
  out.set_origin(checkpoint.origin);
  out.set_tree_size(static_cast<int64_t>(checkpoint.size));
  out.set_root_hash(checkpoint.root_hash);
  out.set_signed_note(checkpoint.note);
  out.set_verifier_key(std::string(verifier_key));
  return out;
}

}  // namespace regulation::disclosure
