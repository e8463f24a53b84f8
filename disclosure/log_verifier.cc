#include "disclosure/log_verifier.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "disclosure/checkpoint.h"
#include "disclosure/merkle.h"
#include "disclosure/tiles.h"

namespace regulation::disclosure {
namespace {

std::string B64(absl::string_view bytes) { return absl::Base64Escape(bytes); }

// A published file, with messages that name it relative to the directory.
absl::StatusOr<std::string> ReadPublished(const std::string& dir, const std::string& relative) {
  absl::StatusOr<std::string> data = ReadWholeFile(absl::StrCat(dir, "/", relative));
  if (absl::IsNotFound(data.status())) {
    return absl::NotFoundError(absl::StrCat(relative, " is missing from ", dir));
  }
  return data;
}

absl::Status WithPrefix(absl::string_view prefix, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

bool HasWhitespace(absl::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); });
}

}  // namespace

absl::StatusOr<VerifiedLog> VerifyLogDirectory(const std::string& dir, const NoteVerifier& verifier,
                                               const TrustedCheckpoint* previous,
                                               const EntryVisitor& visit) {
  REG_ASSIGN_OR_RETURN(std::string note, ReadPublished(dir, "checkpoint"));
  absl::StatusOr<SignedCheckpoint> checkpoint = VerifyCheckpoint(note, verifier);
  if (!checkpoint.ok()) {
    return WithPrefix(absl::IsUnauthenticated(checkpoint.status())
                          ? "forged or altered checkpoint: "
                          : "checkpoint: ",
                      checkpoint.status());
  }
  const uint64_t size = checkpoint->size;

  const TrustedCheckpoint* prev =
      previous != nullptr && previous->origin == checkpoint->origin ? previous : nullptr;
  if (prev != nullptr) {
    if (prev->verifier_key != verifier.VerifierKey()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the checkpoint remembered for ", prev->origin, " was signed by ", prev->verifier_key,
          ", not by ", verifier.VerifierKey(),
          "; if the log's key was rotated on purpose, remove its line from the state file"));
    }
    if (prev->size > size) {
      return absl::FailedPreconditionError(absl::StrCat(
          "rolled back: the checkpoint has ", size, " entries but a checkpoint with ", prev->size,
          " entries (root ", B64(prev->root_hash), ") was verified before"));
    }
  }

  // Entries, one bundle at a time: leaf hashes against the level-0 tiles, folded into
  // the root; the hashes of levels 8, 16, ... kept for the upper tiles.
  VerifiedLog result;
  CompactRange range;
  std::vector<std::vector<std::string>> upper(64 / kTileHeight);
  std::optional<std::string> root_at_prev;
  if (prev != nullptr && prev->size == 0) root_at_prev = EmptyRootHash();
  for (uint64_t n = 0; n * kTileWidth < size; ++n) {
    const Tile tile{0, n, std::min(kTileWidth, size - n * kTileWidth)};
    const std::string bundle_path = EntryBundlePath(tile);
    const std::string tile_path = HashTilePath(tile);
    REG_ASSIGN_OR_RETURN(std::string bundle, ReadPublished(dir, bundle_path));
    absl::StatusOr<std::vector<std::string>> entries = DecodeEntryBundle(bundle);
    if (!entries.ok()) return WithPrefix(absl::StrCat(bundle_path, ": "), entries.status());
    if (entries->size() != tile.width) {
      return absl::DataLossError(absl::StrCat(
          bundle_path, " holds ", entries->size(), " entries but the checkpoint (size ", size,
          ") needs ", tile.width, " there: entries were dropped or added"));
    }
    REG_ASSIGN_OR_RETURN(std::string leaf_tile, ReadPublished(dir, tile_path));
    if (leaf_tile.size() != tile.width * kHashSize) {
      return absl::DataLossError(absl::StrCat(tile_path, " is ", leaf_tile.size(), " bytes, not ",
                                              tile.width * kHashSize));
    }
    ++result.hash_tiles;
    for (uint64_t i = 0; i < tile.width; ++i) {
      const uint64_t index = tile.index * kTileWidth + i;
      std::string leaf = LeafHash((*entries)[i]);
      if (absl::string_view(leaf_tile).substr(i * kHashSize, kHashSize) != leaf) {
        return absl::DataLossError(absl::StrCat("entry ", index, " (in ", bundle_path,
                                                ") does not match its leaf hash in ", tile_path,
                                                ": an entry was altered, moved or replaced"));
      }
      if (visit) REG_RETURN_IF_ERROR(visit(index, (*entries)[i]));
      range.Append(std::move(leaf), [&upper](NodeId id, const std::string& hash) {
        if (id.level > 0 && id.level % kTileHeight == 0) {
          upper[id.level / kTileHeight].push_back(hash);
        }
      });
      if (prev != nullptr && range.size() == prev->size) root_at_prev = range.Root();
    }
    result.entries += tile.width;
  }

  const std::string root = range.Root();
  if (root != checkpoint->root_hash) {
    return absl::DataLossError(absl::StrCat("the ", size, " entries hash to root ", B64(root),
                                            " but the checkpoint says ", B64(checkpoint->root_hash),
                                            ": entries and checkpoint disagree"));
  }

  for (const Tile& tile : NewTiles(kTileHeight, 0, size)) {
    if (tile.level == 0) continue;  // checked entry by entry above
    const std::string path = HashTilePath(tile);
    REG_ASSIGN_OR_RETURN(std::string data, ReadPublished(dir, path));
    std::string want;
    const std::vector<std::string>& level = upper[tile.level];
    for (uint64_t i = 0; i < tile.width; ++i) want += level[tile.index * kTileWidth + i];
    if (data != want) {
      return absl::DataLossError(
          absl::StrCat(path, " does not match the hashes computed from the entries"));
    }
    ++result.hash_tiles;
  }

  if (prev != nullptr && (!root_at_prev.has_value() || *root_at_prev != prev->root_hash)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "not consistent with the checkpoint verified before (", prev->size, " entries, root ",
        B64(prev->root_hash), "): the first ", prev->size, " entries now hash to ",
        root_at_prev.has_value() ? B64(*root_at_prev) : "nothing",
        "; the log's history was rewritten"));
  }
  result.checkpoint = *std::move(checkpoint);
  return result;
}

absl::StatusOr<std::vector<TrustedCheckpoint>> LoadTrustedState(const std::string& path) {
  absl::StatusOr<std::string> data = ReadWholeFile(path);
  if (absl::IsNotFound(data.status())) return std::vector<TrustedCheckpoint>();
  if (!data.ok()) return data.status();
  std::vector<TrustedCheckpoint> state;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*data, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\v\f\r"), absl::SkipEmpty());
    TrustedCheckpoint entry;
    if (fields.size() != 4 || !absl::SimpleAtoi(fields[1], &entry.size) ||
        !absl::Base64Unescape(fields[2], &entry.root_hash) || entry.root_hash.size() != kHashSize) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_number, ": want <origin> <size> <base64 root> <verifier key>"));
    }
    entry.origin = std::string(fields[0]);
    entry.verifier_key = std::string(fields[3]);
    state.push_back(std::move(entry));
  }
  return state;
}

absl::Status SaveTrustedState(const std::string& path,
                              const std::vector<TrustedCheckpoint>& state) {
  std::string data =
      "# regctl verify-log: the last verified checkpoint of each log\n"
      "# <origin> <size> <base64 root> <verifier key>\n";
  for (const TrustedCheckpoint& entry : state) {
    if (entry.origin.empty() || HasWhitespace(entry.origin) || HasWhitespace(entry.verifier_key)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot remember log \"", absl::CHexEscape(entry.origin),
                       "\": origins and keys with whitespace do not fit the state file"));
    }
    absl::StrAppend(&data, entry.origin, " ", entry.size, " ", B64(entry.root_hash), " ",
                    entry.verifier_key, "\n");
  }
  return WriteFileAtomically(path, data);
}

const TrustedCheckpoint* FindTrusted(const std::vector<TrustedCheckpoint>& state,
                                     const std::string& origin) {
  for (const TrustedCheckpoint& entry : state) {
    if (entry.origin == origin) return &entry;
  }
  return nullptr;
}

void UpdateTrusted(std::vector<TrustedCheckpoint>* state, TrustedCheckpoint checkpoint) {
  for (TrustedCheckpoint& entry : *state) {
    if (entry.origin == checkpoint.origin) {
      entry = std::move(checkpoint);
      return;
    }
  }
  state->push_back(std::move(checkpoint));
}

}  // namespace regulation::disclosure
