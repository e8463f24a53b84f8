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

constexpr absl::string_view kCsvHeaderChinese =
    "计划编号,检查人员编号,统一社会信用代码,企业名称,企业联系方式（注册地址）,检查事项,检查依据,"
    "同组检查人员,完成期限,结果状态";
constexpr absl::string_view kCsvHeaderEnglish =
    "plan_id,inspector_id,credit_code,enterprise_name,contact_address,items,legal_basis,"
    "teammates,due_date,result_state";
// UTF-8's byte-order mark: without it Excel reads a CSV file as the local code page.
constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A table on wide screens and paper; below 700 px each row becomes a card whose cells
// carry their label (data-label), so that a 390 px phone never scrolls sideways.
constexpr absl::string_view kStyle = R"(<style>
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; margin: 2em; color: #111; line-height: 1.5; overflow-wrap: anywhere; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
.meta { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #888; padding: 0.4em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
th span { display: block; font-weight: normal; font-size: 0.85em; color: #444; }
.code { font-family: monospace; color: #333; }
ol, ul { margin: 0; padding-left: 1.2em; }
.basis { color: #444; font-size: 0.9em; }
.joint { margin: 0.3em 0 0; font-weight: bold; }
.nowrap, th:first-child, td:first-child { white-space: nowrap; }
a.tel { display: inline-block; min-height: 44px; min-width: 44px; padding: 0.55em 0.8em;
        margin: 0.15em 0; border: 1px solid #1a5fb4; border-radius: 6px; color: #1a5fb4;
        text-decoration: none; }
.state { font-weight: bold; }
@media screen and (max-width: 700px) {
  body { margin: 0.8em; font-size: 17px; }
  table, thead, tbody, tr, th, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border: 1px solid #888; border-radius: 8px; margin-bottom: 1em; padding: 0.3em 0; }
  td { border: none; padding: 0.35em 0.8em; white-space: normal !important; }
  td::before { content: attr(data-label); display: block; font-size: 0.8em; color: #555; }
}
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 10pt; }
  th { background: none; }
  thead { display: table-header-group; }
  a.tel { border: none; padding: 0; min-height: 0; color: #111; }
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

// A cell that, on a phone, shows its label above its value.
std::string Cell(absl::string_view chinese, absl::string_view english, absl::string_view html,
                 absl::string_view css_class = "") {
  return absl::StrCat("<td", css_class.empty() ? "" : absl::StrCat(" class=\"", css_class, "\""),
                      " data-label=\"", chinese, " ", english, "\">", html, "</td>");
}

// A phone number as a tel: link; digits and + only in the link.
std::string PhoneLink(absl::string_view phone) {
  std::string dial;
  for (char c : phone) {
    if ((c >= '0' && c <= '9') || c == '+') dial += c;
  }
  return absl::StrCat("<a class=\"tel\" href=\"tel:", HtmlEscape(dial), "\">", HtmlEscape(phone),
                      "</a>");
}

std::string TeammatesCell(const v1::Assignment& a) {
  if (a.teammates().empty()) {
    return a.teammate_ids().empty() ? "-" : HtmlEscape(absl::StrJoin(a.teammate_ids(), ", "));
  }
  std::string cell = "<ul>";
  for (const v1::Teammate& mate : a.teammates()) {
    absl::StrAppend(&cell, "<li>", HtmlEscape(mate.name().empty() ? mate.inspector_id()
                                                                  : mate.name()));
    if (!mate.name().empty()) {
      absl::StrAppend(&cell, " <span class=\"code\">", HtmlEscape(mate.inspector_id()),
                      "</span>");
    }
    if (!mate.work_phone().empty()) absl::StrAppend(&cell, "<br>", PhoneLink(mate.work_phone()));
    absl::StrAppend(&cell, "</li>");
  }
  return absl::StrCat(cell, "</ul>");
}

std::string PartnerTeam(const v1::JointPartner& partner) {
  return partner.inspector_ids().empty()
             ? std::string(" (not staffed)")
             : absl::StrCat(" (", absl::StrJoin(partner.inspector_ids(), ", "), ")");
}

// The team-mates, and under them the other plan's team of a joint visit.
std::string JointVisitCell(const v1::Assignment& a) {
  const std::string joint = JointVisitText(a);
  if (joint.empty()) return TeammatesCell(a);
  return absl::StrCat(TeammatesCell(a), "<p class=\"joint\">联合检查 Joint visit: ",
                      HtmlEscape(joint), "</p>");
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

std::string ResultKey(absl::string_view plan_id, absl::string_view credit_code) {
  return absl::StrCat(plan_id, "/", credit_code);
}

std::string ResultStateLabel(const SheetFacts& facts, const v1::Assignment& a, bool chinese) {
  auto found = facts.result_states.find(ResultKey(a.plan_id(), a.credit_code()));
  const v1::ResultState state =
      found == facts.result_states.end() ? v1::RESULT_STATE_UNSPECIFIED : found->second;
  switch (state) {
    case v1::RESULT_STATE_SUBMITTED:
      return chinese ? "已提交" : "submitted";
    case v1::RESULT_STATE_RETURNED:
      return chinese ? "已退回" : "returned";
    case v1::RESULT_STATE_APPROVED:
      return chinese ? "已批准" : "approved";
    case v1::RESULT_STATE_PUBLISHED:
      return chinese ? "已公示" : "published";
    default:
      return chinese ? "未提交" : "not submitted";
  }
}

std::string TeammatesText(const v1::Assignment& a) {
  if (a.teammates().empty()) return absl::StrJoin(a.teammate_ids(), "; ");
  std::vector<std::string> mates;
  for (const v1::Teammate& mate : a.teammates()) {
    std::string text = mate.name().empty()
                           ? mate.inspector_id()
                           : absl::StrCat(mate.name(), " (", mate.inspector_id(), ")");
    if (!mate.work_phone().empty()) absl::StrAppend(&text, " ", mate.work_phone());
    mates.push_back(std::move(text));
  }
  return absl::StrJoin(mates, "; ");
}

std::string TeammateNames(const v1::Assignment& a) {
  if (a.teammates().empty()) return absl::StrJoin(a.teammate_ids(), ", ");
  std::vector<std::string> names;
  for (const v1::Teammate& mate : a.teammates()) {
    names.push_back(mate.name().empty() ? mate.inspector_id() : mate.name());
  }
  return absl::StrJoin(names, ", ");
}

std::string JointVisitText(const v1::Assignment& a) {
  std::vector<std::string> parts;
  if (a.has_joint_partner()) {
    const v1::JointPartner& partner = a.joint_partner();
    std::string with = absl::StrCat("with plan ", partner.visit().plan_id(), PartnerTeam(partner));
    if (partner.has_due_date()) absl::StrAppend(&with, ", by ", FormatDate(partner.due_date()));
    parts.push_back(std::move(with));
  }
  for (const v1::JointPartner& later : a.joined_by()) {
    parts.push_back(absl::StrCat("joined by plan ", later.visit().plan_id(), PartnerTeam(later)));
  }
  return absl::StrJoin(parts, "; ");
}

std::string AssignmentsCsv(const std::vector<v1::Assignment>& assignments,
                           const SheetFacts& facts, CsvHeaders headers) {
  const bool chinese = headers == CsvHeaders::kChinese;
  std::string csv =
      absl::StrCat(kUtf8Bom, chinese ? kCsvHeaderChinese : kCsvHeaderEnglish, "\r\n");
  for (const v1::Assignment& a : assignments) {
    const std::vector<std::string> fields = {a.plan_id(),
                                             a.inspector_id(),
                                             a.credit_code(),
                                             a.enterprise_name(),
                                             a.address(),
                                             absl::StrJoin(Titles(a), "; "),
                                             absl::StrJoin(LegalBases(a), "; "),
                                             TeammatesText(a),
                                             DueDate(a),
                                             ResultStateLabel(facts, a, chinese)};
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
                            const SheetHeading& heading, const SheetFacts& facts) {
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
  absl::StrAppend(&html, Label("检查对象", "Target"),
                  Label("企业联系方式（注册地址）", "Contact (registered address)"),
                  Label("检查事项及依据", "Items and legal basis"),
                  Label("同组检查人员", "Team-mates"), Label("完成期限", "Due date"),
                  Label("结果状态", "Result"), "</tr></thead>\n<tbody>\n");
  int number = 0;
  for (const v1::Assignment& a : assignments) {
    absl::StrAppend(&html, "<tr>", Cell("序号", "No.", absl::StrCat(++number)));
    if (!one_inspector) {
      absl::StrAppend(&html, Cell("检查人员", "Inspector", HtmlEscape(a.inspector_id())));
    }
    absl::StrAppend(
        &html,
        Cell("检查对象", "Target",
             absl::StrCat(HtmlEscape(a.enterprise_name()), "<br><span class=\"code\">",
                          HtmlEscape(a.credit_code()), "</span>")),
        Cell("企业联系方式（注册地址）", "Contact (registered address)",
             a.address().empty() ? "-" : HtmlEscape(a.address())),
        Cell("检查事项及依据", "Items and legal basis", ItemsCell(a)),
        Cell("同组检查人员", "Team-mates", JointVisitCell(a)),
        Cell("完成期限", "Due date", HtmlEscape(DueDate(a)), "nowrap"),
        Cell("结果状态", "Result",
             absl::StrCat(ResultStateLabel(facts, a, true), " ",
                          ResultStateLabel(facts, a, false)),
             "state"),
        "</tr>\n");
  }
  absl::StrAppend(&html, "</tbody>\n</table>\n<p class=\"meta\">共 ", assignments.size(), " 项 · ",
                  assignments.size(), " assignments</p>\n</body>\n</html>\n");
  return html;
}

std::string AssignmentLine(const v1::Assignment& a) {
  const std::string mates = TeammateNames(a);
  std::string line = absl::StrCat(a.plan_id(), "  ", a.credit_code(), "  ", a.enterprise_name(),
                                  "  due ", a.has_due_date() ? FormatDate(a.due_date()) : "-",
                                  "  items: ", absl::StrJoin(Titles(a), "; "),
                                  "  with: ", mates.empty() ? "-" : mates);
  if (!a.address().empty()) absl::StrAppend(&line, " @ ", a.address());
  if (const std::string joint = JointVisitText(a); !joint.empty()) {
    absl::StrAppend(&line, "  joint visit: ", joint);
  }
  // One line whatever the fields hold: control characters become spaces.
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return line;
}

}  // namespace regulation::regctl
