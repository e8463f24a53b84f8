#ifndef DISCLOSURE_SITE_TILE_STAGE_H_
#define DISCLOSURE_SITE_TILE_STAGE_H_

// The log's tlog-tiles files on their way into the site. They are received into a
// staging folder (<site>/.publish-staging, never linked from anywhere), checked, and
// only then renamed into place, so the site never serves a tile that was not checked:
//
//   - exactly the tiles NewTiles(8, from, to) arrived, each of the right size;
//   - the part of each tile the site already published is unchanged (entry bundles and
//     hash tiles only grow);
//   - every new level-0 hash is the leaf hash of its entry in the bundle, and every new
//     higher hash is the hash of the full tile below it;
//   - the tiles hash to the root of the verified checkpoint.
//
// Thread safety: not thread-safe; one per run.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "disclosure/log_reader.h"
#include "disclosure/site/site_writer.h"
#include "regulation/v1/disclosure.pb.h"

namespace regulation::disclosure::site {

class TileStage {
 public:
  // Empties (or creates) the staging folder of the site `site`, which must outlive it.
  static absl::StatusOr<std::unique_ptr<TileStage>> Create(const SiteWriter* site);
  // Removes the staging folder.
  ~TileStage();

  TileStage(const TileStage&) = delete;
  TileStage& operator=(const TileStage&) = delete;

  // Takes one file of SiteSource::ForEachLogFile. INVALID_ARGUMENT for an unsafe or
  // unknown path, a repeated one, or anything after the checkpoint.
  absl::Status Accept(const v1::LogFile& file);

  // The checkpoint note and verifier key the stream ended with (empty if none yet).
  const std::string& checkpoint_note() const { return checkpoint_; }
  bool has_checkpoint() const { return has_checkpoint_; }
  const std::string& verifier_key() const { return verifier_key_; }

  // Checks the staged tiles as described above, for the tree growing from `from_size`
  // to `checkpoint` (already verified). NOT_FOUND for a missing tile; DATA_LOSS for
  // tiles that do not match; INVALID_ARGUMENT for extra files.
  absl::Status Verify(uint64_t from_size, const SignedCheckpoint& checkpoint) const;

  // Renames the staged tiles into the site, in NewTiles order (bundle before hashes).
  absl::Status Install(uint64_t from_size, uint64_t to_size, SiteWriter* site);

  // A tiles-layout file: the staged one, else the site's.
  absl::StatusOr<std::string> Read(const std::string& path) const;

 private:
  explicit TileStage(const SiteWriter* site);
  std::string StagedPath(const std::string& path) const;
  absl::Status VerifyTile(uint64_t from_size, int level, uint64_t index, uint64_t width) const;

  const SiteWriter* site_;
  const std::string dir_;
  absl::flat_hash_set<std::string> staged_;
  std::string checkpoint_;
  std::string verifier_key_;
  bool has_checkpoint_ = false;
};

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_TILE_STAGE_H_
