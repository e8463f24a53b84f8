#ifndef TOOLS_REGCTL_IMPORT_SHARDED_COMMAND_H_
#define TOOLS_REGCTL_IMPORT_SHARDED_COMMAND_H_

// `regctl --shards=MAP import KIND FILE` (docs/scale.md §4): the file split by region
// shard (shard_split.h), then each part imported into its shard (command.h), one shard
// after another. A shard that cannot be reached does not stop the others: its part is
// left to resume, and the exit code says to rerun (3). Exit codes as command.h's, the
// most urgent of the parts': 2, then 1, then 3, then 4 (rows rejected, here or by a
// shard), else 0.
//
// Thread safety: as RunImportCommand.

#include <cstdio>
#include <string>
#include <vector>

#include "services/shards/shard_map.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/import/command.h"

namespace regulation::regctl {

int RunShardedImportCommand(const std::vector<std::string>& args, const ImportOptions& options,
                            const services::ShardMap& map, const ConnectionOptions& connection,
                            std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_SHARDED_COMMAND_H_
