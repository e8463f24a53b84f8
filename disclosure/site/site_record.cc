#include "disclosure/site/site_record.h"

#include "absl/strings/str_cat.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {

absl::StatusOr<SiteRecord> LoadRecord(const SiteWriter& site, int64_t index) {
  absl::StatusOr<std::string> leaf = site.Read(RecordLeafPath(index));
  if (!leaf.ok()) return leaf.status();
  absl::StatusOr<v1::PublicEntry> entry = ParsePublicEntry(*leaf);
  if (!entry.ok()) {
    return absl::DataLossError(
        absl::StrCat(RecordLeafPath(index), ": ", entry.status().message()));
  }
  return SiteRecord{index, *std::move(leaf), *std::move(entry)};
}

}  // namespace regulation::disclosure::site
