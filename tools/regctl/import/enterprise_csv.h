#ifndef TOOLS_REGCTL_IMPORT_ENTERPRISE_CSV_H_
#define TOOLS_REGCTL_IMPORT_ENTERPRISE_CSV_H_

// The enterprise CSV format (docs/import-formats.md): which columns a header may name
// and how a row's values become a v1::Enterprise.
//
//   credit_code,name,region_code,industry_code,registered_capital_yuan,
//   establishment_date,status,address
//
// The header names the columns in any order; every one but address is required, and
// an unknown or repeated name is an error. Values lose surrounding spaces and tabs and
// must be UTF-8. This is parsing only: which codes, names and ranges are acceptable is
// the server's decision (it reports those per row), except where a value cannot be
// represented at all:
//   registered_capital_yuan  digits only (whole yuan); empty means 0
//   establishment_date       YYYY-MM-DD, a real calendar date; required
//   status                   OPERATING, SUSPENDED, LIQUIDATING, REVOKED, DEREGISTERED or
//                            MOVED_OUT (any case; the ENTERPRISE_STATUS_ prefix is
//                            optional); required
//
// Thread safety: immutable after FromHeader; ParseRow may run on any thread.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regulation/v1/enterprise.pb.h"

namespace regulation::regctl {

class EnterpriseCsvSchema {
 public:
  // The columns named by a header record. INVALID_ARGUMENT naming the first unknown,
  // repeated or missing column, e.g. `unknown column "capital" (columns: ...)`.
  static absl::StatusOr<EnterpriseCsvSchema> FromHeader(const std::vector<std::string>& header);

  // Number of columns, and the name of the column at `index` (0-based), as in the
  // header, or "field N" (1-based) past the header's end.
  size_t column_count() const { return columns_.size(); }
  std::string ColumnName(int index) const;

  // One data record. INVALID_ARGUMENT "COLUMN: reason" for the first value that
  // cannot be read, e.g. `establishment_date: "2024-02-30" is not a date
  // (YYYY-MM-DD)`, or a count mismatch ("8 columns in the header, 7 here").
  absl::StatusOr<v1::Enterprise> ParseRow(const std::vector<std::string>& fields) const;

 private:
  enum class Column {
    kCreditCode,
    kName,
    kRegionCode,
    kIndustryCode,
    kCapital,
    kEstablishmentDate,
    kStatus,
    kAddress,
  };

  explicit EnterpriseCsvSchema(std::vector<Column> columns) : columns_(std::move(columns)) {}

  std::vector<Column> columns_;
};

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_ENTERPRISE_CSV_H_
