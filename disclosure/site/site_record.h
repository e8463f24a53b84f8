#ifndef DISCLOSURE_SITE_SITE_RECORD_H_
#define DISCLOSURE_SITE_SITE_RECORD_H_

// One log record as the site keeps it: its index, its leaf, and the body and salt the
// leaf commits to (the files RecordBodyPath and RecordSaltPath), with the entry the body
// encodes; or, once withdrawn, the leaf alone and the index of the WITHDRAWAL record.
//
// Thread safety: value type; the functions read the site only.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "disclosure/site/site_writer.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure::site {

struct SiteRecord {
  int64_t index = 0;
  // The leaf, as logged (disclosure/public_leaf.h).
  std::string leaf;
  // The body and its salt; empty once withdrawn.
  std::string body;
  std::string salt;
  // The body's entry. Withdrawn: only kind, key, subject and publish_time, from the leaf.
  v1::PublicEntry entry;
  bool withdrawn = false;
  // The WITHDRAWAL record that names this one (withdrawn only).
  int64_t withdrawal_index = -1;
};

// The record at `index` from its body and salt files, its leaf recomputed from them.
// NOT_FOUND when the site has no body for it; DATA_LOSS when the files are not a body and
// its salt.
absl::StatusOr<SiteRecord> LoadRecord(const SiteWriter& site, int64_t index);

// A withdrawn record from its leaf. DATA_LOSS when `leaf` is not a disclosure leaf.
absl::StatusOr<SiteRecord> WithdrawnRecord(int64_t index, std::string leaf,
                                           int64_t withdrawal_index);

// The leaf at `index` in the site's entry bundle of the tree of `tree_size` leaves.
// NOT_FOUND when the bundle is missing; DATA_LOSS when it does not hold the entry.
absl::StatusOr<std::string> ReadLoggedLeaf(const SiteWriter& site, int64_t index,
                                           uint64_t tree_size);

// The salt file: 64 lowercase hex digits and a line feed; and back (INVALID_ARGUMENT
// for anything else).
std::string SaltFileText(absl::string_view salt);
absl::StatusOr<std::string> ParseSaltFile(absl::string_view text);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_RECORD_H_
