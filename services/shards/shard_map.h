#ifndef SERVICES_SHARDS_SHARD_MAP_H_
#define SERVICES_SHARDS_SHARD_MAP_H_

// Which shard holds an enterprise's portrait and scoring state (issue 13 item 4): shards
// own region-code prefixes, and an enterprise belongs to the shard with the longest prefix
// of the registration region in its credit code (characters 3-8). Per-enterprise calls go
// to one shard; a list or batch job over a region prefix goes to every shard that can hold
// an enterprise there, and merges.
//
//   absl::StatusOr<ShardMap> map = ShardMap::FromJson(ReadFile("shards.json"));
//   absl::StatusOr<const ShardConfig*> shard = map->ForCreditCode(code);
//   for (const ShardConfig* s : map->ForRegionPrefix("3301")) ...
//
// Thread safety: immutable after construction; safe for concurrent use.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/internal/shard_map.pb.h"

namespace regulation::services {

class ShardMap {
 public:
  // INVALID_ARGUMENT naming the field ("shards[1].region_prefixes[0]: ...") when a name is
  // malformed or repeated, an address is not host:port, a prefix is not a region prefix, or
  // two shards claim the same prefix; at least one shard is required.
  static absl::StatusOr<ShardMap> Create(internal::ShardMapConfig config);
  // The JSON form of ShardMapConfig; INVALID_ARGUMENT also for JSON that does not parse.
  static absl::StatusOr<ShardMap> FromJson(absl::string_view json);

  // The shard holding `credit_code`. INVALID_ARGUMENT ("credit_code: ...") for a code that
  // is not a valid unified social credit code; NOT_FOUND naming the region when no shard
  // holds it.
  absl::StatusOr<const internal::ShardConfig*> ForCreditCode(absl::string_view credit_code) const;

  // The shard holding a six-digit region code; NOT_FOUND when none does.
  absl::StatusOr<const internal::ShardConfig*> ForRegion(absl::string_view region_code) const;

  // Every shard that holds some region under `prefix` (0-6 digits; "" is every shard), in
  // configuration order: the shards a list or batch job over `prefix` asks.
  std::vector<const internal::ShardConfig*> ForRegionPrefix(absl::string_view prefix) const;

  const internal::ShardMapConfig& config() const { return config_; }

 private:
  explicit ShardMap(internal::ShardMapConfig config);
  // Index in config_ of the shard with the longest prefix of `region`; -1 for none.
  int LongestPrefixOwner(absl::string_view region) const;

  internal::ShardMapConfig config_;
  // Region prefix -> index of its shard in config_.
  std::map<std::string, int> owner_;
};

// The status a call gets when `shard` cannot serve it: the code of `cause` (UNAVAILABLE for
// a shard that is down), its message prefixed with the shard's name and address, so that a
// caller knows which region's calls fail while the others keep working.
absl::Status ShardError(const internal::ShardConfig& shard, const absl::Status& cause);

}  // namespace regulation::services

#endif  // SERVICES_SHARDS_SHARD_MAP_H_
