#include "tools/regctl/shard_routing.h"

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "tools/regctl/input_file.h"

namespace regulation::regctl {

absl::StatusOr<services::ShardMap> LoadShardMap(const std::string& path) {
  if (absl::Status readable = CheckInputFile("--shards", path); !readable.ok()) return readable;
  absl::StatusOr<std::string> json = ReadWholeFile(path);
  if (!json.ok()) return json.status();
  absl::StatusOr<services::ShardMap> map = services::ShardMap::FromJson(*json);
  if (!map.ok()) {
    return absl::Status(map.status().code(),
                        absl::StrCat("--shards=", path, ": ", map.status().message()));
  }
  return map;
}

ConnectionOptions ToShard(const ConnectionOptions& base, const internal::ShardConfig& shard) {
  ConnectionOptions routed = base;
  routed.server = shard.address();
  routed.shard = shard.name();
  return routed;
}

absl::StatusOr<ConnectionOptions> RouteToShard(const services::ShardMap& map,
                                               const ConnectionOptions& base,
                                               absl::string_view credit_code) {
  absl::StatusOr<const internal::ShardConfig*> shard = map.ForCreditCode(credit_code);
  if (!shard.ok()) return shard.status();
  return ToShard(base, **shard);
}

std::vector<ConnectionOptions> RoutesForPrefix(const services::ShardMap& map,
                                               const ConnectionOptions& base,
                                               absl::string_view region_prefix) {
  std::vector<ConnectionOptions> routes;
  for (const internal::ShardConfig* shard : map.ForRegionPrefix(region_prefix)) {
    routes.push_back(ToShard(base, *shard));
  }
  return routes;
}

}  // namespace regulation::regctl
