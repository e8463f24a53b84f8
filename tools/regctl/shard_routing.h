#ifndef TOOLS_REGCTL_SHARD_ROUTING_H_
#define TOOLS_REGCTL_SHARD_ROUTING_H_

// regctl against region shards (`--shards=FILE`, docs/scale.md "Region shards"): a command
// about one enterprise goes to the shard holding it; `enterprise list` and `score all` go
// to every shard their region prefix spans. A shard that is down fails only the calls that
// need it, and the failure names it.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/shards/shard_map.h"
#include "tools/regctl/connection.h"

namespace regulation::regctl {

// The shard map in `path` (JSON); INVALID_ARGUMENT naming the file and why (missing,
// unreadable, or the field that is wrong).
absl::StatusOr<services::ShardMap> LoadShardMap(const std::string& path);

// `base` pointed at `shard` (its address, and its name for failures).
ConnectionOptions ToShard(const ConnectionOptions& base, const internal::ShardConfig& shard);

// `base` pointed at the shard holding `credit_code`: INVALID_ARGUMENT for a malformed code,
// NOT_FOUND when no shard holds its region.
absl::StatusOr<ConnectionOptions> RouteToShard(const services::ShardMap& map,
                                               const ConnectionOptions& base,
                                               absl::string_view credit_code);

// `base` pointed at each shard a list over `region_prefix` asks, in the map's order.
std::vector<ConnectionOptions> RoutesForPrefix(const services::ShardMap& map,
                                               const ConnectionOptions& base,
                                               absl::string_view region_prefix);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_SHARD_ROUTING_H_
