#ifndef DISCLOSURE_SITE_SITE_RECORD_H_
#define DISCLOSURE_SITE_SITE_RECORD_H_

// One log record as the site keeps it: its index, its exact leaf bytes (the file
// RecordLeafPath(index)) and the entry they encode.
//
// Thread safety: value type; LoadRecord reads the site only.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "disclosure/site/site_writer.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure::site {

struct SiteRecord {
  int64_t index = 0;
  std::string leaf;
  v1::PublicEntry entry;
};

// The record published at `index` in the site. NOT_FOUND when the site has no such
// record; DATA_LOSS when its leaf file is not a public entry.
absl::StatusOr<SiteRecord> LoadRecord(const SiteWriter& site, int64_t index);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_SITE_RECORD_H_
