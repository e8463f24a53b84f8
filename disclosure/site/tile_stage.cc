#include "disclosure/site/tile_stage.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "disclosure/merkle.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/tile_hash_source.h"
#include "disclosure/tiles.h"

namespace regulation::disclosure::site {
namespace {

// "tile/..." made of plain components: nothing can land outside the staging folder.
bool IsSafeTilePath(const std::string& path) {
  if (!absl::StartsWith(path, "tile/")) return false;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.') return false;
    }
  }
  return true;
}

uint64_t WidthAt(uint64_t tree_size, int level, uint64_t index) {
  const uint64_t count = tree_size >> (level * kTileHeight);
  if (count <= index * kTileWidth) return 0;
  return std::min(kTileWidth, count - index * kTileWidth);
}

}  // namespace

TileStage::TileStage(const SiteWriter* site)
    : site_(site), dir_(site->Absolute(kStagingDir)) {}

TileStage::~TileStage() { (void)RemoveTree(dir_); }

absl::StatusOr<std::unique_ptr<TileStage>> TileStage::Create(const SiteWriter* site) {
  std::unique_ptr<TileStage> stage(new TileStage(site));
  REG_RETURN_IF_ERROR(RemoveTree(stage->dir_));  // left over by an interrupted run
  REG_RETURN_IF_ERROR(MakeDirectories(stage->dir_));
  return stage;
}

std::string TileStage::StagedPath(const std::string& path) const {
  return absl::StrCat(dir_, "/", path);
}

absl::Status TileStage::Accept(const v1::LogFile& file) {
  if (has_checkpoint_) {
    return absl::InvalidArgumentError(
        absl::StrCat("the log sent ", file.path(), " after its checkpoint"));
  }
  if (file.path() == kCheckpointPath) {
    checkpoint_ = file.content();
    has_checkpoint_ = true;
    return absl::OkStatus();
  }
  if (file.path() == kVerifierKeyPath) {
    verifier_key_ = file.content();
    return absl::OkStatus();
  }
  if (!IsSafeTilePath(file.path())) {
    return absl::InvalidArgumentError(absl::StrCat("the log sent a file named \"", file.path(),
                                                   "\", not a tiles-layout path"));
  }
  if (!staged_.insert(file.path()).second) {
    return absl::InvalidArgumentError(absl::StrCat("the log sent ", file.path(), " twice"));
  }
  SiteWriter staging(dir_);
  return staging.Write(file.path(), file.content());
}

absl::StatusOr<std::string> TileStage::Read(const std::string& path) const {
  if (staged_.contains(path)) {
    SiteWriter staging(dir_);
    return staging.Read(path);
  }
  return site_->Read(path);
}

absl::Status TileStage::VerifyTile(uint64_t from_size, int level, uint64_t index,
                                   uint64_t width) const {
  const Tile tile{level, index, width};
  const std::string path = HashTilePath(tile);
  if (!staged_.contains(path)) {
    return absl::NotFoundError(absl::StrCat("the log did not send ", path));
  }
  REG_ASSIGN_OR_RETURN(std::string hashes, Read(path));
  if (hashes.size() != width * kHashSize) {
    return absl::DataLossError(absl::StrCat(path, " holds ", hashes.size(), " bytes, not ",
                                            width * kHashSize));
  }
  // The part already published must not change.
  const uint64_t old_width = WidthAt(from_size, level, index);
  if (old_width > 0) {
    const std::string old_path = HashTilePath({level, index, old_width});
    REG_ASSIGN_OR_RETURN(std::string old, site_->Read(old_path));
    if (!absl::StartsWith(hashes, old)) {
      return absl::DataLossError(absl::StrCat(path, " rewrites hashes the site published in ",
                                              old_path));
    }
  }
  auto hash_at = [&](uint64_t k) { return hashes.substr(k * kHashSize, kHashSize); };
  if (level == 0) {
    const std::string bundle_path = EntryBundlePath(tile);
    if (!staged_.contains(bundle_path)) {
      return absl::NotFoundError(absl::StrCat("the log did not send ", bundle_path));
    }
    REG_ASSIGN_OR_RETURN(std::string bundle, Read(bundle_path));
    if (old_width > 0) {
      const std::string old_path = EntryBundlePath({0, index, old_width});
      REG_ASSIGN_OR_RETURN(std::string old, site_->Read(old_path));
      if (!absl::StartsWith(bundle, old)) {
        return absl::DataLossError(absl::StrCat(bundle_path, " rewrites entries the site ",
                                                "published in ", old_path));
      }
    }
    absl::StatusOr<std::vector<std::string>> entries = DecodeEntryBundle(bundle);
    if (!entries.ok() || entries->size() != width) {
      return absl::DataLossError(absl::StrCat(bundle_path, " does not hold ", width, " entries"));
    }
    for (uint64_t k = old_width; k < width; ++k) {
      if (LeafHash((*entries)[k]) != hash_at(k)) {
        return absl::DataLossError(absl::StrCat("entry ", index * kTileWidth + k, " in ",
                                                bundle_path, " does not match its hash in ",
                                                path));
      }
    }
    return absl::OkStatus();
  }
  for (uint64_t k = old_width; k < width; ++k) {
    const std::string child_path = HashTilePath({level - 1, index * kTileWidth + k, kTileWidth});
    REG_ASSIGN_OR_RETURN(std::string child, Read(child_path));
    if (child.size() != kTileWidth * kHashSize) {
      return absl::DataLossError(absl::StrCat(child_path, " is not a full tile"));
    }
    std::vector<std::string> leaves;
    leaves.reserve(kTileWidth);
    for (uint64_t c = 0; c < kTileWidth; ++c) leaves.push_back(child.substr(c * kHashSize, kHashSize));
    if (PerfectTreeHash(leaves) != hash_at(k)) {
      return absl::DataLossError(absl::StrCat("hash ", k, " of ", path,
                                              " is not the hash of ", child_path));
    }
  }
  return absl::OkStatus();
}

absl::Status TileStage::Verify(uint64_t from_size, const SignedCheckpoint& checkpoint) const {
  const std::vector<Tile> tiles = NewTiles(kTileHeight, from_size, checkpoint.size);
  size_t expected = 0;
  for (const Tile& tile : tiles) {
    expected += tile.level == 0 ? 2 : 1;
    REG_RETURN_IF_ERROR(VerifyTile(from_size, tile.level, tile.index, tile.width));
  }
  if (staged_.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("the log sent ", staged_.size(),
                                                   " tile files; the tree from ", from_size,
                                                   " to ", checkpoint.size, " needs ", expected));
  }
  TileHashSource source(checkpoint.size, [this](const std::string& path) { return Read(path); });
  REG_ASSIGN_OR_RETURN(std::string root, RootHash(checkpoint.size, source));
  if (root != checkpoint.root_hash) {
    return absl::DataLossError(absl::StrCat("the log's tiles do not hash to the root of its ",
                                            "checkpoint (", checkpoint.size, " records)"));
  }
  return absl::OkStatus();
}

absl::Status TileStage::Install(uint64_t from_size, uint64_t to_size, SiteWriter* site) {
  for (const Tile& tile : NewTiles(kTileHeight, from_size, to_size)) {
    if (tile.level == 0) {
      const std::string bundle = EntryBundlePath(tile);
      REG_RETURN_IF_ERROR(site->MoveInto(StagedPath(bundle), bundle));
    }
    const std::string hashes = HashTilePath(tile);
    REG_RETURN_IF_ERROR(site->MoveInto(StagedPath(hashes), hashes));
  }
  staged_.clear();
  return absl::OkStatus();
}

}  // namespace regulation::disclosure::site
