#include "disclosure/site/draw_bundle_view.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "disclosure/site/html.h"
#include "disclosure/site/json_text.h"
#include "disclosure/site/result_view.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

using google::protobuf::Value;

const google::protobuf::RepeatedPtrField<Value>& Items(const Value& object, absl::string_view key) {
  static const google::protobuf::ListValue* const kEmpty = new google::protobuf::ListValue();
  const Value* v = Member(object, key);
  return v != nullptr && v->kind_case() == Value::kListValue ? v->list_value().values()
                                                             : kEmpty->values();
}

std::string Cell(absl::string_view text) { return absl::StrCat("<td>", HtmlEscape(text), "</td>"); }
std::string CodeCell(absl::string_view text) {
  return absl::StrCat("<td><code>", HtmlEscape(text), "</code></td>");
}
std::string NumberCell(const Value& object, absl::string_view key) {
  return absl::StrCat("<td class=\"num\">", IntMember(object, key), "</td>");
}

std::string ClassesTable(const Value& bundle) {
  std::string out = absl::StrCat("<h3>", Label("各风险类别", "By risk class"), "</h3>\n",
                                 TableStart("classes", RoundLabel("各风险类别", "By risk class", IntMember(bundle, "round"))), "<tr><th>",
                                 Label("类别", "Class"),
                                 "</th><th>", Label("参与企业", "Population"), "</th><th>",
                                 Label("抽中", "Selected"), "</th><th>",
                                 Label("入选阈值（最大入选票值）", "Cutoff (largest selected ticket)"),
                                 "</th></tr>\n");
  for (const Value& c : Items(bundle, "classes")) {
    absl::StrAppend(&out, "<tr>", Cell(StringMember(c, "class")), NumberCell(c, "population"),
                    NumberCell(c, "selected"), CodeCell(StringMember(c, "cutoff")), "</tr>\n");
  }
  return out + TableEnd();
}

std::string TargetsTable(const Value& bundle, absl::string_view root) {
  const auto& targets = Items(bundle, "targets");
  const auto& teams = Items(bundle, "teams");
  std::string out = absl::StrCat(
      "<h3>", Label("抽中企业与检查组", "Targets and teams"), "</h3>\n",
      TableStart("targets", RoundLabel("抽中企业与检查组", "Targets and teams", IntMember(bundle, "round"))), "<tr><th>",
      Label("顺序", "Rank"), "</th><th>", Label("统一社会信用代码", "Credit code"), "</th><th>",
      Label("地区", "Region"), "</th><th>", Label("票值", "Ticket"), "</th><th>",
      Label("检查人员", "Inspectors"), "</th><th>", Label("配组状态", "Staffing"), "</th></tr>\n");
  for (int i = 0; i < targets.size(); ++i) {
    const Value& t = targets[i];
    const std::string code = StringMember(t, "credit_code");
    std::vector<std::string> inspectors;
    std::string status, reason;
    if (i < teams.size() && StringMember(teams[i], "credit_code") == code) {
      for (const Value& who : Items(teams[i], "inspectors")) inspectors.push_back(who.string_value());
      status = StringMember(teams[i], "status");
      reason = StringMember(teams[i], "reason");
    }
    absl::StrAppend(&out, "<tr>", NumberCell(t, "rank"), "<td>",
                    Link(absl::StrCat(root, EnterprisePagePath(code)), code), "</td>",
                    Cell(StringMember(t, "region_code")), CodeCell(StringMember(t, "ticket")),
                    Cell(absl::StrJoin(inspectors, ", ")), "<td>", HtmlEscape(status),
                    reason.empty() ? "" : absl::StrCat("<br><small>", HtmlEscape(reason), "</small>"),
                    "</td></tr>\n");
  }
  return out + TableEnd();
}

std::string ReplacementView(const Value& bundle) {
  const Value* r = Member(bundle, "replacement");
  if (r == nullptr || r->kind_case() != Value::kStructValue) return "";
  std::vector<std::string> counts, excluded, workload;
  for (const Value& c : Items(*r, "counts")) {
    counts.push_back(absl::StrCat(StringMember(c, "class"), ": ", IntMember(c, "count")));
  }
  for (const Value& e : Items(*r, "excluded")) excluded.push_back(e.string_value());
  for (const Value& w : Items(*r, "prior_workload")) {
    workload.push_back(absl::StrCat(StringMember(w, "inspector_id"), " ", IntMember(w, "count")));
  }
  return absl::StrCat(
      "<h3>", Label("替补轮次", "Replacement round"), "</h3>\n<dl class=\"fields\"><dt>",
      Label("上一轮结果摘要", "Previous bundle digest"), "</dt><dd><code>",
      HtmlEscape(StringMember(*r, "previous_bundle_digest")), "</code></dd><dt>",
      Label("各类替补数", "Replacements per class"), "</dt><dd>",
      HtmlEscape(absl::StrJoin(counts, ", ")), "</dd><dt>", Label("排除企业", "Excluded"),
      "</dt><dd><code>", HtmlEscape(absl::StrJoin(excluded, " ")), "</code></dd><dt>",
      Label("此前工作量", "Prior workload"), "</dt><dd>", HtmlEscape(absl::StrJoin(workload, ", ")),
      "</dd></dl>\n");
}

}  // namespace

std::vector<std::string> DrawTargetCodes(absl::string_view bundle_json) {
  std::vector<std::string> codes;
  absl::StatusOr<Value> bundle = ParseJson(bundle_json, "the draw bundle");
  if (!bundle.ok() || bundle->kind_case() != Value::kStructValue) return codes;
  for (const Value& t : Items(*bundle, "targets")) {
    const std::string code = StringMember(t, "credit_code");
    if (!code.empty()) codes.push_back(code);
  }
  return codes;
}

std::string RenderDrawBundle(absl::string_view bundle_json, absl::string_view root) {
  absl::StatusOr<Value> bundle = ParseJson(bundle_json, "the draw bundle");
  if (!bundle.ok() || bundle->kind_case() != Value::kStructValue) {
    return absl::StrCat("<p class=\"notice\">",
                        Label("抽取结果文件无法解析。", "The draw bundle could not be read."),
                        "</p>\n");
  }
  return absl::StrCat(ClassesTable(*bundle), TargetsTable(*bundle, root), ReplacementView(*bundle));
}

}  // namespace regulation::disclosure::site
