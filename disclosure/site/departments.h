#ifndef DISCLOSURE_SITE_DEPARTMENTS_H_
#define DISCLOSURE_SITE_DEPARTMENTS_H_

// Departments as the public reads them. Records name a department by the code the
// system uses for it (certificates, rosters, item lists: "samr"); pages show its name in
// both languages ("市场监管局 Market regulation") and keep the code in a data attribute
// (data-department="samr"). The table is assets/departments.json, one file for the
// publisher (compiled in with the other assets) and for the browser's line-by-line check
// (assets/views.js reads the published copy). A code not in the table is shown as it is
// (older records name departments in Chinese already: "市场监管局").
//
// Thread safety: the table is parsed once, on first use, and then only read.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "disclosure/site/public_entry.h"

namespace regulation::disclosure::site {

// The department's names; {code, ""} when the table does not have it.
BilingualName DepartmentName(absl::string_view code);

// <span class="department" data-department="CODE">名称 Name</span>, escaped; "" for "".
std::string DepartmentHtml(absl::string_view code);

// DepartmentHtml of each, joined with "、".
std::string DepartmentsHtml(const std::vector<std::string>& codes);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_DEPARTMENTS_H_
