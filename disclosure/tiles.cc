#include "disclosure/tiles.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "disclosure/checkpoint.h"
#include "disclosure/merkle.h"

namespace regulation::disclosure {
namespace {

constexpr size_t kMaxBundledEntry = 65535;

std::string PartialSuffix(const Tile& tile) {
  return tile.width == kTileWidth ? "" : absl::StrCat(".p/", tile.width);
}

// Writes the files of one export under `dir`, creating parent directories once each.
class ExportWriter {
 public:
  ExportWriter(const std::string& dir, bool sync) : dir_(dir), sync_(sync) {}

  absl::Status Write(const std::string& relative, absl::string_view data, bool sync) {
    const std::string path = absl::StrCat(dir_, "/", relative);
    const std::string parent = path.substr(0, path.rfind('/'));
    if (made_dirs_.insert(parent).second) REG_RETURN_IF_ERROR(MakeDirectories(parent));
    AtomicWriteOptions options;
    options.sync = sync && sync_;
    REG_RETURN_IF_ERROR(WriteFileAtomically(path, data, options));
    written_.push_back(relative);
    return absl::OkStatus();
  }

  std::vector<std::string> Release() { return std::move(written_); }

 private:
  const std::string dir_;
  const bool sync_;
  absl::flat_hash_set<std::string> made_dirs_;
  std::vector<std::string> written_;
};

// The checkpoint already in `dir`, if any, must describe a prefix of the tree about to
// be published, and the export must start within what it published.
absl::Status CheckPublishedCheckpoint(const LogReader& log, const SignedCheckpoint& checkpoint,
                                      uint64_t from_size, const std::string& dir) {
  absl::StatusOr<std::string> published = ReadWholeFile(dir + "/checkpoint");
  if (absl::IsNotFound(published.status())) return absl::OkStatus();
  if (!published.ok()) return published.status();
  absl::StatusOr<Note> note = ParseNote(*published);
  absl::StatusOr<CheckpointText> text = note.ok() ? ParseCheckpointText(note->text) : note.status();
  if (!text.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(dir, "/checkpoint is not a checkpoint (",
                                                      text.status().message(),
                                                      "); refusing to export"));
  }
  if (text->origin != checkpoint.origin) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " publishes the log \"", text->origin,
                                                      "\", not \"", checkpoint.origin, "\""));
  }
  if (text->size > checkpoint.size) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " already publishes ", text->size,
                                                      " entries but the log has ", checkpoint.size,
                                                      ": refusing to publish a rolled-back log"));
  }
  REG_ASSIGN_OR_RETURN(std::vector<std::string> proof,
                       log.ConsistencyProof(text->size, checkpoint.size));
  if (!VerifyConsistency(text->size, checkpoint.size, proof, text->root_hash, checkpoint.root_hash)
           .ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the checkpoint published in ", dir, " (", text->size,
                     " entries) is not a prefix of the log: refusing to publish a fork"));
  }
  if (from_size > text->size) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " publishes ", text->size,
                                                      " entries; an export from ", from_size,
                                                      " would leave tiles missing"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string TileIndexPath(uint64_t index) {
  std::vector<uint64_t> groups;
  do {
    groups.push_back(index % 1000);
    index /= 1000;
  } while (index > 0);
  std::string path;
  for (size_t i = groups.size(); i-- > 0;) {
    absl::StrAppendFormat(&path, "%s%03d%s", i > 0 ? "x" : "", groups[i], i > 0 ? "/" : "");
  }
  return path;
}

std::string HashTilePath(const Tile& tile) {
  return absl::StrCat("tile/", tile.level, "/", TileIndexPath(tile.index), PartialSuffix(tile));
}

std::string EntryBundlePath(const Tile& tile) {
  return absl::StrCat("tile/entries/", TileIndexPath(tile.index), PartialSuffix(tile));
}

std::vector<Tile> NewTiles(int height, uint64_t from_size, uint64_t to_size) {
  std::vector<Tile> tiles;
  if (to_size <= from_size || height <= 0 || height >= 64) return tiles;
  const uint64_t width = uint64_t{1} << height;
  for (int level = 0; level * height < 64; ++level) {
    const int shift = level * height;
    const uint64_t old_count = from_size >> shift;
    const uint64_t new_count = to_size >> shift;
    // Equal counts here mean equal counts at every level above.
    if (new_count == old_count) break;
    for (uint64_t n = old_count / width; n <= (new_count - 1) / width; ++n) {
      tiles.push_back({level, n, std::min(width, new_count - n * width)});
    }
  }
  return tiles;
}

std::string EncodeEntryBundle(absl::Span<const std::string> entries) {
  size_t total = 0;
  for (const std::string& e : entries) total += 2 + e.size();
  std::string bundle;
  bundle.reserve(total);
  for (const std::string& e : entries) {
    bundle.push_back(static_cast<char>(e.size() >> 8));
    bundle.push_back(static_cast<char>(e.size()));
    bundle += e;
  }
  return bundle;
}

absl::StatusOr<std::vector<std::string>> DecodeEntryBundle(absl::string_view bundle) {
  std::vector<std::string> entries;
  while (!bundle.empty()) {
    if (bundle.size() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("entry bundle truncated in the length of entry ", entries.size()));
    }
    const size_t len =
        (size_t{static_cast<uint8_t>(bundle[0])} << 8) | size_t{static_cast<uint8_t>(bundle[1])};
    bundle.remove_prefix(2);
    if (bundle.size() < len) {
      return absl::InvalidArgumentError(
          absl::StrCat("entry bundle truncated in entry ", entries.size(), " (", len, " bytes)"));
    }
    entries.emplace_back(bundle.substr(0, len));
    bundle.remove_prefix(len);
  }
  return entries;
}

absl::Status ForEachTileFile(const LogReader& log, uint64_t from_size, uint64_t to_size,
                             const TileFileVisitor& visit) {
  for (const Tile& tile : NewTiles(kTileHeight, from_size, to_size)) {
    const uint64_t first = tile.index * kTileWidth;
    if (tile.level == 0) {
      std::vector<std::string> entries;
      entries.reserve(tile.width);
      for (uint64_t i = 0; i < tile.width; ++i) {
        REG_ASSIGN_OR_RETURN(std::string entry, log.Entry(first + i));
        if (entry.size() > kMaxBundledEntry) {
          return absl::InternalError(absl::StrCat("log entry ", first + i, " is ", entry.size(),
                                                  " bytes, too long for an entry bundle"));
        }
        entries.push_back(std::move(entry));
      }
      REG_RETURN_IF_ERROR(visit(EntryBundlePath(tile), EncodeEntryBundle(entries)));
    }
    std::string hashes;
    hashes.reserve(tile.width * kHashSize);
    for (uint64_t i = 0; i < tile.width; ++i) {
      REG_ASSIGN_OR_RETURN(std::string hash, log.NodeHash(tile.level * kTileHeight, first + i));
      hashes += hash;
    }
    REG_RETURN_IF_ERROR(visit(HashTilePath(tile), std::move(hashes)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ExportTiles(const LogReader& log, uint64_t from_size,
                                                     const std::string& dir,
                                                     const ExportOptions& options) {
  // Everything below is read for this checkpoint's size: immutable however the log
  // grows meanwhile.
  const SignedCheckpoint checkpoint = log.Checkpoint();
  if (from_size > checkpoint.size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "export from size ", from_size, " but the log has ", checkpoint.size, " entries"));
  }
  REG_RETURN_IF_ERROR(MakeDirectories(dir));
  REG_RETURN_IF_ERROR(CheckPublishedCheckpoint(log, checkpoint, from_size, dir));
  ExportWriter writer(dir, options.sync);

  // Tiles and bundles: not synced one by one (one syncfs below covers them).
  REG_RETURN_IF_ERROR(ForEachTileFile(
      log, from_size, checkpoint.size, [&](const std::string& path, std::string content) {
        return writer.Write(path, content, /*sync=*/false);
      }));
  if (options.sync) REG_RETURN_IF_ERROR(SyncFileSystem(dir));

  const std::string verifier_key = log.VerifierKey() + "\n";
  absl::StatusOr<std::string> published_key = ReadWholeFile(dir + "/verifier.key");
  if (!published_key.ok() || *published_key != verifier_key) {
    REG_RETURN_IF_ERROR(writer.Write("verifier.key", verifier_key, /*sync=*/true));
  }
  // Last: from now on readers may fetch what it names.
  REG_RETURN_IF_ERROR(writer.Write("checkpoint", checkpoint.note, /*sync=*/true));
  return writer.Release();
}

}  // namespace regulation::disclosure
