#include "disclosure/site/search_index.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "disclosure/site/json_text.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

using google::protobuf::Value;

constexpr char kCommon[] = "common";

bool IsSpace(uint32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x3000;
}

// The characters of `s`, one string each; invalid bytes are dropped.
std::vector<std::string> CodePoints(absl::string_view s) {
  std::vector<std::string> out;
  for (const Utf8Char c : Utf8Chars(s)) {
    if (c.valid) out.emplace_back(s.substr(c.offset, c.length));
  }
  return out;
}

}  // namespace

std::string NormalizeForSearch(absl::string_view text) {
  std::string out;
  for (const Utf8Char c : Utf8Chars(text)) {
    if (!c.valid) continue;
    uint32_t cp = c.code;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (IsSpace(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    AppendUtf8(cp, &out);
  }
  return out;
}

std::vector<std::string> SearchTerms(absl::string_view normalized) {
  const std::vector<std::string> cps = CodePoints(normalized);
  std::vector<std::string> terms;
  if (cps.size() == 1) terms.push_back(cps[0]);
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    std::string term = cps[i] + cps[i + 1];
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
  }
  return terms;
}

std::string NormalizeCode(absl::string_view code) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
}

std::string ShardOf(absl::string_view key) {
  const std::string hex = Sha256Hex(key);
  return absl::StrCat(hex.substr(0, 2), "/", hex.substr(2, 2));
}

void SearchIndexUpdate::Add(const std::string& credit_code, const std::string& name) {
  const std::string code = NormalizeCode(credit_code);
  if (code.empty()) return;
  codes_[ShardOf(code)][code] = name;
  ++pending_;
  for (const std::string& term : SearchTerms(NormalizeForSearch(name))) {
    Postings& postings = names_[ShardOf(term)][term];
    if (postings.list.size() > kMaxPostingsPerTerm) continue;  // common already
    if (postings.seen.insert(absl::StrCat(code, "\n", name)).second) {
      postings.list.emplace_back(code, name);
      ++pending_;
    }
  }
}

namespace {

// A code shard: code -> name.
using CodeShard = std::map<std::string, std::string>;

absl::StatusOr<CodeShard> ReadCodeShard(const SiteWriter& site, const std::string& path) {
  CodeShard codes;
  absl::StatusOr<std::string> old = site.Read(path);
  if (absl::IsNotFound(old.status())) return codes;
  if (!old.ok()) return old.status();
  REG_ASSIGN_OR_RETURN(Value parsed, ParseJson(*old, path));
  if (const Value* all = Member(parsed, "codes"); all != nullptr) {
    for (const auto& [code, name] : all->struct_value().fields()) codes[code] = name.string_value();
  }
  return codes;
}

absl::Status WriteCodeShard(SiteWriter* site, const std::string& path, const CodeShard& codes) {
  std::string json = "{\"codes\":{";
  bool first = true;
  for (const auto& [code, name] : codes) {
    absl::StrAppend(&json, first ? "" : ",", JsonString(code), ":", JsonString(name));
    first = false;
  }
  json += "}}\n";
  return site->Write(path, json);
}

// A name shard: term -> postings (code, name), and the terms that are common.
struct NameShard {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> postings;
  std::map<std::string, bool> common;
};

absl::StatusOr<NameShard> ReadNameShard(const SiteWriter& site, const std::string& path) {
  NameShard shard;
  absl::StatusOr<std::string> old = site.Read(path);
  if (absl::IsNotFound(old.status())) return shard;
  if (!old.ok()) return old.status();
  REG_ASSIGN_OR_RETURN(Value parsed, ParseJson(*old, path));
  if (const Value* terms = Member(parsed, "terms"); terms != nullptr) {
    for (const auto& [term, list] : terms->struct_value().fields()) {
      if (list.kind_case() == Value::kStringValue) {
        shard.common[term] = true;
        continue;
      }
      auto& out = shard.postings[term];
      for (const Value& p : list.list_value().values()) {
        if (p.list_value().values_size() != 2) continue;
        out.emplace_back(p.list_value().values(0).string_value(),
                         p.list_value().values(1).string_value());
      }
    }
  }
  return shard;
}

absl::Status WriteNameShard(SiteWriter* site, const std::string& path, const NameShard& shard) {
  std::map<std::string, std::string> rendered;
  for (const auto& [term, is_common] : shard.common) {
    if (is_common) rendered[term] = absl::StrCat("\"", kCommon, "\"");
  }
  for (const auto& [term, list] : shard.postings) {
    if (list.empty()) continue;
    std::string items = "[";
    for (size_t i = 0; i < list.size(); ++i) {
      absl::StrAppend(&items, i > 0 ? "," : "", "[", JsonString(list[i].first), ",",
                      JsonString(list[i].second), "]");
    }
    rendered[term] = items + "]";
  }
  std::string json = "{\"terms\":{";
  bool first = true;
  for (const auto& [term, value] : rendered) {
    absl::StrAppend(&json, first ? "" : ",", JsonString(term), ":", value);
    first = false;
  }
  json += "}}\n";
  return site->Write(path, json);
}

}  // namespace

absl::Status SearchIndexUpdate::Apply(SiteWriter* site) {
  for (const auto& [shard, additions] : codes_) {
    const std::string path = CodeShardPath(shard);
    REG_ASSIGN_OR_RETURN(CodeShard codes, ReadCodeShard(*site, path));
    for (const auto& [code, name] : additions) codes[code] = name;
    REG_RETURN_IF_ERROR(WriteCodeShard(site, path, codes));
  }

  for (const auto& [shard, additions] : names_) {
    const std::string path = NameShardPath(shard);
    REG_ASSIGN_OR_RETURN(NameShard names, ReadNameShard(*site, path));
    for (const auto& [term, pending] : additions) {
      if (names.common[term]) continue;
      auto& out = names.postings[term];
      absl::flat_hash_set<std::string> seen;
      for (const auto& [code, name] : out) seen.insert(absl::StrCat(code, "\n", name));
      for (const auto& [code, name] : pending.list) {
        if (seen.insert(absl::StrCat(code, "\n", name)).second) out.emplace_back(code, name);
      }
      if (out.size() > kMaxPostingsPerTerm) {
        names.postings.erase(term);
        names.common[term] = true;
      }
    }
    REG_RETURN_IF_ERROR(WriteNameShard(site, path, names));
  }
  codes_.clear();
  names_.clear();
  pending_ = 0;
  return absl::OkStatus();
}

absl::Status SearchIndexUpdate::Withdraw(SiteWriter* site, const std::string& credit_code,
                                         const std::string& name, const std::string& name_now) {
  REG_RETURN_IF_ERROR(Apply(site));  // what is pending goes first, in log order
  const std::string code = NormalizeCode(credit_code);
  if (code.empty()) return absl::OkStatus();
  const std::string code_path = CodeShardPath(ShardOf(code));
  REG_ASSIGN_OR_RETURN(CodeShard codes, ReadCodeShard(*site, code_path));
  auto found = codes.find(code);
  if (name_now.empty() && found != codes.end()) {
    codes.erase(found);
    REG_RETURN_IF_ERROR(WriteCodeShard(site, code_path, codes));
  } else if (!name_now.empty() && (found == codes.end() || found->second != name_now)) {
    codes[code] = name_now;
    REG_RETURN_IF_ERROR(WriteCodeShard(site, code_path, codes));
  }
  if (name.empty() || name == name_now) return absl::OkStatus();
  for (const std::string& term : SearchTerms(NormalizeForSearch(name))) {
    const std::string path = NameShardPath(ShardOf(term));
    REG_ASSIGN_OR_RETURN(NameShard names, ReadNameShard(*site, path));
    auto list = names.postings.find(term);
    if (list == names.postings.end()) continue;  // common, or never there
    const size_t before = list->second.size();
    list->second.erase(std::remove(list->second.begin(), list->second.end(),
                                   std::make_pair(code, name)),
                       list->second.end());
    if (list->second.size() != before) REG_RETURN_IF_ERROR(WriteNameShard(site, path, names));
  }
  return absl::OkStatus();
}

}  // namespace regulation::disclosure::site
