#ifndef TOOLS_REGCTL_ASSIGNMENT_SHEET_H_
#define TOOLS_REGCTL_ASSIGNMENT_SHEET_H_

// Assignments as an inspector takes them into the field: a CSV file for spreadsheets,
// a printable HTML page, and a one-line summary (`regctl assignments watch`).
//
// Pure functions: no I/O, no clock (the generation time is a parameter).
// Thread safety: stateless functions.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/inspection.pb.h"

namespace regulation::regctl {

// What a sheet shows besides the assignments themselves.
struct SheetFacts {
  // Each target's result state, keyed by ResultKey(plan, credit code); a target missing
  // here has no result submitted yet. Default: empty (no results).
  std::map<std::string, v1::ResultState> result_states;
};

// The key of SheetFacts::result_states.
std::string ResultKey(absl::string_view plan_id, absl::string_view credit_code);

// 未提交 Not submitted, 已提交 Submitted, 已退回 Returned, 已批准 Approved, 已公示 Published.
std::string ResultStateLabel(const SheetFacts& facts, const v1::Assignment& assignment,
                             bool chinese);

// "王建国 (ZJ-SAMR-0002) 0571-0000 0002; ..." from Assignment.teammates, else the ids.
std::string TeammatesText(const v1::Assignment& assignment);

// The team-mates by name, "王建国, 李梅" (one without a name by id); the ids when the
// assignment carries no Assignment.teammates (made before names were recorded). Empty
// when there are none.
std::string TeammateNames(const v1::Assignment& assignment);

// A joint visit (进一次门、查多项事, docs/api.md "Joint visits"), in one line: "with plan P1
// (ZJ-0001, ZJ-0002), by 2026-12-20" when this assignment joins an earlier plan's visit;
// "joined by plan P2 (ZJ-0003, ZJ-0004)" for each later plan's team that joins this one;
// both joined with "; ". Empty for an assignment that is not part of a joint visit.
std::string JointVisitText(const v1::Assignment& assignment);

enum class CsvHeaders { kChinese, kEnglish };

// For Excel and WPS as much as for programs: UTF-8 starting with a byte-order mark (so
// that Excel reads the Chinese as UTF-8), RFC 4180 with CRLF line ends, a header line
// in Chinese by default,
//   计划编号,检查人员编号,统一社会信用代码,企业名称,企业联系方式（注册地址）,检查事项,
//   检查依据,同组检查人员,完成期限,结果状态
// or in English (kEnglish)
//   plan_id,inspector_id,credit_code,enterprise_name,contact_address,items,legal_basis,
//   teammates,due_date,result_state
// then one record per assignment, in the order given. Items, legal bases and team-mates
// (TeammatesText) are joined with "; "; the due date is YYYY-MM-DD (empty when unset);
// the result state as ResultStateLabel says, in the headers' language. The enterprise's
// contact is its registered address: the register holds no other. A field holding a
// comma, a double quote, CR or LF is enclosed in double quotes, its quotes doubled.
std::string AssignmentsCsv(const std::vector<v1::Assignment>& assignments,
                           const SheetFacts& facts = {},
                           CsvHeaders headers = CsvHeaders::kChinese);

struct SheetHeading {
  // The plan the assignments come from, when the sheet is one plan's. Default: none.
  std::string plan_id;
  // When the sheet was made; shown in China Standard Time.
  absl::Time generated_at = absl::UnixEpoch();
};

// A standalone UTF-8 HTML page (`<meta charset="utf-8">`, a viewport for phones, a print
// stylesheet with `@media print`). On a screen narrower than 700 px every assignment is
// a card, label above value, with tap-sized links to call a team-mate (tel:) and nothing
// wider than the screen; on a wide screen and on paper, a table. The heading names the
// inspector (when all assignments are one inspector's; otherwise each row names its
// inspector), the plan when given, and the generation time. Bilingual labels:
// 序号 No., 检查对象 Target (name and credit code), 企业联系方式（注册地址）Contact
// (registered address), 检查事项及依据 Items and legal basis, 同组检查人员 Team-mates
// (names, ids, phones), 完成期限 Due date, 结果状态 Result. All text from the
// assignments is HTML-escaped.
std::string AssignmentsHtml(const std::vector<v1::Assignment>& assignments,
                            const SheetHeading& heading, const SheetFacts& facts = {});

// One line, no newline:
//   "PLAN  CREDIT_CODE  NAME  due YYYY-MM-DD  items: T1; T2  with: 王建国, 李梅"
// (TeammateNames, "-" for none; the address appended after " @ " when present).
std::string AssignmentLine(const v1::Assignment& assignment);

// One CSV field as RFC 4180 wants it (quoted only when needed).
std::string CsvField(absl::string_view text);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ASSIGNMENT_SHEET_H_
