#include "services/shards/shard_map.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/region_code.h"
#include "google/protobuf/util/json_util.h"

namespace regulation::services {
namespace {

bool IsShardName(absl::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

// "host:port" or "[v6]:port" with a port in 1-65535; the host is not resolved here.
bool IsHostPort(absl::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 1 || port > 65535) {
    return false;
  }
  const absl::string_view host = address.substr(0, colon);
  if (absl::StartsWith(host, "[")) return absl::EndsWith(host, "]") && host.size() > 2;
  for (char c : host) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

ShardMap::ShardMap(internal::ShardMapConfig config) : config_(std::move(config)) {}

absl::StatusOr<ShardMap> ShardMap::Create(internal::ShardMapConfig config) {
  if (config.shards().empty()) return InvalidField("shards", "at least one shard is required");
  ShardMap map(std::move(config));
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < map.config_.shards_size(); ++i) {
    const internal::ShardConfig& shard = map.config_.shards(i);
    const std::string field = absl::StrCat("shards[", i, "]");
    if (!IsShardName(shard.name())) {
      return InvalidField(absl::StrCat(field, ".name"),
                          "1-63 lower-case letters, digits and '-' are required");
    }
    if (!names.insert(shard.name()).second) {
      return InvalidField(absl::StrCat(field, ".name"),
                          absl::StrCat("\"", shard.name(), "\" names two shards"));
    }
    if (!IsHostPort(shard.address())) {
      return InvalidField(absl::StrCat(field, ".address"), "must be host:port");
    }
    if (shard.region_prefixes().empty()) {
      return InvalidField(absl::StrCat(field, ".region_prefixes"),
                          "a shard holds at least one region prefix (\"\" for every region)");
    }
    for (int j = 0; j < shard.region_prefixes_size(); ++j) {
      const std::string& prefix = shard.region_prefixes(j);
      const std::string prefix_field = absl::StrCat(field, ".region_prefixes[", j, "]");
      if (absl::Status valid = ValidateRegionPrefix(prefix); !valid.ok()) {
        return ForField(prefix_field, valid);
      }
      auto [it, inserted] = map.owner_.emplace(prefix, i);
      if (!inserted) {
        return InvalidField(prefix_field,
                            absl::StrCat("\"", prefix, "\" is held by shard ",
                                         map.config_.shards(it->second).name(), " already"));
      }
    }
  }
  return map;
}

absl::StatusOr<ShardMap> ShardMap::FromJson(absl::string_view json) {
  internal::ShardMapConfig config;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  // Debian's protobuf has its own Status type: only its message is carried over.
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(std::string(json), &config, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("shard map: ", std::string(parsed.message())));
  }
  return Create(std::move(config));
}

int ShardMap::LongestPrefixOwner(absl::string_view region) const {
  // At most seven lookups: the region itself, then ever shorter prefixes, down to "".
  for (size_t length = region.size() + 1; length-- > 0;) {
    auto it = owner_.find(std::string(region.substr(0, length)));
    if (it != owner_.end()) return it->second;
  }
  return -1;
}

absl::StatusOr<const internal::ShardConfig*> ShardMap::ForRegion(
    absl::string_view region_code) const {
  const int owner = LongestPrefixOwner(region_code);
  if (owner < 0) {
    return absl::NotFoundError(
        absl::StrCat("region ", region_code, ": no shard holds it (see the shard map)"));
  }
  return &config_.shards(owner);
}

absl::StatusOr<const internal::ShardConfig*> ShardMap::ForCreditCode(
    absl::string_view credit_code) const {
  if (absl::Status valid = ValidateCreditCode(credit_code); !valid.ok()) {
    return ForField("credit_code", valid);
  }
  // Characters 3-8 are the region of registration (GB/T 2260).
  absl::StatusOr<const internal::ShardConfig*> shard = ForRegion(credit_code.substr(2, 6));
  if (!shard.ok()) return ForField("credit_code", shard.status());
  return shard;
}

std::vector<const internal::ShardConfig*> ShardMap::ForRegionPrefix(
    absl::string_view prefix) const {
  std::vector<bool> asked(config_.shards_size(), false);
  // Shards holding a region inside `prefix`: their prefixes extend it.
  for (auto it = owner_.lower_bound(std::string(prefix));
       it != owner_.end() && absl::StartsWith(it->first, prefix); ++it) {
    asked[it->second] = true;
  }
  // The shard holding `prefix` itself (the longest prefix of it) keeps every region under
  // it that no longer prefix claims.
  if (const int enclosing = LongestPrefixOwner(prefix); enclosing >= 0) asked[enclosing] = true;
  std::vector<const internal::ShardConfig*> shards;
  for (int i = 0; i < config_.shards_size(); ++i) {
    if (asked[i]) shards.push_back(&config_.shards(i));
  }
  return shards;
}

absl::Status ShardError(const internal::ShardConfig& shard, const absl::Status& cause) {
  return absl::Status(cause.code(), absl::StrCat("shard ", shard.name(), " (", shard.address(),
                                                 "): ", cause.message()));
}

}  // namespace regulation::services
