#ifndef DISCLOSURE_TILES_H_
#define DISCLOSURE_TILES_H_

// The log as static files in the C2SP tlog-tiles layout (c2sp.org/tlog-tiles), readable
// by standard tile-log clients:
//
//   checkpoint                      the latest signed checkpoint (note)
//   tile/<L>/<N>[.p/<W>]            hash tiles: 256 consecutive hashes (8,192 bytes) of
//                                   tree level 8*L, starting at hash 256*N; a partial
//                                   tile ".p/W" holds the first W (1..255)
//   tile/entries/<N>[.p/<W>]        entry bundles: entries 256*N.., each as a big-endian
//                                   uint16 length followed by the entry bytes
//   verifier.key                    the log's verifier key (Go note format), for
//                                   `regctl verify-log`; not part of the C2SP layout
//
// <N> is written in 3-digit groups, all but the last prefixed with "x": 1234067 is
// "x001/x234/067". Full tiles never change; a partial tile of width W describes the tree
// of a checkpoint and is never rewritten either (a wider one gets another path).
//
// Thread safety: the functions are thread-safe; ExportTiles reads `log` concurrently
// with its writers (see LogReader). Two exports into one directory at once are not
// supported (one publisher per directory).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "disclosure/log_reader.h"

namespace regulation::disclosure {

inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = uint64_t{1} << kTileHeight;

// A tile of hashes at tree level level * height, or (for the entry bundles) the same
// coordinates at level 0.
struct Tile {
  int level = 0;
  uint64_t index = 0;
  // Number of hashes (or entries): the full width, or 1..width-1 for a partial tile.
  uint64_t width = 0;

  friend bool operator==(const Tile& a, const Tile& b) {
    return a.level == b.level && a.index == b.index && a.width == b.width;
  }
};

// "x001/x234/067" for 1234067; "000" for 0.
std::string TileIndexPath(uint64_t index);
// "tile/<L>/<N>" or "tile/<L>/<N>.p/<W>" (kTileWidth-wide tiles).
std::string HashTilePath(const Tile& tile);
// "tile/entries/<N>" or "tile/entries/<N>.p/<W>" for the bundle of level-0 tile `tile`.
std::string EntryBundlePath(const Tile& tile);

// The tiles (of 2^height hashes) whose contents differ between the trees of `from_size`
// and `to_size` leaves, level by level from 0, in index order: exactly what an
// incremental export must write. NewTiles(h, 0, n) is every tile of the tree of size
// n. Empty when to_size <= from_size. Same as golang.org/x/mod/sumdb/tlog.NewTiles.
std::vector<Tile> NewTiles(int height, uint64_t from_size, uint64_t to_size);

// Entry bundle encoding: each entry as a big-endian uint16 length and its bytes.
// REQUIRES: every entry is at most 65535 bytes.
std::string EncodeEntryBundle(absl::Span<const std::string> entries);
// INVALID_ARGUMENT when `bundle` is truncated.
absl::StatusOr<std::vector<std::string>> DecodeEntryBundle(absl::string_view bundle);

// Receives one file of an export: its path relative to the export directory and its
// contents. A non-OK status stops the export.
using TileFileVisitor = std::function<absl::Status(const std::string& path, std::string content)>;

// The entry bundles and hash tiles NewTiles(8, from_size, to_size), in the order
// ExportTiles writes them, read from `log` (whose checkpoint must cover to_size): what a
// mirror that is not on the log's machine (`regctl publish`) receives. The caller adds
// verifier.key and, last, the checkpoint of to_size.
absl::Status ForEachTileFile(const LogReader& log, uint64_t from_size, uint64_t to_size,
                             const TileFileVisitor& visit);

struct ExportOptions {
  // Make the export durable before publishing its checkpoint: one syncfs() of the
  // directory's filesystem after the tiles, then the checkpoint written with fsync.
  // Default true.
  bool sync = true;
};

// Exports `log` as of its current checkpoint into `dir` (created if missing), writing
// only what changed since the tree of `from_size` leaves: the entry bundles and hash
// tiles NewTiles(8, from_size, size) (O(new entries / 256 + log n) files), then
// verifier.key when it is missing or different, then `checkpoint`, last, so that a
// reader of the directory never finds a checkpoint whose tiles are missing. Each file
// is written to a temporary name and renamed into place.
//
// REQUIRES: `dir` holds the export of the tree of `from_size` leaves (or from_size is
// 0). Partial tiles of earlier checkpoints are left in place (clients holding an older
// checkpoint may still fetch them).
//
// Never publishes a rollback or a fork: when `dir` already has a checkpoint, it must be
// for the same origin, no larger than the log, and consistent with it (checked with a
// consistency proof from the log), and from_size must not exceed it.
//
// Returns the paths written, relative to `dir`, in the order written (the checkpoint
// last). Errors: INVALID_ARGUMENT when from_size exceeds the log's size;
// FAILED_PRECONDITION when the published checkpoint forbids the export (above); the
// log's read errors; PERMISSION_DENIED / INTERNAL for file errors (then no new checkpoint
// was published; rerunning with the same from_size repairs the directory).
absl::StatusOr<std::vector<std::string>> ExportTiles(const LogReader& log, uint64_t from_size,
                                                     const std::string& dir,
                                                     const ExportOptions& options = {});

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_TILES_H_
