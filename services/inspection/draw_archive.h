#ifndef SERVICES_INSPECTION_DRAW_ARCHIVE_H_
#define SERVICES_INSPECTION_DRAW_ARCHIVE_H_

// Where a drawn round's bulk lives. A round whose bundle is small (at most
// Options::inline_bundle_bytes: every plan of up to 5,000 targets) is kept whole in the
// plan record, as it always was. A larger one is kept in parts beside it, in column family
// draw_chunks: the bundle's bytes cut into parts (scheduler/bundle_parts.h), and its
// targets with their teams in slices of Options::targets_per_slice. The plan record then
// holds the round's summary: Draw without targets, teams and bundle_json, with
// bundle_parts listing each part's size and SHA-256. Nothing ever holds the whole round in
// one value or one message.
//
//   DrawArchive archive(store, options);
//   v1::Draw stored = full;
//   if (!archive.KeepsWhole(full)) REG_RETURN_IF_ERROR(archive.Store(&stored));  // parts
//   ... save `stored` in the plan record's batch ...
//   archive.ForEachSlice(stored, [](const internal::DrawSlice& s) { ... });        // either form
//
// Store writes the parts in batches of their own before the plan record names them: a
// crash in between leaves parts no record names, overwritten by the retried draw (its
// bytes are the same, the draw being deterministic). Parts named by a record are never
// changed.
//
// Thread safety: safe for concurrent use (the store is).

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/inspection.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

class DrawArchive {
 public:
  struct Options {
    // A round whose bundle has at most this many bytes is kept whole. Default 2 MiB: a
    // 5,000-target round (about 1.3 MB) stays whole, and its Draw (bundle, targets and
    // teams) stays under gRPC's default 4 MiB message limit.
    int64_t inline_bundle_bytes = int64_t{2} << 20;
    // Size of a bundle part. Default 1 MiB (scheduler::kDefaultBundlePartBytes).
    int64_t bundle_part_bytes = int64_t{1} << 20;
    // Targets per stored slice, and per page of the fan-out's writes. Default 4096.
    int targets_per_slice = 4096;
  };

  // `store` must outlive the archive.
  DrawArchive(storage::KvStore* store, Options options) : store_(store), options_(options) {}

  const Options& options() const { return options_; }

  // Whether `draw` (targets, teams and bundle_json filled) is kept whole.
  bool KeepsWhole(const v1::Draw& draw) const;
  // Writes `draw`'s bundle parts and target slices, then empties its targets, teams and
  // bundle_json and fills bundle_parts, bundle_bytes and bundle_part_bytes. Errors as
  // KvStore::Write.
  absl::Status Store(v1::Draw* draw);

  // Calls `fn` with the round's targets and teams, in team order, a slice at a time
  // (a round kept whole: one slice). Stops at `fn`'s first error and returns it;
  // DATA_LOSS naming the key for a slice missing or corrupt.
  absl::Status ForEachSlice(
      const v1::Draw& draw, const std::function<absl::Status(const internal::DrawSlice&)>& fn);
  // Up to `count` targets (and teams) from position `from`; fewer at the end.
  absl::StatusOr<internal::DrawSlice> ReadTargets(const v1::Draw& draw, int64_t from,
                                                  int64_t count);
  // Part `index` (from 0) of the round's bundle; a round kept whole is cut in parts of
  // Options::bundle_part_bytes. INVALID_ARGUMENT for an index out of range; DATA_LOSS for
  // a part missing or not matching its recorded SHA-256.
  absl::StatusOr<std::string> BundlePart(const v1::Draw& draw, int64_t index);
  // How many parts BundlePart serves, and their size.
  int64_t PartCount(const v1::Draw& draw) const;
  int64_t PartBytes(const v1::Draw& draw) const;
  // The round with its targets and teams filled in, whichever form it is kept in (for
  // the replacement rounds, which read every earlier target); bundle_json stays as
  // stored. Errors as ForEachSlice.
  absl::StatusOr<v1::Draw> WithTargets(const v1::Draw& draw);

 private:
  storage::KvStore* const store_;
  const Options options_;
};

// Whether `draw` is a summary whose bulk is in draw_chunks.
inline bool KeptInParts(const v1::Draw& draw) { return draw.bundle_parts_size() > 0; }

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_DRAW_ARCHIVE_H_
