#ifndef DISCLOSURE_PUBLIC_LEAF_H_
#define DISCLOSURE_PUBLIC_LEAF_H_

// The disclosure log's leaves (docs/transparency-log.md, "Leaves"). A public record has
// a *body*, the compact JSON of a regulation.v1.PublicEntry, and the log holds a small
// canonical *leaf* that names the record and commits to its body through a salted hash:
//
//   regulation-disclosure-leaf/v2\n
//   kind <kind>\n
//   key <key>\n
//   subject <subject>\n
//   publish_time <publish_time>\n
//   body_sha256 <64 lowercase hex digits>\n
//
// where body_sha256 = SHA-256("regulation-disclosure-body/v2" || 0x00 || salt || body),
// salt being 32 random bytes per record. Each value is the body's field of that name,
// non-empty UTF-8 without control characters. The body and salt are published beside the
// leaf; deleting them (a withdrawal) leaves the leaf, the tree and every proof intact,
// and without the salt nobody can confirm a guess at a withdrawn body from its leaf.
//
// Thread safety: pure functions, but NewSalt (thread-safe: OpenSSL's generator).

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure {

// The leaf's first line, without its line feed.
inline constexpr absl::string_view kLeafFormat = "regulation-disclosure-leaf/v2";
// Hashed before the salt and body, then one zero byte.
inline constexpr absl::string_view kBodyDigestDomain = "regulation-disclosure-body/v2";
inline constexpr size_t kSaltSize = 32;
// Bodies are not in the entry bundles (whose 16-bit lengths bound the leaves); this
// bounds what one record may publish and what a reader must hold.
inline constexpr size_t kMaxBodySize = size_t{1} << 20;

struct PublicLeaf {
  std::string kind;
  std::string key;
  std::string subject;
  std::string publish_time;
  // The 32 raw bytes of body_sha256.
  std::string body_digest;
};

// The leaf's bytes. INVALID_ARGUMENT naming the field when a value is empty, not UTF-8
// or holds a control character, or the digest is not 32 bytes.
absl::StatusOr<std::string> EncodePublicLeaf(const PublicLeaf& leaf);

// The leaf in `bytes`. INVALID_ARGUMENT unless `bytes` is exactly a leaf of this format
// (a log from before leaves committed to salted bodies held the PublicEntry JSON itself:
// the message says so).
absl::StatusOr<PublicLeaf> ParsePublicLeaf(absl::string_view bytes);

// SHA-256(kBodyDigestDomain || 0x00 || salt || body), 32 raw bytes.
std::string BodyDigest(absl::string_view salt, absl::string_view body);

// kSaltSize bytes from OpenSSL's generator. Aborts if the generator fails (there is no
// safe way to go on without it).
std::string NewSalt();

// A body as it is staged: the leaf that commits to it and its salt.
struct SealedBody {
  std::string leaf;
  std::string body;
  std::string salt;
  v1::PublicEntry entry;
};

// Seals `body` (a PublicEntry's JSON) with `salt`. INVALID_ARGUMENT when the body is
// not a PublicEntry or a leaf field is invalid (EncodePublicLeaf), or the salt is not
// kSaltSize bytes; RESOURCE_EXHAUSTED when the body exceeds kMaxBodySize.
absl::StatusOr<SealedBody> SealBody(std::string body, std::string salt);

// The body's entry once it is shown to be what `leaf` commits to: the salted digest
// matches and the body's kind, key, subject and publish_time are the leaf's. DATA_LOSS
// saying what differs otherwise (INVALID_ARGUMENT for a salt of the wrong size).
absl::StatusOr<v1::PublicEntry> CheckBody(const PublicLeaf& leaf, absl::string_view body,
                                          absl::string_view salt);

// A PublicEntry as a body: compact JSON, the .proto field names.
std::string PublicEntryJson(const v1::PublicEntry& entry);

// The entry in a body. Unknown fields are ignored (a newer log may add some);
// INVALID_ARGUMENT when `body` is not a PublicEntry's JSON.
absl::StatusOr<v1::PublicEntry> ParsePublicEntryJson(absl::string_view body);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PUBLIC_LEAF_H_
