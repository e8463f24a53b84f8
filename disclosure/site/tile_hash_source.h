#ifndef DISCLOSURE_SITE_TILE_HASH_SOURCE_H_
#define DISCLOSURE_SITE_TILE_HASH_SOURCE_H_

// Complete-subtree hashes read from C2SP tlog-tiles files, the way a tile-log client
// reads them (and assets/tlog.js does in the browser): the hash of subtree (level l,
// index j) of the tree of N leaves lies in hash tile (l / 8, (j << (l % 8)) / 256), of
// the width the tree of N leaves gives that tile; levels inside a tile are recomputed
// from its 256 hashes.
//
// Thread safety: not thread-safe (it caches the tiles it read).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "disclosure/merkle.h"

namespace regulation::disclosure::site {

class TileHashSource : public HashSource {
 public:
  // Reads a file by its path in the tiles layout ("tile/0/000.p/5"); NOT_FOUND when
  // missing.
  using ReadFile = std::function<absl::StatusOr<std::string>(const std::string& path)>;

  TileHashSource(uint64_t tree_size, ReadFile read);

  // OUT_OF_RANGE for a subtree that is not complete in the tree; DATA_LOSS for a tile
  // of the wrong size; the reader's errors.
  absl::StatusOr<std::vector<std::string>> Hashes(absl::Span<const NodeId> ids) const override;

 private:
  absl::StatusOr<const std::string*> Tile(int tile_level, uint64_t tile_index) const;

  const uint64_t tree_size_;
  const ReadFile read_;
  mutable absl::flat_hash_map<std::string, std::string> tiles_;
};

// MTH of a perfect tree over `hashes` (a power of two of them, at least one).
std::string PerfectTreeHash(absl::Span<const std::string> hashes);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_TILE_HASH_SOURCE_H_
