#include "tools/regctl/assignment_sheet.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/clock.h"
#include "common/escaping.h"
#include "tools/regctl/proto_text.h"

namespace regulation::regctl {
namespace {

constexpr absl::string_view kCsvHeader =
    "plan_id,inspector_id,credit_code,enterprise_name,address,items,legal_basis,teammates,"
    "due_date";

constexpr absl::string_view kStyle = R"(<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
.meta { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #888; padding: 0.4em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
th span { display: block; font-weight: normal; font-size: 0.85em; color: #444; }
.code { font-family: monospace; color: #333; }
ol { margin: 0; padding-left: 1.2em; }
.basis { color: #444; font-size: 0.9em; }
.nowrap, th:first-child, td:first-child { white-space: nowrap; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 10pt; }
  th { background: none; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
}
</style>
)";

std::string DueDate(const v1::Assignment& a) {
  return a.has_due_date() ? FormatDate(a.due_date()) : "";
}

std::vector<std::string> Titles(const v1::Assignment& a) {
  std::vector<std::string> titles;
  for (const v1::AssignmentItem& item : a.items()) titles.push_back(item.title());
  return titles;
}

std::vector<std::string> LegalBases(const v1::Assignment& a) {
  std::vector<std::string> bases;
  for (const v1::AssignmentItem& item : a.items()) bases.push_back(item.legal_basis());
  return bases;
}

// "中文<span>English</span>" for a column label.
std::string Label(absl::string_view chinese, absl::string_view english) {
  return absl::StrCat("<th>", chinese, "<span>", english, "</span></th>");
}

std::string ItemsCell(const v1::Assignment& a) {
  if (a.items().empty()) return "-";
  std::string cell = "<ol>";
  for (const v1::AssignmentItem& item : a.items()) {
    absl::StrAppend(&cell, "<li>", HtmlEscape(item.title()),
                    "<br><span class=\"basis\">依据 Basis: ", HtmlEscape(item.legal_basis()),
                    "</span></li>");
  }
  return absl::StrCat(cell, "</ol>");
}

}  // namespace

std::string CsvField(absl::string_view text) {
  // A spreadsheet would run a cell starting with = + - @ as a formula: enterprise names
  // and addresses are not trusted, so such a cell starts with an apostrophe instead.
  std::string cell(text);
  if (!cell.empty() && absl::string_view("=+-@").find(cell[0]) != absl::string_view::npos) {
    cell.insert(0, "'");
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  return absl::StrCat("\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\"");
}

std::string AssignmentsCsv(const std::vector<v1::Assignment>& assignments) {
  std::string csv = absl::StrCat(kCsvHeader, "\r\n");
  for (const v1::Assignment& a : assignments) {
    const std::vector<std::string> fields = {a.plan_id(),
                                             a.inspector_id(),
                                             a.credit_code(),
                                             a.enterprise_name(),
                                             a.address(),
                                             absl::StrJoin(Titles(a), "; "),
                                             absl::StrJoin(LegalBases(a), "; "),
                                             absl::StrJoin(a.teammate_ids(), "; "),
                                             DueDate(a)};
    absl::StrAppend(&csv,
                    absl::StrJoin(fields, ",",
                                  [](std::string* out, const std::string& field) {
                                    out->append(CsvField(field));
                                  }),
                    "\r\n");
  }
  return csv;
}

std::string AssignmentsHtml(const std::vector<v1::Assignment>& assignments,
                            const SheetHeading& heading) {
  std::set<std::string> inspectors;
  for (const v1::Assignment& a : assignments) inspectors.insert(a.inspector_id());
  const bool one_inspector = inspectors.size() == 1;
  const std::string generated =
      absl::FormatTime("%Y-%m-%d %H:%M %Ez", heading.generated_at, ChinaTimeZone());

  std::string meta;
  if (one_inspector) {
    absl::StrAppend(&meta, "检查人员 Inspector: <strong>", HtmlEscape(*inspectors.begin()),
                    "</strong> · ");
  }
  if (!heading.plan_id.empty()) {
    absl::StrAppend(&meta, "计划 Plan: <strong>", HtmlEscape(heading.plan_id), "</strong> · ");
  }
  absl::StrAppend(&meta, "生成时间 Generated: ", HtmlEscape(generated));
  const std::string title =
      one_inspector ? absl::StrCat("检查任务单 Inspection assignments — ", *inspectors.begin())
                    : std::string("检查任务单 Inspection assignments");

  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", "<title>",
      HtmlEscape(title), "</title>\n", kStyle, "</head>\n<body>\n",
      "<h1>双随机抽查检查任务单 Random inspection assignments</h1>\n", "<p class=\"meta\">", meta,
      "</p>\n", "<table>\n<thead><tr>", Label("序号", "No."));
  if (!one_inspector) absl::StrAppend(&html, Label("检查人员", "Inspector"));
  absl::StrAppend(&html, Label("检查对象", "Target"), Label("地址", "Address"),
                  Label("检查事项及依据", "Items and legal basis"),
                  Label("同组检查人员", "Team-mates"), Label("完成期限", "Due date"),
                  "</tr></thead>\n<tbody>\n");
  int number = 0;
  for (const v1::Assignment& a : assignments) {
    absl::StrAppend(&html, "<tr><td>", ++number, "</td>");
    if (!one_inspector) absl::StrAppend(&html, "<td>", HtmlEscape(a.inspector_id()), "</td>");
    absl::StrAppend(&html, "<td>", HtmlEscape(a.enterprise_name()), "<br><span class=\"code\">",
                    HtmlEscape(a.credit_code()), "</span></td>", "<td>", HtmlEscape(a.address()),
                    "</td>", "<td>", ItemsCell(a), "</td>", "<td>",
                    HtmlEscape(absl::StrJoin(a.teammate_ids(), ", ")), "</td>",
                    "<td class=\"nowrap\">", HtmlEscape(DueDate(a)), "</td></tr>\n");
  }
  absl::StrAppend(&html, "</tbody>\n</table>\n<p class=\"meta\">共 ", assignments.size(), " 项 · ",
                  assignments.size(), " assignments</p>\n</body>\n</html>\n");
  return html;
}

std::string AssignmentLine(const v1::Assignment& a) {
  std::string line = absl::StrCat(
      a.plan_id(), "  ", a.credit_code(), "  ", a.enterprise_name(), "  due ",
      a.has_due_date() ? FormatDate(a.due_date()) : "-",
      "  items: ", absl::StrJoin(Titles(a), "; "),
      "  with: ", a.teammate_ids().empty() ? "-" : absl::StrJoin(a.teammate_ids(), ", "));
  if (!a.address().empty()) absl::StrAppend(&line, " @ ", a.address());
  // One line whatever the fields hold: control characters become spaces.
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return line;
}

}  // namespace regulation::regctl
