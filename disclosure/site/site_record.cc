#include "disclosure/site/site_record.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_leaf.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/tiles.h"

namespace regulation::disclosure::site {
namespace {

absl::Status Corrupt(absl::string_view path, const absl::Status& status) {
  return absl::DataLossError(absl::StrCat(path, ": ", status.message()));
}

}  // namespace

std::string SaltFileText(absl::string_view salt) {
  return absl::StrCat(absl::BytesToHexString(salt), "\n");
}

absl::StatusOr<std::string> ParseSaltFile(absl::string_view text) {
  if (text.size() != 2 * kSaltSize + 1 || text.back() != '\n') {
    return absl::InvalidArgumentError(
        absl::StrCat("a salt file is ", 2 * kSaltSize, " lowercase hex digits and a line feed"));
  }
  const absl::string_view hex = text.substr(0, 2 * kSaltSize);
  if (!std::all_of(hex.begin(), hex.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return absl::InvalidArgumentError("a salt file holds lowercase hex digits only");
  }
  return absl::HexStringToBytes(hex);
}

absl::StatusOr<SiteRecord> LoadRecord(const SiteWriter& site, int64_t index) {
  absl::StatusOr<std::string> body = site.Read(RecordBodyPath(index));
  if (!body.ok()) return body.status();
  absl::StatusOr<std::string> salt_file = site.Read(RecordSaltPath(index));
  if (absl::IsNotFound(salt_file.status())) {
    return Corrupt(RecordSaltPath(index), salt_file.status());
  }
  if (!salt_file.ok()) return salt_file.status();
  absl::StatusOr<std::string> salt = ParseSaltFile(*salt_file);
  if (!salt.ok()) return Corrupt(RecordSaltPath(index), salt.status());
  absl::StatusOr<SealedBody> sealed = SealBody(*std::move(body), *std::move(salt));
  if (!sealed.ok()) return Corrupt(RecordBodyPath(index), sealed.status());
  SiteRecord record;
  record.index = index;
  record.leaf = std::move(sealed->leaf);
  record.body = std::move(sealed->body);
  record.salt = std::move(sealed->salt);
  record.entry = std::move(sealed->entry);
  return record;
}

absl::StatusOr<SiteRecord> WithdrawnRecord(int64_t index, std::string leaf,
                                           int64_t withdrawal_index) {
  absl::StatusOr<PublicLeaf> fields = ParsePublicLeaf(leaf);
  if (!fields.ok()) {
    return absl::DataLossError(absl::StrCat("the leaf of record ", index, ": ",
                                            fields.status().message()));
  }
  SiteRecord record;
  record.index = index;
  record.leaf = std::move(leaf);
  record.entry.set_kind(fields->kind);
  record.entry.set_key(fields->key);
  record.entry.set_subject(fields->subject);
  record.entry.set_publish_time(fields->publish_time);
  record.withdrawn = true;
  record.withdrawal_index = withdrawal_index;
  return record;
}

absl::StatusOr<std::string> ReadLoggedLeaf(const SiteWriter& site, int64_t index,
                                           uint64_t tree_size) {
  const uint64_t i = static_cast<uint64_t>(index);
  if (index < 0 || i >= tree_size) {
    return absl::DataLossError(absl::StrCat("record ", index, " is not in the tree of ", tree_size));
  }
  const uint64_t n = i / kTileWidth;
  const Tile tile{0, n, std::min(kTileWidth, tree_size - n * kTileWidth)};
  REG_ASSIGN_OR_RETURN(std::string data, site.Read(EntryBundlePath(tile)));
  absl::StatusOr<std::vector<std::string>> entries = DecodeEntryBundle(data);
  if (!entries.ok()) return Corrupt(EntryBundlePath(tile), entries.status());
  if (i % kTileWidth >= entries->size()) {
    return absl::DataLossError(absl::StrCat(EntryBundlePath(tile), " does not hold entry ", index));
  }
  return std::move((*entries)[i % kTileWidth]);
}

}  // namespace regulation::disclosure::site
