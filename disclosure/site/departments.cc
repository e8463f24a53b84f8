#include "disclosure/site/departments.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "disclosure/site/html.h"
#include "disclosure/site/json_text.h"
#include "disclosure/site/site_assets.h"

namespace regulation::disclosure::site {
namespace {

constexpr absl::string_view kTablePath = "assets/departments.json";

// code -> names, from the embedded assets/departments.json. A malformed table is a build
// mistake that //disclosure/site:departments_test catches; here it reads as empty.
const std::map<std::string, BilingualName>& Table() {
  static const auto* const table = [] {
    auto* t = new std::map<std::string, BilingualName>();
    for (const SiteAsset& asset : SiteAssets()) {
      if (asset.path != kTablePath) continue;
      absl::StatusOr<google::protobuf::Value> json =
          ParseJson(absl::string_view(asset.data, asset.size), kTablePath);
      if (!json.ok()) break;
      for (const auto& [code, names] : json->struct_value().fields()) {
        const auto& list = names.list_value().values();
        if (list.size() != 2) continue;
        (*t)[code] = {list[0].string_value(), list[1].string_value()};
      }
    }
    return t;
  }();
  return *table;
}

}  // namespace

BilingualName DepartmentName(absl::string_view code) {
  auto it = Table().find(std::string(code));
  if (it == Table().end()) return {std::string(code), ""};
  return it->second;
}

std::string DepartmentHtml(absl::string_view code) {
  if (code.empty()) return "";
  const BilingualName name = DepartmentName(code);
  return absl::StrCat("<span class=\"department\" data-department=\"", HtmlEscape(code), "\">",
                      name.en.empty() ? HtmlEscape(name.zh) : Label(name.zh, name.en), "</span>");
}

std::string DepartmentsHtml(const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& code : codes) {
    absl::StrAppend(&out, out.empty() ? "" : "、", DepartmentHtml(code));
  }
  return out;
}

}  // namespace regulation::disclosure::site
