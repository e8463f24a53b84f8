#ifndef TOOLS_REGCTL_IMPORT_SHARD_SPLIT_H_
#define TOOLS_REGCTL_IMPORT_SHARD_SPLIT_H_

// `regctl --shards=MAP import KIND FILE` (docs/scale.md §4): the rows of an import file
// split by the region shard holding each row's enterprise, into one part per shard, each
// then imported into its shard as any file is (resumable on its own checkpoint).
//
// The parts are FILE.by-shard/<shard>.csv (with the input's header) or .jsonl, rows in
// the input's order. A row that names no valid credit code, or one whose region no shard
// holds, goes to no part: it is reported as "FILE:LINE: reason" and counted rejected, as
// the server would reject it. A split is finished by its stamp (FILE.by-shard/SOURCE,
// the input's fingerprint), written last: a rerun on the same, unchanged file reuses
// the parts (and each part's import resumes); a changed file, or a split a crash cut
// short, is split again.
//
// Memory: one row at a time (one open file per shard). Thread safety: none.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/shards/shard_map.h"

namespace regulation::regctl {

struct ShardPart {
  std::string shard;
  // The part file (absent when no row of the input belongs to the shard).
  std::string path;
  int64_t rows = 0;
};

struct ShardSplit {
  // One per shard of the map, in the map's order.
  std::vector<ShardPart> parts;
  // Rows routed to no shard (reported on `diagnostics`).
  int64_t rejected = 0;
  // The parts of an earlier run were reused.
  bool reused = false;
};

// Splits `file` ("enterprises": CSV with a header; "events": JSON lines). Rejected rows go
// to `diagnostics`. INVALID_ARGUMENT for an input that cannot be split at all (no
// header, an unknown column, an unreadable record), naming the file and line; the
// file system's statuses otherwise.
absl::StatusOr<ShardSplit> SplitByShard(const std::string& kind, const std::string& file,
                                        const services::ShardMap& map, std::FILE* diagnostics);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_SHARD_SPLIT_H_
