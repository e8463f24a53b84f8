#include "disclosure/transparency_log.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "disclosure/checkpoint.h"

namespace regulation::disclosure {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kTreeKey = "tree";
constexpr absl::string_view kCheckpointKey = "checkpoint";
constexpr absl::string_view kFormatKey = "format";
constexpr size_t kTreeStateSize = 8 + kHashSize;

// A stored tile spans kTileRows tree levels; tile levels cover the 64 tree levels.
constexpr int kTileRows = 8;
constexpr int kTileLevels = 64 / kTileRows;
constexpr uint64_t kTileSpan = uint64_t{1} << kTileRows;  // hashes in a full row 0
// Full tiles kept in memory by the read cache (16 KiB each).
constexpr size_t kTileCacheSlots = 512;

void AppendBigEndian64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t ReadBigEndian64(absl::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

// The same bytes as storage::KeyBuilder().AppendUint64(index), without its allocations
// in the append loop.
std::string EntryKey(uint64_t index) {
  std::string key;
  key.reserve(8);
  AppendBigEndian64(index, &key);
  return key;
}

std::string TileKey(int tile_level, uint64_t tile_index) {
  std::string key;
  key.reserve(9);
  key.push_back(static_cast<char>(tile_level));
  AppendBigEndian64(tile_index, &key);
  return key;
}

std::string EncodeTreeState(uint64_t size, absl::string_view root) {
  std::string value;
  value.reserve(kTreeStateSize);
  AppendBigEndian64(size, &value);
  value.append(root.data(), root.size());
  return value;
}

// Hashes in a stored tile of width w: w + w/2 + ... + w/128.
size_t TileHashCount(uint64_t width) {
  size_t count = 0;
  for (int r = 0; r < kTileRows; ++r) count += width >> r;
  return count;
}

// The width of a stored tile of `count` hashes, or 0 when no width gives that count
// (TileHashCount is strictly increasing).
uint64_t TileWidthOf(size_t count) {
  static const auto* const widths = [] {
    auto* table = new std::vector<uint16_t>(TileHashCount(kTileSpan) + 1, 0);
    for (uint64_t w = 1; w <= kTileSpan; ++w) (*table)[TileHashCount(w)] = w;
    return table;
  }();
  return count < widths->size() ? (*widths)[count] : 0;
}

// Rows 0..7 of a tile, concatenated. REQUIRES: row r holds width >> r hashes.
std::string EncodeTile(const std::vector<std::vector<std::string>>& rows) {
  std::string blob;
  blob.reserve(TileHashCount(rows[0].size()) * kHashSize);
  for (const std::vector<std::string>& row : rows) {
    for (const std::string& hash : row) blob += hash;
  }
  return blob;
}

}  // namespace

// A direct-mapped cache of full tiles, which never change. Thread-safe.
class TransparencyLog::TileCache {
 public:
  explicit TileCache(size_t slots) : slots_(slots) {}

  std::shared_ptr<const std::string> Find(const std::string& key) {
    const Slot& slot = slots_[Index(key)];
    absl::MutexLock lock(&mu_);
    return slot.key == key ? slot.blob : nullptr;
  }

  void Insert(const std::string& key, std::shared_ptr<const std::string> blob) {
    Slot& slot = slots_[Index(key)];
    absl::MutexLock lock(&mu_);
    slot.key = key;
    slot.blob = std::move(blob);
  }

 private:
  struct Slot {
    std::string key;
    std::shared_ptr<const std::string> blob;
  };

  size_t Index(const std::string& key) const {
    // Tile keys: level byte + big-endian index; mix the level into the low bits.
    return (ReadBigEndian64(absl::string_view(key).substr(1)) * kTileLevels +
            static_cast<uint8_t>(key[0])) %
           slots_.size();
  }

  absl::Mutex mu_;
  std::vector<Slot> slots_;  // guarded by mu_ (the vector itself never changes size)
};

// Complete-subtree hashes from the stored tiles: one MultiGet of the distinct tiles
// that are not cached.
class TransparencyLog::StoreHashSource : public HashSource {
 public:
  StoreHashSource(storage::KvStore* store, TileCache* cache) : store_(store), cache_(cache) {}

  absl::StatusOr<std::vector<std::string>> Hashes(absl::Span<const NodeId> ids) const override {
    // The distinct tiles, and where each id is in them.
    std::vector<std::string> keys;
    std::vector<size_t> tile_of(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      const NodeId& id = ids[i];
      if (id.level < 0 || id.level >= 64) {
        return absl::OutOfRangeError(absl::StrCat("no tree level ", id.level));
      }
      const int row = id.level % kTileRows;
      std::string key = TileKey(id.level / kTileRows, id.index >> (kTileRows - row));
      size_t k = 0;
      while (k < keys.size() && keys[k] != key) ++k;  // a handful of tiles per call
      if (k == keys.size()) keys.push_back(std::move(key));
      tile_of[i] = k;
    }
    std::vector<std::shared_ptr<const std::string>> blobs(keys.size());
    std::vector<std::string> missing;
    std::vector<size_t> missing_at;
    for (size_t k = 0; k < keys.size(); ++k) {
      blobs[k] = cache_->Find(keys[k]);
      if (blobs[k] == nullptr) {
        missing.push_back(keys[k]);
        missing_at.push_back(k);
      }
    }
    if (!missing.empty()) {
      std::vector<absl::StatusOr<std::string>> values =
          store_->MultiGet(ColumnFamily::kLogHashes, missing);
      for (size_t m = 0; m < missing.size(); ++m) {
        if (!values[m].ok()) {
          if (!absl::IsNotFound(values[m].status())) return values[m].status();
          continue;  // reported below, for the node that needed it
        }
        auto blob = std::make_shared<const std::string>(*std::move(values[m]));
        if (blob->size() == TileHashCount(kTileSpan) * kHashSize) {
          cache_->Insert(missing[m], blob);
        }
        blobs[missing_at[m]] = std::move(blob);
      }
    }

    std::vector<std::string> out;
    out.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      const NodeId& id = ids[i];
      const std::string* blob = blobs[tile_of[i]].get();
      const uint64_t width = blob == nullptr ? 0 : TileWidthOf(blob->size() / kHashSize);
      const int row = id.level % kTileRows;
      const uint64_t pos = id.index & ((kTileSpan >> row) - 1);
      if (width == 0 || blob->size() % kHashSize != 0 || pos >= (width >> row)) {
        return absl::DataLossError(absl::StrCat("log hash (", id.level, ", ", id.index,
                                                ") is missing from the stored tiles"));
      }
      uint64_t offset = pos;
      for (int r = 0; r < row; ++r) offset += width >> r;
      out.push_back(blob->substr(offset * kHashSize, kHashSize));
    }
    return out;
  }

 private:
  storage::KvStore* const store_;
  TileCache* const cache_;
};

TransparencyLog::TransparencyLog(storage::KvStore* store, SigningKey key, std::string origin,
                                 bool sync)
    : store_(store),
      key_(std::move(key)),
      origin_(std::move(origin)),
      sync_(sync),
      cache_(std::make_unique<TileCache>(kTileCacheSlots)),
      hashes_(std::make_unique<StoreHashSource>(store, cache_.get())),
      edge_(kTileLevels, std::vector<std::vector<std::string>>(kTileRows)) {}

TransparencyLog::~TransparencyLog() = default;

absl::StatusOr<std::unique_ptr<TransparencyLog>> TransparencyLog::Open(
    storage::KvStore* store, SigningKey key, TransparencyLogOptions options) {
  std::string origin = options.origin.empty() ? key.name() : std::move(options.origin);
  if (origin.empty() || !IsValidUtf8(origin)) {
    return absl::InvalidArgumentError("log origin: must be non-empty UTF-8");
  }
  for (char c : origin) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError("log origin: must not contain control characters");
    }
  }
  if (options.entry_format.empty()) {
    return absl::InvalidArgumentError("log entry format: must not be empty");
  }
  std::unique_ptr<TransparencyLog> log(
      new TransparencyLog(store, std::move(key), std::move(origin), options.sync));
  REG_RETURN_IF_ERROR(log->Recover(options.entry_format));
  return log;
}

absl::Status TransparencyLog::Recover(const std::string& entry_format) {
  absl::MutexLock lock(&append_mu_);

  // The stored tree.
  uint64_t size = 0;
  std::string root = EmptyRootHash();
  absl::StatusOr<std::string> tree = store_->Get(ColumnFamily::kLogState, kTreeKey);
  if (tree.ok()) {
    if (tree->size() != kTreeStateSize) {
      return absl::DataLossError(
          absl::StrCat("log tree state is ", tree->size(), " bytes, not ", kTreeStateSize));
    }
    size = ReadBigEndian64(*tree);
    root = tree->substr(8);
  } else if (!absl::IsNotFound(tree.status())) {
    return tree.status();
  }
  // What the entries are: recorded by the first Open, checked by every later one.
  absl::StatusOr<std::string> format = store_->Get(ColumnFamily::kLogState, kFormatKey);
  if (format.ok() && *format != entry_format) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored log's entries are in format \"", *format, "\", not \"", entry_format,
        "\": this program cannot read that log; re-create it (docs/transparency-log.md)"));
  }
  if (absl::IsNotFound(format.status())) {
    if (size > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the stored disclosure log (", size,
          " entries) is from before leaves committed to salted bodies: its entries are "
          "PublicEntry JSON (format 1), not \"", entry_format,
          "\". Re-create the log: start regulatord on a new data directory (tools/up makes "
          "a fresh one) and publish the site into a new directory "
          "(docs/transparency-log.md, \"Leaves\")"));
    }
    storage::WriteBatch batch;
    batch.Put(ColumnFamily::kLogState, kFormatKey, entry_format);
    storage::WriteOptions durable;
    durable.sync = sync_;
    REG_RETURN_IF_ERROR(store_->Write(batch, durable));
  } else if (!format.ok()) {
    return format.status();
  }
  // The partial tile of each tile level, row by row.
  for (int level = 0; level < kTileLevels; ++level) {
    const uint64_t count = size >> (level * kTileRows);
    const uint64_t width = count % kTileSpan;
    if (width == 0) continue;
    absl::StatusOr<std::string> blob =
        store_->Get(ColumnFamily::kLogHashes, TileKey(level, count / kTileSpan));
    if (absl::IsNotFound(blob.status()) ||
        (blob.ok() && blob->size() != TileHashCount(width) * kHashSize)) {
      return absl::DataLossError(absl::StrCat("the log's partial tile at level ", level,
                                              " is missing or of the wrong size"));
    }
    if (!blob.ok()) return blob.status();
    size_t offset = 0;
    for (int r = 0; r < kTileRows; ++r) {
      for (uint64_t i = 0; i < (width >> r); ++i, offset += kHashSize) {
        edge_[level][r].push_back(blob->substr(offset, kHashSize));
      }
    }
  }
  REG_ASSIGN_OR_RETURN(std::vector<std::string> edge, hashes_->Hashes(RangeNodes(0, size)));
  REG_ASSIGN_OR_RETURN(CompactRange range, CompactRange::FromHashes(size, std::move(edge)));
  if (range.Root() != root) {
    return absl::DataLossError(
        absl::StrCat("the stored log tree of size ", size, " does not hash to its stored root"));
  }

  // The latest signed checkpoint, which must describe a prefix of that tree.
  std::optional<SignedCheckpoint> current;
  absl::StatusOr<std::string> stored = store_->Get(ColumnFamily::kLogState, kCheckpointKey);
  if (stored.ok()) {
    absl::StatusOr<Note> note = ParseNote(*stored);
    absl::StatusOr<CheckpointText> text =
        note.ok() ? ParseCheckpointText(note->text) : note.status();
    if (!text.ok()) {
      return absl::DataLossError(
          absl::StrCat("the stored log checkpoint is unreadable: ", text.status().message()));
    }
    if (text->origin != origin_) {
      return absl::FailedPreconditionError(
          absl::StrCat("the stored log's checkpoints are for origin \"", text->origin,
                       "\", not the configured \"", origin_, "\""));
    }
    if (text->size > size) {
      return absl::DataLossError(
          absl::StrCat("the stored log checkpoint is for ", text->size,
                       " entries but the stored tree has ", size,
                       ": the database was rolled back; refusing to sign checkpoints that could "
                       "contradict one already published"));
    }
    REG_ASSIGN_OR_RETURN(std::string root_then, disclosure::RootHash(text->size, *hashes_));
    if (root_then != text->root_hash) {
      return absl::DataLossError(absl::StrCat("the stored log checkpoint of size ", text->size,
                                              " disagrees with the stored tree at that size"));
    }
    if (text->size == size && OpenNote(*stored, key_.verifier()).ok()) {
      current = SignedCheckpoint{origin_, size, root, *std::move(stored)};
    } else if (text->size == size) {
      LogInfo(absl::StrCat("transparency log ", origin_, ": re-signing the checkpoint of size ",
                           size, " with key ", key_.VerifierKey()));
    } else {
      LogInfo(absl::StrFormat(
          "transparency log %s: the tree (%d entries) is ahead of the last checkpoint (%d): "
          "signing a checkpoint for it",
          origin_, size, text->size));
    }
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }

  range_ = std::move(range);
  if (!current.has_value()) {
    REG_ASSIGN_OR_RETURN(current, SignAndStore(size, root));
  }
  absl::MutexLock state_lock(&mu_);
  checkpoint_ = *std::move(current);
  return absl::OkStatus();
}

absl::StatusOr<SignedCheckpoint> TransparencyLog::SignAndStore(uint64_t size,
                                                               absl::string_view root) {
  REG_ASSIGN_OR_RETURN(SignedCheckpoint checkpoint, SignCheckpoint(origin_, size, root, key_));
  storage::WriteBatch batch;
  batch.Put(ColumnFamily::kLogState, kCheckpointKey, checkpoint.note);
  // Not synced: the tree it signs is, and a checkpoint lost in a machine crash is signed
  // again, byte for byte, on Open. The next synced write makes it durable anyway.
  REG_RETURN_IF_ERROR(store_->Write(batch, storage::WriteOptions{}));
  return checkpoint;
}

absl::StatusOr<std::vector<uint64_t>> TransparencyLog::Append(
    absl::Span<const std::string> entries) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].size() > kMaxEntrySize) {
      return absl::InvalidArgumentError(absl::StrCat("log entry ", i, " of the batch is ",
                                                     entries[i].size(), " bytes; at most ",
                                                     kMaxEntrySize, " fit an entry bundle"));
    }
  }
  absl::MutexLock lock(&append_mu_);
  if (!broken_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "an earlier append failed (", broken_.message(), "); reopen the log to continue"));
  }
  if (entries.empty()) return std::vector<uint64_t>();

  // Work on copies: range_ and edge_ change only once the batch is stored.
  CompactRange range = range_;
  std::vector<std::vector<std::vector<std::string>>> edge = edge_;
  std::vector<bool> dirty(kTileLevels, false);
  const uint64_t first = range.size();
  storage::WriteBatch batch;
  for (const std::string& entry : entries) {
    batch.PutOwned(ColumnFamily::kLogEntries, EntryKey(range.size()), entry);
    range.Append(LeafHash(entry), [&](NodeId id, const std::string& hash) {
      const int level = id.level / kTileRows;
      const int row = id.level % kTileRows;
      if (row == 0 && level > 0) {
        // Nodes come bottom up: this one is the root of the tile below, now full.
        std::vector<std::vector<std::string>>& full = edge[level - 1];
        batch.PutOwned(ColumnFamily::kLogHashes, TileKey(level - 1, id.index), EncodeTile(full));
        for (std::vector<std::string>& r : full) r.clear();
        dirty[level - 1] = false;
      }
      edge[level][row].push_back(hash);
      dirty[level] = true;
    });
  }
  // The partial tiles this batch changed.
  for (int level = 0; level < kTileLevels; ++level) {
    if (!dirty[level]) continue;
    const uint64_t tile = (range.size() >> (level * kTileRows)) / kTileSpan;
    batch.PutOwned(ColumnFamily::kLogHashes, TileKey(level, tile), EncodeTile(edge[level]));
  }
  const std::string root = range.Root();
  batch.PutOwned(ColumnFamily::kLogState, std::string(kTreeKey),
                 EncodeTreeState(range.size(), root));
  storage::WriteOptions write_options;
  write_options.sync = sync_;
  if (absl::Status written = store_->Write(batch, write_options); !written.ok()) {
    broken_ = written;
    return written;
  }
  range_ = std::move(range);
  edge_ = std::move(edge);

  absl::StatusOr<SignedCheckpoint> checkpoint = SignAndStore(range_.size(), root);
  if (!checkpoint.ok()) {
    // The entries are stored; Open signs them.
    broken_ = checkpoint.status();
    return checkpoint.status();
  }
  {
    absl::MutexLock state_lock(&mu_);
    checkpoint_ = *std::move(checkpoint);
  }
  std::vector<uint64_t> indices(entries.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = first + i;
  return indices;
}

SignedCheckpoint TransparencyLog::Checkpoint() const {
  absl::ReaderMutexLock lock(&mu_);
  return checkpoint_;
}

uint64_t TransparencyLog::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return checkpoint_.size;
}

std::string TransparencyLog::VerifierKey() const { return key_.VerifierKey(); }

absl::StatusOr<std::string> TransparencyLog::Entry(uint64_t index) const {
  const uint64_t tree_size = size();
  if (index >= tree_size) {
    return absl::OutOfRangeError(
        absl::StrCat("log entry ", index, " is past the end of the log (", tree_size, ")"));
  }
  absl::StatusOr<std::string> entry = store_->Get(ColumnFamily::kLogEntries, EntryKey(index));
  if (absl::IsNotFound(entry.status())) {
    return absl::DataLossError(absl::StrCat("log entry ", index, " is missing from the store"));
  }
  return entry;
}

absl::StatusOr<std::vector<std::string>> TransparencyLog::InclusionProof(uint64_t index,
                                                                         uint64_t tree_size) const {
  const uint64_t current = size();
  if (tree_size > current) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", tree_size, " is larger than the log (", current, ")"));
  }
  if (index >= tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of size ", tree_size));
  }
  return disclosure::InclusionProof(index, tree_size, *hashes_);
}

absl::StatusOr<std::vector<std::string>> TransparencyLog::ConsistencyProof(uint64_t first,
                                                                           uint64_t second) const {
  const uint64_t current = size();
  if (second > current) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", second, " is larger than the log (", current, ")"));
  }
  return disclosure::ConsistencyProof(first, second, *hashes_);
}

absl::StatusOr<std::string> TransparencyLog::NodeHash(int level, uint64_t index) const {
  const uint64_t current = size();
  if (level < 0 || level >= 64 || index >= (current >> level)) {
    return absl::OutOfRangeError(
        absl::StrCat("subtree (", level, ", ", index, ") is not complete in a tree of ", current));
  }
  REG_ASSIGN_OR_RETURN(std::vector<std::string> hashes, hashes_->Hashes({NodeId{level, index}}));
  return std::move(hashes[0]);
}

absl::StatusOr<std::string> TransparencyLog::RootHash(uint64_t tree_size) const {
  const uint64_t current = size();
  if (tree_size > current) {
    return absl::InvalidArgumentError(
        absl::StrCat("tree size ", tree_size, " is larger than the log (", current, ")"));
  }
  return disclosure::RootHash(tree_size, *hashes_);
}

}  // namespace regulation::disclosure
