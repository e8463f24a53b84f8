#include "disclosure/site/published_bundle.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "disclosure/site/site_paths.h"
#include "scheduler/bundle_parts.h"

namespace regulation::disclosure::site {
namespace {

// The bundle at `path` and, when it is published in parts, its manifest.
struct Published {
  std::string bundle;
  std::optional<scheduler::BundleManifest> manifest;
};

absl::StatusOr<Published> ReadAt(const std::string& path, const SiteFileReader& read) {
  REG_ASSIGN_OR_RETURN(std::string text, read(path));
  if (!scheduler::LooksLikeManifest(text)) return Published{std::move(text), std::nullopt};
  REG_ASSIGN_OR_RETURN(scheduler::BundleManifest manifest, scheduler::ParseManifestJson(text));
  const std::string dir = path.substr(0, path.find_last_of('/') + 1);
  REG_ASSIGN_OR_RETURN(std::string bundle,
                       scheduler::JoinBundleParts(manifest, [&](const scheduler::BundlePart& part) {
                         return read(dir + part.file);
                       }));
  return Published{std::move(bundle), std::move(manifest)};
}

}  // namespace

absl::StatusOr<std::string> ReadPublishedBundle(const v1::PublicDraw& draw,
                                                const SiteFileReader& read) {
  REG_ASSIGN_OR_RETURN(Published published, ReadAt(BundlePath(draw.plan_id(), draw.round()), read));
  return std::move(published.bundle);
}

absl::Status CheckPublishedBundle(const v1::PublicDraw& draw, const SiteFileReader& read) {
  const std::string path = BundlePath(draw.plan_id(), draw.round());
  absl::StatusOr<Published> published = ReadAt(path, read);
  if (absl::IsNotFound(published.status())) {
    return absl::DataLossError(absl::StrCat(path, ": not published"));
  }
  if (!published.ok()) {
    if (!absl::IsDataLoss(published.status())) return published.status();
    return absl::DataLossError(absl::StrCat(path, ": ", published.status().message()));
  }
  if (published->manifest.has_value()) {
    // Parts the record does not name would be bytes the log never committed to, even if
    // they joined to the right whole.
    const std::vector<scheduler::BundlePart>& parts = published->manifest->parts;
    if (static_cast<int>(parts.size()) != draw.bundle_part_digests_size()) {
      return absl::DataLossError(absl::StrCat(path, " lists ", parts.size(),
                                              " parts; the record names ",
                                              draw.bundle_part_digests_size()));
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].sha256 != draw.bundle_part_digests(static_cast<int>(i))) {
        return absl::DataLossError(absl::StrCat(path, ": part ", i + 1, " (", parts[i].file,
                                                ") is not the part the record names"));
      }
    }
  }
  const std::string digest = Sha256Hex(published->bundle);
  if (digest != draw.bundle_digest()) {
    return absl::DataLossError(absl::StrCat(path, " hashes to ", digest,
                                            "; the record's bundle_digest is ",
                                            draw.bundle_digest()));
  }
  return absl::OkStatus();
}

}  // namespace regulation::disclosure::site
