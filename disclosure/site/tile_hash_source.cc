#include "disclosure/site/tile_hash_source.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "disclosure/tiles.h"

namespace regulation::disclosure::site {

std::string PerfectTreeHash(absl::Span<const std::string> hashes) {
  std::vector<std::string> level(hashes.begin(), hashes.end());
  while (level.size() > 1) {
    std::vector<std::string> up;
    up.reserve(level.size() / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2) up.push_back(NodeHash(level[i], level[i + 1]));
    level = std::move(up);
  }
  return level.empty() ? std::string() : level[0];
}

TileHashSource::TileHashSource(uint64_t tree_size, ReadFile read)
    : tree_size_(tree_size), read_(std::move(read)) {}

absl::StatusOr<const std::string*> TileHashSource::Tile(int tile_level, uint64_t tile_index) const {
  const uint64_t count = tree_size_ >> (tile_level * kTileHeight);
  const uint64_t width = std::min(kTileWidth, count - tile_index * kTileWidth);
  const std::string path = HashTilePath({tile_level, tile_index, width});
  auto it = tiles_.find(path);
  if (it != tiles_.end()) return &it->second;
  absl::StatusOr<std::string> data = read_(path);
  if (!data.ok()) return data.status();
  if (data->size() != width * kHashSize) {
    return absl::DataLossError(absl::StrCat(path, " holds ", data->size(), " bytes, not ",
                                            width * kHashSize));
  }
  return &tiles_.emplace(path, *std::move(data)).first->second;
}

absl::StatusOr<std::vector<std::string>> TileHashSource::Hashes(
    absl::Span<const NodeId> ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    const int tile_level = id.level / kTileHeight;
    const int inner = id.level % kTileHeight;
    const uint64_t base_count = tree_size_ >> (tile_level * kTileHeight);
    const uint64_t first = id.index << inner;
    const uint64_t span = uint64_t{1} << inner;
    if (id.level >= 64 || first + span > base_count) {
      return absl::OutOfRangeError(absl::StrCat("subtree (", id.level, ", ", id.index,
                                                ") is not complete in the tree of ", tree_size_));
    }
    absl::StatusOr<const std::string*> tile = Tile(tile_level, first / kTileWidth);
    if (!tile.ok()) return tile.status();
    std::vector<std::string> leaves;
    leaves.reserve(span);
    for (uint64_t k = 0; k < span; ++k) {
      leaves.push_back((*tile)->substr((first % kTileWidth + k) * kHashSize, kHashSize));
    }
    out.push_back(PerfectTreeHash(leaves));
  }
  return out;
}

}  // namespace regulation::disclosure::site
