#ifndef TOOLS_REGCTL_ASSIGNMENT_SHEET_H_
#define TOOLS_REGCTL_ASSIGNMENT_SHEET_H_

// Assignments as an inspector takes them into the field: a CSV file for spreadsheets,
// a printable HTML page, and a one-line summary (`regctl assignments watch`).
//
// Pure functions: no I/O, no clock (the generation time is a parameter).
// Thread safety: stateless functions.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "regulation/v1/inspection.pb.h"

namespace regulation::regctl {

// RFC 4180: CRLF line ends, a header line
//   plan_id,credit_code,enterprise_name,address,items,legal_basis,teammates,due_date
// then one record per assignment, in the order given. items, legal_basis and teammates
// list the item titles, their legal bases and the team-mates' ids joined with "; ";
// due_date is YYYY-MM-DD (empty when unset). A field holding a comma, a double quote, CR
// or LF is enclosed in double quotes, its quotes doubled. UTF-8, without a byte order
// mark.
std::string AssignmentsCsv(const std::vector<v1::Assignment>& assignments);

struct SheetHeading {
  // The plan the assignments come from, when the sheet is one plan's. Default: none.
  std::string plan_id;
  // When the sheet was made; shown in China Standard Time.
  absl::Time generated_at = absl::UnixEpoch();
};

// A standalone UTF-8 HTML page (`<meta charset="utf-8">`, print stylesheet with
// `@media print`). The heading names the inspector (when all assignments are one
// inspector's; otherwise each row names its inspector in an extra column), the plan
// when given, and the generation time. One table row per assignment, with bilingual
// column labels: 序号 No., 检查对象 Target (name and credit code), 地址 Address,
// 检查事项及依据 Items and legal basis, 同组检查人员 Team-mates, 完成期限 Due date.
// All text from the assignments is HTML-escaped.
std::string AssignmentsHtml(const std::vector<v1::Assignment>& assignments,
                            const SheetHeading& heading);

// One line, no newline: "PLAN  CREDIT_CODE  NAME  due YYYY-MM-DD  items: T1; T2  with: ID1, ID2"
// (address appended after " @ " when present).
std::string AssignmentLine(const v1::Assignment& assignment);

// One CSV field as RFC 4180 wants it (quoted only when needed).
std::string CsvField(absl::string_view text);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_ASSIGNMENT_SHEET_H_
