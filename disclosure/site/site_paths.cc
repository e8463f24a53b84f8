#include "disclosure/site/site_paths.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation::disclosure::site {

std::string SafePathComponent(absl::string_view s) {
  if (s.empty()) return "~";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool plain = absl::ascii_isalnum(c) || c == '_' || c == '-' || (c == '.' && i > 0);
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "~%02X", c);
    }
  }
  return out;
}

std::string RecordPagePath(int64_t index) {
  return absl::StrCat("record/", index / kRecordsPerFolder, "/", index, ".html");
}

std::string RecordBodyPath(int64_t index) {
  return absl::StrCat("record/", index / kRecordsPerFolder, "/", index, ".json");
}

std::string RecordSaltPath(int64_t index) {
  return absl::StrCat("record/", index / kRecordsPerFolder, "/", index, ".salt");
}

std::string EnterprisePagePath(absl::string_view credit_code) {
  return absl::StrCat("enterprise/", SafePathComponent(credit_code), ".html");
}

std::string EnterpriseDataPath(absl::string_view credit_code) {
  return absl::StrCat("enterprise/", SafePathComponent(credit_code), ".json");
}

std::string PlanPagePath(absl::string_view plan_id) {
  return absl::StrCat("plan/", SafePathComponent(plan_id), ".html");
}

std::string PlanDataPath(absl::string_view plan_id) {
  return absl::StrCat("plan/", SafePathComponent(plan_id), ".json");
}

std::string BundlePath(absl::string_view plan_id, int64_t round) {
  return absl::StrCat("draws/", SafePathComponent(plan_id), "/", round, ".json");
}

std::string CodeShardPath(absl::string_view shard) {
  return absl::StrCat("search/code/", shard, ".json");
}

std::string NameShardPath(absl::string_view shard) {
  return absl::StrCat("search/name/", shard, ".json");
}

std::string DownloadJsonPath(int64_t chunk) {
  return absl::StrFormat("downloads/results-%06d.json", chunk);
}

std::string DownloadCsvPath(int64_t chunk) {
  return absl::StrFormat("downloads/results-%06d.csv", chunk);
}

std::string RootPrefix(absl::string_view path) {
  std::string prefix;
  for (int i = 0, n = static_cast<int>(std::count(path.begin(), path.end(), '/')); i < n; ++i) {
    prefix += "../";
  }
  return prefix;
}

}  // namespace regulation::disclosure::site
