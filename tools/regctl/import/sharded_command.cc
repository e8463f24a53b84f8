#include "tools/regctl/import/sharded_command.h"

#include "absl/strings/str_cat.h"
#include "tools/regctl/import/shard_split.h"
#include "tools/regctl/shard_routing.h"

namespace regulation::regctl {
namespace {

// The more urgent of two exit codes (the header's order).
int Worse(int a, int b) {
  for (int code : {kExitUsage, kExitServerError, kExitUnreachable, kExitRowsRejected}) {
    if (a == code || b == code) return code;
  }
  return kExitOk;
}

}  // namespace

int RunShardedImportCommand(const std::vector<std::string>& args, const ImportOptions& options,
                            const services::ShardMap& map, const ConnectionOptions& connection,
                            std::FILE* out) {
  std::FILE* diagnostics = options.diagnostics != nullptr ? options.diagnostics : stderr;
  if (args.size() != 2) {
    std::fprintf(diagnostics,
                 "error: with --shards, import takes KIND FILE (enterprises FILE.csv or events "
                 "FILE.jsonl)\n");
    return kExitUsage;
  }
  const std::string& kind = args[0];
  const std::string& file = args[1];
  absl::StatusOr<ShardSplit> split = SplitByShard(kind, file, map, diagnostics);
  if (!split.ok()) {
    std::fprintf(diagnostics, "error: %s\n", std::string(split.status().message()).c_str());
    return kExitUsage;
  }
  if (split->reused) {
    std::fprintf(diagnostics, "%s: reusing its split by shard in %s.by-shard (unchanged file)\n",
                 file.c_str(), file.c_str());
  } else {
    std::string counts;
    for (const ShardPart& part : split->parts) {
      absl::StrAppend(&counts, counts.empty() ? "" : ", ", part.shard, " ", part.rows);
    }
    std::fprintf(out, "%s: split by shard into %s.by-shard: %s; %lld routed to no shard\n",
                 file.c_str(), file.c_str(), counts.c_str(),
                 static_cast<long long>(split->rejected));
  }
  int code = split->rejected > 0 ? kExitRowsRejected : kExitOk;
  for (int i = 0; i < map.config().shards_size(); ++i) {
    const ShardPart& part = split->parts[static_cast<size_t>(i)];
    if (part.path.empty()) continue;
    std::fprintf(out, "shard %s:\n", part.shard.c_str());
    std::fflush(out);
    const int part_code = RunImportCommand({kind, part.path}, options,
                                           ToShard(connection, map.config().shards(i)), out);
    code = Worse(code, part_code);
  }
  return code;
}

}  // namespace regulation::regctl
